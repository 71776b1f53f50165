#include "sensor/detect/dataset_loader.h"

#include <arpa/inet.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <simdjson.h>

#include "core/json_writer.h"
#include "sensor/detect/base64_decoder.h"

namespace vigil::sensor {
namespace {

using rules::DatasetFormat;
using rules::DatasetType;

constexpr int kMaxJsonDepth = 32;  // deeper context values are written as null

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> Hex(std::string_view s, size_t bytes) {
  if (s.size() != bytes * 2) return std::nullopt;
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) {
    int hi = HexDigit(s[2 * i]), lo = HexDigit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string_view TrimWs(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

Error LoadError(const std::string& path, std::string why) {
  return Error(ErrorCode::kParse, "dataset file '" + path + "': " + std::move(why));
}

Status Add(Dataset* set, std::string key, std::string context, const std::string& path) {
  if (set->Insert(std::move(key), std::move(context)) == -2) {
    return Error(ErrorCode::kLimit, "dataset '" + set->name() + "' reached its memcap while loading '" + path + "'");
  }
  return Ok();
}

Status LoadCsv(Dataset* set, const rules::DatasetMatch& m, const std::string& path, std::istream& in) {
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string_view v = TrimWs(line);
    if (v.empty()) continue;
    v = TrimWs(v.substr(0, v.find(',')));
    auto key = ParseDatasetValue(m.type, v, /*base64=*/true);
    if (!key) {
      return LoadError(path, "line " + std::to_string(n) + ": not a valid " +
                                 std::string(rules::DatasetTypeName(m.type)) + " value");
    }
    VIGIL_CHECK_OK(Add(set, std::move(*key), {}, path));
  }
  return Ok();
}

std::vector<std::string_view> SplitDots(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    out.push_back(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

bool AtPath(simdjson::dom::element el, const std::vector<std::string_view>& path,
            simdjson::dom::element* out) {
  for (std::string_view k : path) {
    simdjson::dom::object obj;
    if (el.get(obj) != simdjson::SUCCESS) return false;
    if (obj.at_key(k).get(el) != simdjson::SUCCESS) return false;
  }
  *out = el;
  return true;
}

// Writes `el` as JSON, leaving out the member at `skip` (a dotted path, already split; empty:
// nothing) — remove_key.
void WriteJson(simdjson::dom::element el, std::span<const std::string_view> skip, int depth, JsonWriter& w) {
  using simdjson::dom::element_type;
  if (depth > kMaxJsonDepth) {
    w.Null();
    return;
  }
  switch (el.type()) {
    case element_type::OBJECT: {
      w.BeginObject();
      for (auto field : simdjson::dom::object(el)) {
        const bool on_path = !skip.empty() && field.key == skip.front();
        if (on_path && skip.size() == 1) continue;
        w.Key(field.key);
        WriteJson(field.value, on_path ? skip.subspan(1) : std::span<const std::string_view>(), depth + 1, w);
      }
      w.EndObject();
      return;
    }
    case element_type::ARRAY:
      w.BeginArray();
      for (auto v : simdjson::dom::array(el)) WriteJson(v, {}, depth + 1, w);
      w.EndArray();
      return;
    case element_type::STRING: w.String(std::string_view(el)); return;
    case element_type::INT64: w.Int(int64_t(el)); return;
    case element_type::UINT64: w.Uint(uint64_t(el)); return;
    case element_type::DOUBLE: w.Double(double(el)); return;
    case element_type::BOOL: w.Bool(bool(el)); return;
    case element_type::NULL_VALUE: w.Null(); return;
  }
}

struct JsonEntryRules {
  std::vector<std::string_view> value_path;
  bool remove_key = false;
};

Status AddJsonEntry(Dataset* set, const rules::DatasetMatch& m, const JsonEntryRules& r,
                    simdjson::dom::element entry, const std::string& path, const std::string& where) {
  simdjson::dom::element v;
  if (!entry.is_object()) return LoadError(path, where + ": not a JSON object");
  if (!AtPath(entry, r.value_path, &v)) return Ok();  // as Suricata: an entry without the key is skipped
  std::string_view text;
  if (v.get(text) != simdjson::SUCCESS) return LoadError(path, where + ": '" + m.value_key + "' is not a string");
  auto key = ParseDatasetValue(m.type, text, /*base64=*/false);
  if (!key) {
    return LoadError(path, where + ": '" + std::string(text) + "' is not a valid " +
                               std::string(rules::DatasetTypeName(m.type)) + " value");
  }
  JsonWriter w;
  WriteJson(entry, r.remove_key ? std::span<const std::string_view>(r.value_path) : std::span<const std::string_view>(),
            0, w);
  // Too deep for the writer: keep the key, drop the context rather than store broken JSON.
  return Add(set, std::move(*key), w.Complete() ? std::string(w.view()) : std::string(), path);
}

Status LoadJson(Dataset* set, const rules::DatasetMatch& m, const std::string& path, const std::string& text) {
  JsonEntryRules r{SplitDots(m.value_key), m.remove_key};
  simdjson::dom::parser parser;
  if (m.format == DatasetFormat::kNdjson) {
    std::istringstream in(text);
    std::string line;
    size_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (TrimWs(line).empty()) continue;
      simdjson::dom::element entry;
      if (auto err = parser.parse(line).get(entry)) {
        return LoadError(path, "line " + std::to_string(n) + ": " + simdjson::error_message(err));
      }
      VIGIL_CHECK_OK(AddJsonEntry(set, m, r, entry, path, "line " + std::to_string(n)));
    }
    return Ok();
  }
  simdjson::dom::element root;
  if (auto err = parser.parse(text).get(root)) return LoadError(path, simdjson::error_message(err));
  if (!m.array_key.empty() && !AtPath(root, SplitDots(m.array_key), &root)) {
    return LoadError(path, "no '" + m.array_key + "'");
  }
  simdjson::dom::array entries;
  if (root.get(entries) != simdjson::SUCCESS) {
    return LoadError(path, m.array_key.empty() ? "top level is not an array (set array_key)"
                                               : "'" + m.array_key + "' is not an array");
  }
  size_t i = 0;
  for (simdjson::dom::element entry : entries) {
    VIGIL_CHECK_OK(AddJsonEntry(set, m, r, entry, path, "entry " + std::to_string(i++)));
  }
  return Ok();
}

}  // namespace

std::optional<std::string> ParseDatasetValue(DatasetType type, std::string_view text, bool base64) {
  switch (type) {
    case DatasetType::kString: {
      if (!base64) return std::string(text);
      std::string out(text.size(), '\0');
      const size_t n = Base64Decode({reinterpret_cast<const uint8_t*>(text.data()), text.size()},
                                    Base64Mode::kStrict,
                                    {reinterpret_cast<uint8_t*>(out.data()), out.size()});
      if (n == 0) return std::nullopt;
      out.resize(n);
      return out;
    }
    case DatasetType::kMd5: return Hex(text, 16);
    case DatasetType::kSha256: return Hex(text, 32);
    case DatasetType::kIpv4:
    case DatasetType::kIp: {
      const std::string s(text);
      uint8_t v4[4];
      if (inet_pton(AF_INET, s.c_str(), v4) == 1) {
        std::string out(reinterpret_cast<const char*>(v4), 4);
        if (type == DatasetType::kIp) out.resize(16, '\0');
        return out;
      }
      if (type == DatasetType::kIpv4) return std::nullopt;
      uint8_t v6[16];
      if (inet_pton(AF_INET6, s.c_str(), v6) != 1) return std::nullopt;
      static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
      if (std::memcmp(v6, kMapped, 12) == 0) {  // ::ffff:a.b.c.d: Suricata's IPv4 form
        std::string out(reinterpret_cast<const char*>(v6 + 12), 4);
        out.resize(16, '\0');
        return out;
      }
      return std::string(reinterpret_cast<const char*>(v6), 16);
    }
  }
  return std::nullopt;
}

std::string DatasetFilePath(const std::string& name, const std::string& rule_file) {
  namespace fs = std::filesystem;
  const fs::path p(name);
  if (p.is_absolute() || rule_file.empty()) return name;
  const fs::path in_rule_dir = fs::path(rule_file).parent_path() / p;
  std::error_code ec;
  if (fs::exists(in_rule_dir, ec)) return in_rule_dir.string();
  return name;
}

Status LoadDataset(Dataset* set, const rules::DatasetMatch& m, const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    if (m.state) return Ok();  // a state file is created on first save
    return Error(ErrorCode::kNotFound, "dataset '" + m.name + "': cannot open '" + path + "'");
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return LoadDatasetText(set, m, ss.str(), path);
}

Status LoadDatasetText(Dataset* set, const rules::DatasetMatch& m, const std::string& text,
                       const std::string& name) {
  if (m.format == DatasetFormat::kCsv) {
    std::istringstream in(text);
    return LoadCsv(set, m, name, in);
  }
  return LoadJson(set, m, name, text);
}

}  // namespace vigil::sensor
