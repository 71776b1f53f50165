// threshold and detection_filter: how often a matching rule may alert.
//
//   threshold: type limit, track by_src, count 1, seconds 60;
//   detection_filter: track by_dst, count 10, seconds 60;
//
// Fields are comma-separated "name value" pairs in any order, each exactly once. threshold needs
// type, track, count and seconds; detection_filter needs track, count and seconds and has no
// type. The same types are used by threshold.config (threshold_config.h).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace vigil::rules {

enum class ThresholdType : uint8_t { kLimit, kThreshold, kBoth, kDetectionFilter };
enum class TrackBy : uint8_t { kSrc, kDst, kRule, kBoth, kEither, kFlow };

struct ThresholdOption {
  ThresholdType type = ThresholdType::kLimit;
  TrackBy track = TrackBy::kSrc;
  uint32_t count = 0;
  uint32_t seconds = 0;
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
