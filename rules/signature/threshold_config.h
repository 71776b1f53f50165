// ThresholdConfig: threshold.config, the operator's per-rule alert rate controls.
//
//   threshold gen_id 1, sig_id 2002087, type threshold, track by_src, count 10, seconds 60
//   event_filter gen_id 1, sig_id 1000, type limit, track by_dst, count 1, seconds 3600
//   suppress gen_id 1, sig_id 2003614, track by_src, ip 217.110.97.128/25
//   suppress gen_id 1, sig_id 2003614, track by_either, ip [$HOME_NET,!10.0.0.1]
//   rate_filter gen_id 1, sig_id 1000, track by_rule, count 100, seconds 60, new_action drop, timeout 30
//
// `event_filter` is the same as `threshold`. A suppress without `track`/`ip` silences the rule
// entirely; `ip` takes anything an address expression takes (variables too) and needs `track`.
// sig_id 0 with gen_id 0 means every rule. `rate_filter` is parsed and validated, then reported
// as unsupported (Vigil does not change actions at run time) in `unsupported()`; it never aborts
// the load. Malformed lines are errors naming file:line.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "rules/signature/address_set.h"
#include "rules/signature/rule_variables.h"
#include "rules/signature/threshold_option.h"

namespace vigil::rules {

enum class ThresholdEntryKind : uint8_t { kThreshold, kSuppress, kRateFilter };

struct ThresholdEntry {
  ThresholdEntryKind kind = ThresholdEntryKind::kThreshold;
  uint32_t gen_id = 0;
  uint32_t sig_id = 0;
  ThresholdOption limits;  // threshold/event_filter/rate_filter: type (not for rate_filter), track, count, seconds
  std::optional<TrackBy> suppress_track;        // suppress: by_src, by_dst or by_either
  std::shared_ptr<const AddressSet> suppress_ip; // suppress with ip
  std::string ip_text;
  std::string new_action;  // rate_filter
  uint32_t timeout = 0;    // rate_filter
  uint32_t line = 0;
};

class ThresholdConfig {
 public:
  static Result<ThresholdConfig> LoadFile(const std::string& path, const RuleVariables& vars);
  static Result<ThresholdConfig> Parse(std::string_view text, std::string_view source_name,
                                       const RuleVariables& vars);

  const std::vector<ThresholdEntry>& entries() const { return entries_; }
  // "<file>:<line>: rate_filter is not supported" for each rate_filter.
  const std::vector<std::string>& unsupported() const { return unsupported_; }

 private:
  std::vector<ThresholdEntry> entries_;
  std::vector<std::string> unsupported_;
};

}  // namespace vigil::rules
