#include "rules/signature/threshold_config.h"

#include "rules/signature/classification_config.h"
#include "rules/signature/integer_match.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

// Splits on ',' outside brackets (an `ip [a,b]` list keeps its commas).
std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') ++depth;
    else if (s[i] == ']') --depth;
    else if (s[i] == ',' && depth == 0) {
      out.push_back(Trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(Trim(s.substr(start)));
  return out;
}

Result<ThresholdEntry> ParseEntry(std::string_view kind_word, std::string_view rest, const RuleVariables& vars) {
  ThresholdEntry e;
  const bool is_suppress = kind_word == "suppress";
  const bool is_rate = kind_word == "rate_filter";
  e.kind = is_suppress ? ThresholdEntryKind::kSuppress : is_rate ? ThresholdEntryKind::kRateFilter
                                                                 : ThresholdEntryKind::kThreshold;
  bool have_gen = false, have_sig = false, have_type = false, have_track = false, have_count = false,
       have_seconds = false, have_ip = false, have_action = false, have_timeout = false;
  for (std::string_view field : SplitFields(rest)) {
    size_t sp = 0;
    while (sp < field.size() && !IsSpace(field[sp])) ++sp;
    std::string_view name = field.substr(0, sp);
    std::string_view arg = Trim(field.substr(sp));
    auto once = [&](bool& seen) -> Status {
      if (seen) return Error(ErrorCode::kParse, "'" + std::string(name) + "' given twice");
      seen = true;
      if (arg.empty()) return Error(ErrorCode::kParse, "'" + std::string(name) + "' needs a value");
      return Ok();
    };
    if (name == "gen_id") {
      VIGIL_CHECK_OK(once(have_gen));
      VIGIL_TRY(uint64_t n, ParseUnsigned(arg, 0xffffffffu));
      e.gen_id = static_cast<uint32_t>(n);
    } else if (name == "sig_id") {
      VIGIL_CHECK_OK(once(have_sig));
      VIGIL_TRY(uint64_t n, ParseUnsigned(arg, 0xffffffffu));
      e.sig_id = static_cast<uint32_t>(n);
    } else if (name == "type" && !is_suppress && !is_rate) {
      VIGIL_CHECK_OK(once(have_type));
      VIGIL_TRY(e.limits.type, ParseThresholdType(arg));
      if (e.limits.type == ThresholdType::kBackoff) {
        return Error(ErrorCode::kParse, "type backoff is only valid in a rule's threshold keyword");
      }
    } else if (name == "track") {
      VIGIL_CHECK_OK(once(have_track));
      VIGIL_TRY(TrackBy t, ParseTrackBy(arg));
      if (is_suppress) {
        if (t != TrackBy::kSrc && t != TrackBy::kDst && t != TrackBy::kEither) {
          return Error(ErrorCode::kParse, "suppress tracks by_src, by_dst or by_either, not '" + std::string(arg) + "'");
        }
        e.suppress_track = t;
      } else {
        if (t == TrackBy::kEither || t == TrackBy::kFlow) {
          return Error(ErrorCode::kParse, "'" + std::string(arg) + "' is only valid in suppress");
        }
        e.limits.track = t;
      }
    } else if (name == "count" && !is_suppress) {
      VIGIL_CHECK_OK(once(have_count));
      VIGIL_TRY(uint64_t n, ParseUnsigned(arg, 0xffffffffu));
      if (n == 0) return Error(ErrorCode::kParse, "count must be at least 1");
      e.limits.count = static_cast<uint32_t>(n);
    } else if (name == "seconds" && !is_suppress) {
      VIGIL_CHECK_OK(once(have_seconds));
      VIGIL_TRY(uint64_t n, ParseUnsigned(arg, 0xffffffffu));
      e.limits.seconds = static_cast<uint32_t>(n);
    } else if (name == "ip" && is_suppress) {
      VIGIL_CHECK_OK(once(have_ip));
      VIGIL_TRY(AddressSet set, AddressSet::Parse(arg, vars));
      e.suppress_ip = std::make_shared<const AddressSet>(std::move(set));
      e.ip_text = std::string(arg);
    } else if (name == "new_action" && is_rate) {
      VIGIL_CHECK_OK(once(have_action));
      if (arg != "alert" && arg != "drop" && arg != "pass" && arg != "reject") {
        return Error(ErrorCode::kParse, "unknown new_action '" + std::string(arg) + "'");
      }
      e.new_action = std::string(arg);
    } else if (name == "timeout" && is_rate) {
      VIGIL_CHECK_OK(once(have_timeout));
      VIGIL_TRY(uint64_t n, ParseUnsigned(arg, 0xffffffffu));
      e.timeout = static_cast<uint32_t>(n);
    } else {
      return Error(ErrorCode::kParse, "unknown field '" + std::string(field.substr(0, 60)) + "' for " + std::string(kind_word));
    }
  }
  if (!have_gen || !have_sig) return Error(ErrorCode::kParse, std::string(kind_word) + " needs gen_id and sig_id");
  if (is_suppress) {
    if (have_ip && !have_track) return Error(ErrorCode::kParse, "suppress with ip needs track");
    if (have_track && !have_ip) return Error(ErrorCode::kParse, "suppress with track needs ip");
  } else if (is_rate) {
    if (!have_track || !have_count || !have_seconds || !have_action || !have_timeout) {
      return Error(ErrorCode::kParse, "rate_filter needs track, count, seconds, new_action and timeout");
    }
  } else if (!have_type || !have_track || !have_count || !have_seconds) {
    return Error(ErrorCode::kParse, std::string(kind_word) + " needs type, track, count and seconds");
  }
  return e;
}

}  // namespace

Result<ThresholdConfig> ThresholdConfig::LoadFile(const std::string& path, const RuleVariables& vars) {
  VIGIL_TRY(std::string text, ReadTextFile(path, 64u << 20));
  return Parse(text, path, vars);
}

Result<ThresholdConfig> ThresholdConfig::Parse(std::string_view text, std::string_view source,
                                               const RuleVariables& vars) {
  ThresholdConfig cfg;
  uint32_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    std::string_view t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    size_t sp = 0;
    while (sp < t.size() && !IsSpace(t[sp])) ++sp;
    std::string_view kind = t.substr(0, sp);
    auto where = [&]() { return std::string(source) + ":" + std::to_string(line_no) + ": "; };
    if (kind != "threshold" && kind != "event_filter" && kind != "suppress" && kind != "rate_filter") {
      return Error(ErrorCode::kParse, where() + "unknown entry '" + std::string(kind.substr(0, 40)) +
                                          "' (threshold, event_filter, suppress, rate_filter)");
    }
    auto e = ParseEntry(kind, Trim(t.substr(sp)), vars);
    if (!e) return Error(e.error().code == ErrorCode::kNotFound ? ErrorCode::kNotFound : ErrorCode::kParse,
                         where() + e.error().message);
    e->line = line_no;
    if (e->kind == ThresholdEntryKind::kRateFilter) {
      cfg.unsupported_.push_back(where() + "rate_filter is not supported (sig_id " + std::to_string(e->sig_id) + ")");
    }
    cfg.entries_.push_back(std::move(*e));
  }
  return cfg;
}

}  // namespace vigil::rules
