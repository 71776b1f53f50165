#include "rules/signature/dataset_option.h"

#include <charconv>

#include "core/config_schema.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

Error Bad(std::string m) { return Error(ErrorCode::kParse, "dataset: " + std::move(m)); }

bool ParseU64(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// "1000", "64kb", "10mb", "1gb": core's config size syntax (Suricata's size strings).
bool ParseSize(std::string_view s, uint64_t* out) {
  auto v = ParseConfigSize(s);
  if (!v.ok() || *v <= 0) return false;
  *out = static_cast<uint64_t>(*v);
  return true;
}

bool ParseCommand(std::string_view s, DatasetCommand* c) {
  if (s == "set") *c = DatasetCommand::kSet;
  else if (s == "unset") *c = DatasetCommand::kUnset;
  else if (s == "isset") *c = DatasetCommand::kIsSet;
  else if (s == "isnotset") *c = DatasetCommand::kIsNotSet;
  else return false;
  return true;
}

bool ParseType(std::string_view s, DatasetType* t) {
  if (s == "string") *t = DatasetType::kString;
  else if (s == "md5") *t = DatasetType::kMd5;
  else if (s == "sha256") *t = DatasetType::kSha256;
  else if (s == "ipv4") *t = DatasetType::kIpv4;
  else if (s == "ip" || s == "ipv6") *t = DatasetType::kIp;
  else return false;
  return true;
}

bool ParseFormat(std::string_view s, DatasetFormat* f) {
  if (s == "csv") *f = DatasetFormat::kCsv;
  else if (s == "json") *f = DatasetFormat::kJson;
  else if (s == "ndjson") *f = DatasetFormat::kNdjson;
  else return false;
  return true;
}

bool PathLike(std::string_view s) {
  return !s.empty() && s.find_first_of(",;\"") == std::string_view::npos;
}

}  // namespace

std::string_view DatasetTypeName(DatasetType t) {
  switch (t) {
    case DatasetType::kString: return "string";
    case DatasetType::kMd5: return "md5";
    case DatasetType::kSha256: return "sha256";
    case DatasetType::kIpv4: return "ipv4";
    case DatasetType::kIp: return "ip";
  }
  return "?";
}

std::string_view DatasetCommandName(DatasetCommand c) {
  switch (c) {
    case DatasetCommand::kSet: return "set";
    case DatasetCommand::kUnset: return "unset";
    case DatasetCommand::kIsSet: return "isset";
    case DatasetCommand::kIsNotSet: return "isnotset";
  }
  return "?";
}

Result<DatasetMatch> ParseDataset(std::string_view value) {
  std::vector<std::string_view> parts = SplitTrim(Trim(StripQuotes(Trim(value))), ',');
  if (parts.size() < 2 || parts[0].empty() || parts[1].empty()) {
    return Bad("expected <set|unset|isset|isnotset>,<name>[,type <t>][,load <file>]...");
  }
  DatasetMatch m;
  if (!ParseCommand(parts[0], &m.command)) {
    return Bad("unknown command '" + std::string(parts[0]) + "' (set unset isset isnotset)");
  }
  if (!IsIdentifier(parts[1])) return Bad("invalid set name '" + std::string(parts[1]) + "'");
  m.name = std::string(parts[1]);
  bool have_type = false;
  for (size_t i = 2; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (p.empty()) continue;
    const size_t sp = p.find_first_of(" \t");
    const std::string_view key = p.substr(0, sp);
    const std::string_view arg = sp == std::string_view::npos ? std::string_view() : Trim(p.substr(sp + 1));
    auto need = [&]() -> Status {
      if (arg.empty()) return Bad("'" + std::string(key) + "' needs a value");
      return Ok();
    };
    if (key == "remove_key") {
      if (!arg.empty()) return Bad("'remove_key' takes no value");
      m.remove_key = true;
    } else if (key == "type") {
      VIGIL_CHECK_OK(need());
      if (!ParseType(arg, &m.type)) {
        return Bad("unknown type '" + std::string(arg) + "' (string md5 sha256 ipv4 ip)");
      }
      have_type = true;
    } else if (key == "load" || key == "save" || key == "state") {
      VIGIL_CHECK_OK(need());
      if (!PathLike(arg)) return Bad("invalid file name '" + std::string(arg) + "'");
      if (key == "load") {
        if (!m.load.empty()) return Bad("more than one load/state file");
        m.load = std::string(arg);
      } else {
        if (!m.save.empty()) return Bad("more than one save/state file");
        m.save = std::string(arg);
        if (key == "state") {
          if (!m.load.empty()) return Bad("more than one load/state file");
          m.state = true;
          m.load = m.save;
        }
      }
    } else if (key == "memcap") {
      VIGIL_CHECK_OK(need());
      if (!ParseSize(arg, &m.memcap) || m.memcap == 0) {
        return Bad("invalid memcap '" + std::string(arg) + "'");
      }
    } else if (key == "hashsize") {
      VIGIL_CHECK_OK(need());
      uint64_t h = 0;
      if (!ParseU64(arg, &h) || h == 0 || h > UINT32_MAX) {
        return Bad("invalid hashsize '" + std::string(arg) + "'");
      }
      m.hashsize = static_cast<uint32_t>(h);
    } else if (key == "format") {
      VIGIL_CHECK_OK(need());
      if (!ParseFormat(arg, &m.format)) {
        return Bad("unknown format '" + std::string(arg) + "' (csv json ndjson)");
      }
    } else if (key == "value_key" || key == "array_key" || key == "context_key") {
      VIGIL_CHECK_OK(need());
      if (!IsIdentifier(arg)) return Bad("invalid " + std::string(key) + " '" + std::string(arg) + "'");
      std::string& slot = key == "value_key" ? m.value_key : key == "array_key" ? m.array_key : m.context_key;
      slot = std::string(arg);
    } else if (key == "match") {
      VIGIL_CHECK_OK(need());
      if (arg != "subdomain") return Bad("unknown match mode '" + std::string(arg) + "' (subdomain)");
      m.match_subdomain = true;
    } else {
      return Bad("unknown option '" + std::string(key) + "'");
    }
  }
  if (!have_type) return Bad("'type' is required (string md5 sha256 ipv4 ip)");
  const bool json = m.format != DatasetFormat::kCsv;
  if (json && m.value_key.empty()) return Bad("format json/ndjson needs value_key");
  if (!json && (!m.value_key.empty() || !m.array_key.empty() || m.remove_key)) {
    return Bad("value_key/array_key/remove_key need format json or ndjson");
  }
  if (!m.array_key.empty() && m.format != DatasetFormat::kJson) {
    return Bad("array_key needs format json");
  }
  if (m.match_subdomain && m.type != DatasetType::kString) {
    return Bad("match subdomain needs type string");
  }
  if (json && m.command != DatasetCommand::kIsSet && m.command != DatasetCommand::kIsNotSet) {
    return Bad("JSON sets are read-only: only isset/isnotset");
  }
  return m;
}

}  // namespace vigil::rules
