// ThresholdTracker: the rate state behind `threshold:`, `detection_filter:` and threshold.config
// threshold/event_filter entries, in packet time, in a bounded table.
//
// Semantics follow Suricata (per tracked key, a window of `seconds` opened by the first match):
//   limit      alert on the first `count` matches of each window;
//   threshold  alert on every `count`-th match within a window (the count restarts after each);
//   both       alert once per window, at the `count`-th match;
//   detection_filter  alert on every match after the first `count` within the window.
// Tracking: by_src, by_dst, by_rule, by_both (src+dst pair); by_flow is tracked as by_both.
//
// State is per worker thread (flows are pinned to workers, so by_src counts are per worker:
// a documented difference from Suricata's global table). When the table is full the expired
// entries are swept; if none is expired the match is let through and counted (`full()`).
//
//   ThresholdTracker t(65536);
//   if (t.Allow(rule_index * 2, rule.threshold, pkt.src, pkt.dst, pkt.ts)) emit();
#pragma once

#include <cstdint>
#include <unordered_map>

#include "core/ip_address.h"
#include "core/time.h"
#include "rules/signature/threshold_option.h"

namespace vigil::sensor {

class ThresholdTracker {
 public:
  explicit ThresholdTracker(size_t capacity) : capacity_(capacity) {}

  // `id` names the threshold (rule or threshold.config entry); true: emit the alert.
  bool Allow(uint32_t id, const rules::ThresholdOption& t, const IpAddress& src,
             const IpAddress& dst, Timestamp ts);
  uint64_t full() const { return full_; }
  size_t size() const { return table_.size(); }

 private:
  struct Key {
    uint32_t id = 0;
    IpAddress a, b;
    bool operator==(const Key& o) const {
      return id == o.id && a.bytes == o.a.bytes && a.family == o.a.family &&
             b.bytes == o.b.bytes && b.family == o.b.family;
    }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  struct State {
    int64_t window_start_ns = 0;
    int64_t window_ns = 0;
    uint32_t count = 0;
  };
  void Sweep(int64_t now_ns);

  size_t capacity_;
  uint64_t full_ = 0;
  std::unordered_map<Key, State, KeyHash> table_;
};

}  // namespace vigil::sensor
