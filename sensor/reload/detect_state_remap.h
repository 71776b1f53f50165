// DetectStateRemap: carries one flow's detection state across a rule reload. Per-flow state
// names things by the ids of the engine that built it (flowbit and flowint ids interned at load,
// rule indices in evaluation order); a new engine numbers them differently. Built once per
// reload from the old and the new engine, applied to every live flow at the worker's safe point:
//
//   flowbits, flowints   kept by name: a name the new rules still use keeps its value; the
//                        others are dropped (no rule could read them)
//   tx alerts            (transaction, rule index) pairs remembered so a transaction-scoped rule
//                        alerts once per transaction: remapped by (gid, sid); unknown rules dropped
//   by_flow thresholds   dropped: threshold ids change with the rules; counting restarts
//   pass                 kept: it is a decision about the flow, already taken
//
//   DetectStateRemap remap(old_ctx->engine.get(), new_ctx->engine.get());
//   for each live flow: remap.Apply(state.detect, state.tx_alerted);
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sensor/detect/detect_engine.h"
#include "sensor/detect/inspect_input.h"

namespace vigil::sensor {

class DetectStateRemap {
 public:
  // Null engines mean "no rules": from null nothing is kept, to null everything is dropped.
  DetectStateRemap(const DetectEngine* from, const DetectEngine* to);

  // Rewrites one flow's state in place (allocates: reload time only, never per packet).
  void Apply(FlowDetectState& state, std::vector<std::pair<uint64_t, uint32_t>>& tx_alerted);

  // Old id → new id, or kDropped.
  static constexpr int64_t kDropped = -1;
  int64_t flowbit(uint32_t old_id) const { return Map(flowbits_, old_id); }
  int64_t flowint(uint32_t old_id) const { return Map(flowints_, old_id); }
  int64_t rule(uint32_t old_index) const { return Map(rules_, old_index); }

 private:
  static int64_t Map(const std::vector<int64_t>& m, uint32_t id) {
    return id < m.size() ? m[id] : kDropped;
  }

  std::vector<int64_t> flowbits_, flowints_, rules_;
  std::vector<uint32_t> set_bits_;  // scratch for Apply
};

}  // namespace vigil::sensor
