// RateState: the counting state of one tracked threshold key, and the rule that decides whether
// one more match alerts. Shared by ThresholdTracker (keys by address, per thread) and
// FlowDetectState (track by_flow: the state lives in the flow).
//
// In packet time, per key, a window of `seconds` opened by the first match:
//   limit            alert on the first `count` matches of each window;
//   threshold        alert on every `count`-th match within a window (the count restarts);
//   both             alert once per window, at the `count`-th match;
//   detection_filter alert on every match after the first `count` within the window;
//   backoff          no window: alert at match count, count*m, count*m^2... (m = multiplier).
//
//   RateState st;
//   if (RateAllow(st, rule.threshold, pkt.ts)) emit();
#pragma once

#include <cstdint>

#include "core/time.h"
#include "rules/signature/threshold_option.h"

namespace vigil::sensor {

struct RateState {
  int64_t window_start_ns = 0;
  uint64_t count = 0;      // matches in the window (backoff: since the start)
  uint64_t next = 0;       // backoff: the match number that alerts next
  bool started = false;
};

// Records one match at `now`; true when it alerts.
bool RateAllow(RateState& st, const rules::ThresholdOption& t, Timestamp now);
// True when the window of `st` has passed at `now` (backoff states never expire).
bool RateExpired(const RateState& st, const rules::ThresholdOption& t, Timestamp now);

}  // namespace vigil::sensor
