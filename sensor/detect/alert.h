// Alert: one signature match, kept small; the pipeline turns it into an EVE alert event with
// core's AlertInfo (msg, category and metadata point into the engine's rule table, which
// outlives every alert made from it).
//
//   AlertQueue q;  thread.Inspect(in, &q);
//   for (const Alert& a : q.alerts()) { AlertInfo info{.action = a.action_name, ...}; }
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "rules/signature/rule.h"
#include "sensor/detect/dataset_match.h"

namespace vigil::sensor {

struct Alert {
  uint32_t gid = 1;
  uint32_t sid = 0;
  uint32_t rev = 0;
  uint8_t severity = 3;             // classification priority (or the rule's priority:)
  rules::Action action = rules::Action::kAlert;
  std::string_view action_name;     // EVE "action": "allowed" in IDS mode for alert/drop/reject
  std::string_view msg;
  std::string_view category;        // classification description, "" when none
  const rules::Rule* rule = nullptr;  // metadata, references
  uint32_t rule_index = 0;          // engine rule index (profiling, dedupe)
  rules::BufferId buffer = rules::BufferId::kPacket;  // buffer of the rule's fast pattern
  bool stream = false;              // matched on stream data
  // datajson: the matched sets' entries (alert.context), in the queue's store; valid while the
  // queue is not cleared. Read with contexts().
  const std::vector<DatasetHit>* context_store = nullptr;
  uint32_t context_first = 0, context_count = 0;
  std::span<const DatasetHit> contexts() const {
    if (context_store == nullptr || context_count == 0) return {};
    return std::span<const DatasetHit>(*context_store).subspan(context_first, context_count);
  }
};

// The alerts of one inspection, bounded (DetectConfig::max_alerts_per_inspection). Reused
// across calls: Clear() keeps capacity, so steady state allocates nothing.
class AlertQueue {
 public:
  void Clear() { alerts_.clear(); contexts_.clear(); overflow_ = 0; }
  std::span<const Alert> alerts() const { return alerts_; }
  uint32_t overflow() const { return overflow_; }
  // Internal: used by DetectThread.
  std::vector<Alert>& mutable_alerts() { return alerts_; }
  void AddOverflow() { ++overflow_; }
  void AddContexts(Alert* a, std::span<const DatasetHit> hits) {
    if (hits.empty()) return;
    a->context_store = &contexts_;
    a->context_first = static_cast<uint32_t>(contexts_.size());
    a->context_count = static_cast<uint32_t>(hits.size());
    contexts_.insert(contexts_.end(), hits.begin(), hits.end());
  }

 private:
  std::vector<Alert> alerts_;
  std::vector<DatasetHit> contexts_;
  uint32_t overflow_ = 0;
};

}  // namespace vigil::sensor
