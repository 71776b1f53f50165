// AppAnomaly / AnomalyLog: named app-layer anomalies ("app-layer events") waiting to be emitted.
//
// Each parser records an anomaly when input breaks the protocol or hits a limit. Names follow
// Suricata's app-layer-event keyword ("http.request_field_too_long", "dns.malformed_data",
// "tls.invalid_record_type"), so `app-layer-event:` rules and EVE anomaly consumers written for
// Suricata mean the same thing. Every anomaly is counted (per name) when it is recorded; the log
// only holds the most recent ones until the pipeline drains it after feeding a chunk, and is
// bounded: once full, further anomalies are counted (app.anomalies_dropped) but not kept.
//
//   parser.OnData(dir, bytes);
//   for (const AppAnomaly& a : parser.anomalies().items()) EmitAnomaly(a.name, a.dir, a.tx_id);
//   parser.anomalies().Clear();
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace vigil::sensor {

struct AppAnomaly {
  std::string_view name;           // static storage: "http.request_line_invalid"
  Direction dir = Direction::kNone;
  std::optional<uint64_t> tx_id;   // HTTP/DNS transaction the anomaly belongs to, if any
};

class AnomalyLog {
 public:
  // The log keeps at most `capacity` anomalies between two Clear() calls.
  explicit AnomalyLog(size_t capacity = 32) : capacity_(capacity) {}

  // Returns false when the log was full and the anomaly was only counted by the caller.
  bool Push(const AppAnomaly& a) {
    if (items_.size() >= capacity_) {
      ++dropped_;
      return false;
    }
    if (items_.capacity() == 0) items_.reserve(capacity_);
    items_.push_back(a);
    return true;
  }
  std::span<const AppAnomaly> items() const { return items_; }
  bool empty() const { return items_.empty(); }
  // Anomalies not kept because the log was full, since construction.
  uint64_t dropped() const { return dropped_; }
  void Clear() { items_.clear(); }
  void Reset() { items_.clear(); dropped_ = 0; }
  void set_capacity(size_t c) { capacity_ = c; }

 private:
  std::vector<AppAnomaly> items_;
  size_t capacity_;
  uint64_t dropped_ = 0;
};

}  // namespace vigil::sensor
