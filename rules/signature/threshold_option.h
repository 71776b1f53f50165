// threshold and detection_filter: how often a matching rule may alert.
//
//   threshold: type limit, track by_src, count 1, seconds 60;
//   threshold: type backoff, track by_flow, count 1, multiplier 10;   (Suricata 8)
//   detection_filter: track by_dst, count 10, seconds 60;
//
// Fields are comma-separated "name value" pairs in any order, each exactly once. threshold needs
// type, track, count and seconds — or, for type backoff, count and multiplier instead of seconds;
// detection_filter needs track, count and seconds and has no type. Tracks: by_src, by_dst,
// by_rule, by_both (the address pair, either direction), by_flow. Suricata 8's `unique_on`
// (distinct counting) is valid but not implemented: the rule is skipped with that reason. The
// same types are used by threshold.config (threshold_config.h), which has no backoff.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace vigil::rules {

enum class ThresholdType : uint8_t { kLimit, kThreshold, kBoth, kDetectionFilter, kBackoff };
enum class TrackBy : uint8_t { kSrc, kDst, kRule, kBoth, kEither, kFlow };

struct ThresholdOption {
  ThresholdType type = ThresholdType::kLimit;
  TrackBy track = TrackBy::kSrc;
  uint32_t count = 0;
  uint32_t seconds = 0;
  uint32_t multiplier = 0;  // backoff: alert at match count, count*m, count*m^2, ...
  friend bool operator==(const ThresholdOption&, const ThresholdOption&) = default;
};

Result<ThresholdOption> ParseThreshold(std::string_view value);
Result<ThresholdOption> ParseDetectionFilter(std::string_view value);

// Single words, shared with threshold.config.
Result<ThresholdType> ParseThresholdType(std::string_view word);
Result<TrackBy> ParseTrackBy(std::string_view word);
const char* TrackByName(TrackBy t);
const char* ThresholdTypeName(ThresholdType t);

}  // namespace vigil::rules
