// ThresholdTracker: the rate state behind `threshold:`, `detection_filter:` and threshold.config
// threshold/event_filter entries, in packet time, in a bounded table.
//
// Semantics follow Suricata (see rate_state.h for limit / threshold / both / detection_filter /
// backoff). Tracking: by_src, by_dst, by_rule, by_both (the address pair, the same in either
// direction, as Suricata's IP-pair table). by_flow state lives in the flow (FlowDetectState);
// DetectThread keeps it there, and only calls this table for by_flow when there is no flow (then
// the packet's address pair stands in for it).
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
#include "sensor/detect/rate_state.h"

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
    RateState rate;
    rules::ThresholdOption limits;  // for expiry in Sweep
  };
  void Sweep(Timestamp now);

  size_t capacity_;
  uint64_t full_ = 0;
  std::unordered_map<Key, State, KeyHash> table_;
};

}  // namespace vigil::sensor
