// DetectThread: one worker's matcher over a shared DetectEngine — Hyperscan scratch, PCRE
// scratch, candidate list, threshold state, counters and rule profile. Not thread-safe; make
// one per worker thread. Inspect() allocates nothing in steady state.
//
// Per inspection: pick the groups for (transport, direction, dport, sport); scan each present
// buffer with the group's database for that buffer (the match callback only records rule
// indices); add the group's always-check rules; sort and de-duplicate candidates (the engine's
// rule order is evaluation order: pass first, then flowbit setters, then priority, then sid);
// evaluate each fully; apply flowbits, pass, noalert, suppress and thresholds; queue alerts.
//
//   DetectThread t(engine, block, ids);   // block/ids may be null/empty (local stats only)
//   AlertQueue q;
//   t.Inspect(input, &q);
#pragma once

#include <cstdint>
#include <vector>

#include "core/counters.h"
#include "sensor/detect/alert.h"
#include "sensor/detect/detect_counters.h"
#include "sensor/detect/detect_engine.h"
#include "sensor/detect/inspect_input.h"
#include "sensor/detect/threshold_tracker.h"

namespace vigil::sensor {

class DetectThread {
 public:
  explicit DetectThread(const DetectEngine& engine, CounterBlock* block = nullptr,
                        CounterGroup ids = {});

  // Evaluates the rules for one inspection; appends alerts to `out` (cleared first). Returns the
  // number of alerts queued.
  size_t Inspect(const InspectInput& in, AlertQueue* out);

  // Local totals (mirrors the counters), for tests and benches without a registry.
  uint64_t local(uint32_t counter) const { return local_[counter]; }
  const std::vector<RuleProfile>& profile() const { return profile_; }
  bool ok() const { return ok_; }

 private:
  bool Evaluate(const EngineRule& er, const InspectInput& in);
  void Count(uint32_t c, uint64_t n = 1) {
    local_[c] += n;
    if (block_ && ids_.size() > c) block_->Add(ids_[c], n);
  }
  bool AlertAllowed(uint32_t ri, const EngineRule& er, const InspectInput& in);

  const DetectEngine& engine_;
  CounterBlock* block_;
  CounterGroup ids_;
  HsScratch hs_;
  PcreScratch pcre_;
  InspectScratch scratch_;
  ThresholdTracker thresholds_;
  std::vector<uint32_t> candidates_;
  std::vector<RuleProfile> profile_;
  uint64_t local_[DetectCounters::kCount] = {};
  bool ok_ = true;
};

}  // namespace vigil::sensor
