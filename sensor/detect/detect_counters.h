// Detection counters (registered with the process CounterRegistry) and per-rule profiling.
//
//   auto ids = DetectCounters::Register(registry);     // during setup
//   DetectThread t(engine, registry.NewBlock("w0"), *ids);
//
// RuleProfile entries are kept per thread, indexed by engine rule index, and summed with
// Add() by `vigil rules profile`.
#pragma once

#include <cstdint>
#include <vector>

#include "core/counters.h"
#include "core/result.h"

namespace vigil::sensor {

struct DetectCounters {
  enum : uint32_t {
    kAlerts, kAlertsSuppressed, kAlertQueueOverflow, kPrefilterHits, kRulesChecked,
    kPcreMatchLimit, kRecursionLimit, kInspections, kStreamDepthReached, kThresholdTableFull,
    kScanErrors, kPassed, kTransforms, kXbitsTableFull, kDatasetFull, kCount
  };
  static const CounterDef kDefs[kCount];
  static Result<CounterGroup> Register(CounterRegistry& reg) { return reg.Register(kDefs); }
};

struct RuleProfile {
  uint64_t prefilter_hits = 0;  // times the rule was a candidate (fast pattern matched)
  uint64_t checks = 0;          // full evaluations
  uint64_t matches = 0;
  uint64_t ns = 0;              // evaluation time (DetectConfig::profile_timing)
  void Add(const RuleProfile& o) {
    prefilter_hits += o.prefilter_hits;
    checks += o.checks;
    matches += o.matches;
    ns += o.ns;
  }
};

}  // namespace vigil::sensor
