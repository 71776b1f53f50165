// StatusReport: the live state a daemon reports on its control socket (`vigil status`), as one
// JSON document built on request, on the control thread:
//
//   {"program":"vigil-sensor","instance":"eth1","version":"0.1.0","pid":4242,"uid":65534,
//    "gid":65534,"started_unix":1795000000,"uptime_seconds":12.5,
//    "ruleset":{...},                                   <- sections added with SetSection
//    "counters":{"capture.packets":1200,"decoder.pkts":1200,...}}
//
// Counters come from the daemon's CounterRegistry objects (summed over threads with relaxed
// atomic loads: thread-safe by construction, see core/counters.h); they are the same counters the
// periodic stats report. Sections are callbacks that write one JSON value; they run on the
// control thread, so they must read only thread-safe state.
//
//   StatusReport report("vigil-correlator", "province");
//   report.AddCounters(&receiver->counters());
//   report.SetSection("ruleset", [&](JsonWriter& w) { ... });
//   std::string json = report.Json();   // from any thread
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/counters.h"
#include "core/json_writer.h"

namespace vigil::control {

// The project version (CMake's PROJECT_VERSION).
std::string_view VigilVersion();

class StatusReport {
 public:
  using SectionWriter = std::function<void(JsonWriter&)>;

  StatusReport(std::string program, std::string instance);
  StatusReport(const StatusReport&) = delete;
  StatusReport& operator=(const StatusReport&) = delete;

  // Registries must outlive every Json() call (stop the control server before freeing them).
  void AddCounters(const CounterRegistry* registry);
  // Adds or replaces the top-level key `name`; `write` writes exactly one JSON value.
  void SetSection(std::string name, SectionWriter write);

  // The document, without a trailing newline. Thread-safe.
  std::string Json() const;

  const std::string& program() const { return program_; }

 private:
  struct Section {
    std::string name;
    SectionWriter write;
  };
  const std::string program_;
  const std::string instance_;
  const int64_t start_wall_ns_;
  const int64_t start_mono_ns_;
  mutable std::mutex mu_;  // guards registries_ and sections_ (control thread vs setup)
  std::vector<const CounterRegistry*> registries_;
  std::vector<Section> sections_;
};

}  // namespace vigil::control
