// RunSummary: what a pipeline run did — every counter summed over all threads, plus how the run
// ended — and the readable exit summary printed by vigil-sensor (packets, bytes, drops, anomalies
// by name, flows, reassembly gaps, memcap hits).
//
//   auto summary = RunOffline(config, sink);
//   std::cerr << summary->Format();
//   summary->Counter("flow.created");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/counters.h"

namespace vigil::sensor {

struct RunSummary {
  // Every registered counter, summed over threads, in registration order.
  std::vector<std::pair<std::string, uint64_t>> counters;
  double wall_seconds = 0;
  bool stopped = false;                  // ended by Stop() (SIGINT) rather than end of input
  std::vector<std::string> file_errors;  // offline files that failed (the run went on)
  uint32_t workers = 1;
  std::string runmode;

  // 0 for an unknown name.
  uint64_t Counter(std::string_view name) const;
  // Sum of every counter whose name starts with prefix.
  uint64_t Sum(std::string_view prefix) const;
  // The human-readable summary (multi-line, ends with '\n').
  std::string Format() const;

  static RunSummary FromRegistry(const CounterRegistry& registry);
};

}  // namespace vigil::sensor
