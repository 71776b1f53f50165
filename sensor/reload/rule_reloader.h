// RuleReloader: hot reload of the sensor's rules. It owns the slot every worker's InspectPlugin
// reads the live InspectContext from (InspectContextSlot), builds a new context beside the live
// one on its own thread (never on a worker or the reader), publishes it atomically, and frees
// the old one on that thread once no worker holds it. Capture never stops; a worker takes the
// new rules at its next packet boundary (sensor/inspect's InspectPlugin::AdoptLiveContext).
//
// What is loaded: the rule files of the start (config rule-files and -S / -s, re-read from
// disk, with classification-file and threshold-file) plus the latest rule bundle, if one came
// (its rules are added to the files'; a newer bundle replaces the older one). The config file
// itself is not re-read: the start's SensorConfig is kept.
//
// A failed load (missing file, unreadable threshold file, engine build error) keeps the old
// rules live, is logged and counted (failures()). Rules that fail to parse are skipped and
// counted in the load report, as at start.
//
//   auto ctx = LoadInspectContext(config, sources);                    // at start, as before
//   RuleReloader reloader(config, sources, *ctx, {.log = &log});        // "... rules: generation 1 live ..."
//   options.plugins = reloader.PluginFactory();
//   // SIGHUP:           reloader.Request(RuleSource::Files());
//   // a rule bundle:    reloader.Request(RuleSource::Bundle(text, "national", "2026.11.24-3"));
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/counters.h"
#include "core/log.h"
#include "core/result.h"
#include "core/time.h"
#include "sensor/inspect/inspect_context.h"
#include "sensor/inspect/inspect_plugin.h"
#include "sensor/pipeline/sensor_config.h"
#include "sensor/pipeline/worker_plugin.h"
#include "sensor/reload/ruleset_info.h"

namespace vigil::sensor {

// What to (re)load.
struct RuleSource {
  enum class Kind : uint8_t { kFiles, kBundle };
  Kind kind = Kind::kFiles;
  std::string rules;      // kBundle: rules text (Suricata syntax, one rule per line)
  std::string bundle_id;  // kBundle: who made it ("national", a province)
  std::string version;    // kBundle: the bundle's version, reported as the ruleset's version

  // The start's rule files, re-read from disk (with the current bundle, if any).
  static RuleSource Files() { return RuleSource{}; }
  // The files plus these rules, which replace the previous bundle's.
  static RuleSource Bundle(std::string rules, std::string bundle_id, std::string version) {
    return RuleSource{Kind::kBundle, std::move(rules), std::move(bundle_id), std::move(version)};
  }
};

struct RuleReloaderOptions {
  Logger* log = nullptr;  // one line per (re)load and per failure; optional, must outlive
  // Called after every attempt on the thread that made it (tests, status). Optional.
  std::function<void(const Result<RulesetInfo>&)> on_reload;
};

class RuleReloader {
 public:
  // `initial`: what LoadInspectContext built at start from `config` and `sources`; it becomes
  // generation 1 (logged). Starts the reloader's thread.
  RuleReloader(SensorConfig config, RuleSources sources,
               std::shared_ptr<const InspectContext> initial, RuleReloaderOptions options = {});
  // Stops the thread (a reload in progress finishes first); queued requests are dropped.
  ~RuleReloader();
  RuleReloader(const RuleReloader&) = delete;
  RuleReloader& operator=(const RuleReloader&) = delete;

  // Plugins for PipelineOptions::plugins that follow the live rules.
  WorkerPluginFactory PluginFactory() const;
  const std::shared_ptr<InspectContextSlot>& slot() const { return slot_; }

  // Queues a reload and returns at once; the reloader's thread builds and publishes it.
  // Requests that pile up while a build runs are merged (the newest bundle wins). Thread-safe;
  // async-signal-unsafe (call it from a signal-waiting thread). Fails only after shutdown began.
  [[nodiscard]] Status Request(RuleSource source);

  // Builds and publishes on the calling thread (not a worker's!); waits for a build in progress.
  // On failure the live rules stay and failures() counts it.
  [[nodiscard]] Result<RulesetInfo> ReloadNow(const RuleSource& source);

  RulesetInfo Live() const;
  uint64_t reloads() const;   // successful reloads (the start's load not counted)
  uint64_t failures() const;  // reload_failures
  // Requests not yet finished (queued or building); 0 when idle.
  uint64_t pending() const;

  // For PipelineOptions::extra_counters (the periodic stats event): detect.ruleset.generation,
  // .rules, .loaded_at (Unix seconds), .reloads, .reload_failures.
  const CounterRegistry& counters() const { return registry_; }
  // For PipelineOptions::extra_texts: detect.ruleset.sha256, .version, .bundle_id.
  std::vector<std::pair<std::string, std::string>> StatsTexts() const;

 private:
  struct Bundle {
    std::string rules, id, version;
  };
  void Loop();
  // Loads the files plus `incoming` (or, without it, the live bundle) and publishes.
  Result<RulesetInfo> Build(std::optional<Bundle> incoming);
  void Report(const Result<RulesetInfo>& r);
  void UpdateCounters();  // under mu_

  CounterRegistry registry_;
  CounterGroup ids_;
  CounterBlock* block_ = nullptr;  // written under mu_ only

  const SensorConfig config_;
  const RuleSources sources_;
  RuleReloaderOptions options_;
  std::shared_ptr<InspectContextSlot> slot_;

  std::mutex build_mu_;               // one build at a time
  std::optional<Bundle> bundle_;      // the live bundle; guarded by build_mu_

  mutable std::mutex mu_;             // guards what follows
  std::condition_variable cv_;
  RulesetInfo live_;
  uint64_t reloads_ = 0, failures_ = 0;
  bool want_files_ = false;
  std::optional<Bundle> want_bundle_;
  bool building_ = false;
  bool stop_ = false;
  std::thread thread_;                // last: starts after everything above exists
};

}  // namespace vigil::sensor
