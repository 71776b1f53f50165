// AppEventList: the app-layer event names one inspection sees, for `app-layer-event:` rules.
//
// Suricata attaches protocol events either to a transaction (an HTTP request with a duplicate
// Content-Length, a DNS message with the Z bit set) or to the parser of the flow (a TLS record
// with an invalid type). An inspection of a transaction sees that transaction's events plus the
// flow-level events the parser raised for the data of this packet (its anomaly log, before the
// pipeline drains it). Names point to static storage (the event tables); the list keeps its
// capacity, so filling it allocates nothing after the first packets.
//
//   events.Clear();
//   events.AddBits(m.events, kDnsEventDefs);
//   events.AddFlowLevel(parser.anomalies());
//   in.app_events = events.view();
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/counters.h"
#include "sensor/app/app_anomaly.h"

namespace vigil::sensor {

class AppEventList {
 public:
  AppEventList() { names_.reserve(64); }
  void Clear() { names_.clear(); }
  // The events whose bit is set in `bits` (bit i = defs[i]).
  void AddBits(uint64_t bits, std::span<const CounterDef> defs);
  // The anomalies of `log` not tied to a transaction.
  void AddFlowLevel(const AnomalyLog& log);
  std::span<const std::string_view> view() const { return names_; }

 private:
  std::vector<std::string_view> names_;
};

}  // namespace vigil::sensor
