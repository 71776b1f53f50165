#include "core/control/status_report.h"

#include <unistd.h>

#include <utility>

#include "core/time.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "unknown"
#endif

namespace vigil::control {

std::string_view VigilVersion() { return VIGIL_VERSION; }

StatusReport::StatusReport(std::string program, std::string instance)
    : program_(std::move(program)),
      instance_(std::move(instance)),
      start_wall_ns_(WallClock{}.Now().ns),
      start_mono_ns_(MonotonicNanos()) {}

void StatusReport::AddCounters(const CounterRegistry* registry) {
  std::lock_guard lock(mu_);
  registries_.push_back(registry);
}

void StatusReport::SetSection(std::string name, SectionWriter write) {
  std::lock_guard lock(mu_);
  for (Section& s : sections_) {
    if (s.name == name) {
      s.write = std::move(write);
      return;
    }
  }
  sections_.push_back({std::move(name), std::move(write)});
}

std::string StatusReport::Json() const {
  JsonWriter w;
  w.BeginObject();
  w.KeyString("program", program_);
  if (!instance_.empty()) w.KeyString("instance", instance_);
  w.KeyString("version", VigilVersion());
  w.KeyInt("pid", ::getpid());
  w.KeyUint("uid", ::geteuid());
  w.KeyUint("gid", ::getegid());
  w.KeyInt("started_unix", start_wall_ns_ / kNanosPerSecond);
  w.KeyDouble("uptime_seconds",
              static_cast<double>(MonotonicNanos() - start_mono_ns_) / static_cast<double>(kNanosPerSecond));
  std::lock_guard lock(mu_);
  for (const Section& s : sections_) {
    w.Key(s.name);
    s.write(w);
  }
  w.KeyObject("counters");
  for (const CounterRegistry* r : registries_) {
    for (const CounterValue& c : r->Snapshot()) w.KeyUint(c.name, c.value);
  }
  w.EndObject();
  w.EndObject();
  if (!w.ok()) return R"({"error":"internal: the status report is not valid JSON"})";
  return std::string(w.view());
}

}  // namespace vigil::control
