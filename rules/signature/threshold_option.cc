#include "rules/signature/threshold_option.h"

#include <string>

#include "rules/signature/integer_match.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

Result<ThresholdOption> ParseFields(std::string_view value, bool detection_filter) {
  const char* kw = detection_filter ? "detection_filter" : "threshold";
  ThresholdOption t;
  if (detection_filter) t.type = ThresholdType::kDetectionFilter;
  bool have_type = false, have_track = false, have_count = false, have_seconds = false;
  bool have_multiplier = false;
  for (std::string_view field : SplitTrim(value, ',')) {
    size_t sp = 0;
    while (sp < field.size() && !IsSpace(field[sp])) ++sp;
    std::string_view name = field.substr(0, sp);
    std::string_view arg = Trim(field.substr(sp));
    auto dup = [&](bool& seen) -> Status {
      if (seen) return Error(ErrorCode::kParse, std::string(kw) + ": '" + std::string(name) + "' given twice");
      seen = true;
      if (arg.empty()) return Error(ErrorCode::kParse, std::string(kw) + ": '" + std::string(name) + "' needs a value");
      return Ok();
    };
    if (name == "type" && !detection_filter) {
      VIGIL_CHECK_OK(dup(have_type));
      VIGIL_TRY(t.type, ParseThresholdType(arg));
    } else if (name == "track") {
      VIGIL_CHECK_OK(dup(have_track));
      VIGIL_TRY(t.track, ParseTrackBy(arg));
      if (t.track == TrackBy::kEither) {
        return Error(ErrorCode::kParse, std::string(kw) + ": by_either is only valid in suppress");
      }
    } else if (name == "count") {
      VIGIL_CHECK_OK(dup(have_count));
      VIGIL_TRY(uint64_t n, ParseUnsigned(arg, 0xffffffffu));
      t.count = static_cast<uint32_t>(n);
    } else if (name == "seconds") {
      VIGIL_CHECK_OK(dup(have_seconds));
      VIGIL_TRY(uint64_t n, ParseUnsigned(arg, 0xffffffffu));
      t.seconds = static_cast<uint32_t>(n);
    } else if (name == "multiplier" && !detection_filter) {
      VIGIL_CHECK_OK(dup(have_multiplier));
      VIGIL_TRY(uint64_t n, ParseUnsigned(arg, 0xffffffffu));
      if (n < 2) return Error(ErrorCode::kParse, "threshold: multiplier must be at least 2");
      t.multiplier = static_cast<uint32_t>(n);
    } else if (name == "unique_on") {
      // Suricata 8's distinct counting: valid, but not implemented here.
      return Error(ErrorCode::kUnsupported, "unsupported " + std::string(kw) + " field 'unique_on'");
    } else {
      return Error(ErrorCode::kParse, std::string(kw) + ": unknown field '" + std::string(field) + "'");
    }
  }
  if (t.type == ThresholdType::kBackoff) {
    if (!have_track || !have_count || !have_multiplier || have_seconds) {
      return Error(ErrorCode::kParse, "threshold: type backoff needs track, count and multiplier (no seconds)");
    }
    if (t.count == 0) return Error(ErrorCode::kParse, std::string(kw) + ": count must be at least 1");
    return t;
  }
  if (have_multiplier) return Error(ErrorCode::kParse, "threshold: multiplier is only valid with type backoff");
  if ((!detection_filter && !have_type) || !have_track || !have_count || !have_seconds) {
    return Error(ErrorCode::kParse, std::string(kw) + (detection_filter ? " needs track, count and seconds"
                                                                        : " needs type, track, count and seconds"));
  }
  if (t.count == 0) return Error(ErrorCode::kParse, std::string(kw) + ": count must be at least 1");
  return t;
}

}  // namespace

Result<ThresholdType> ParseThresholdType(std::string_view w) {
  if (w == "limit") return ThresholdType::kLimit;
  if (w == "threshold") return ThresholdType::kThreshold;
  if (w == "both") return ThresholdType::kBoth;
  if (w == "backoff") return ThresholdType::kBackoff;
  return Error(ErrorCode::kParse, "unknown threshold type '" + std::string(w) + "' (limit, threshold, both, backoff)");
}

Result<TrackBy> ParseTrackBy(std::string_view w) {
  if (w == "by_src") return TrackBy::kSrc;
  if (w == "by_dst") return TrackBy::kDst;
  if (w == "by_rule") return TrackBy::kRule;
  if (w == "by_both") return TrackBy::kBoth;
  if (w == "by_either") return TrackBy::kEither;
  if (w == "by_flow") return TrackBy::kFlow;
  return Error(ErrorCode::kParse, "unknown track '" + std::string(w) + "' (by_src, by_dst, by_rule, by_both, by_flow)");
}

const char* TrackByName(TrackBy t) {
  switch (t) {
    case TrackBy::kSrc: return "by_src";
    case TrackBy::kDst: return "by_dst";
    case TrackBy::kRule: return "by_rule";
    case TrackBy::kBoth: return "by_both";
    case TrackBy::kEither: return "by_either";
    case TrackBy::kFlow: return "by_flow";
  }
  return "?";
}

const char* ThresholdTypeName(ThresholdType t) {
  switch (t) {
    case ThresholdType::kLimit: return "limit";
    case ThresholdType::kThreshold: return "threshold";
    case ThresholdType::kBoth: return "both";
    case ThresholdType::kDetectionFilter: return "detection_filter";
    case ThresholdType::kBackoff: return "backoff";
  }
  return "?";
}

Result<ThresholdOption> ParseThreshold(std::string_view value) { return ParseFields(value, false); }
Result<ThresholdOption> ParseDetectionFilter(std::string_view value) { return ParseFields(value, true); }

}  // namespace vigil::rules
