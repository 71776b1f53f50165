// Pipeline: the sensor's packet path assembled — capture, decode, defrag, flows, TCP reassembly,
// events — in one of two run modes, with periodic and final stats. This is the library API that
// vigil-sensor's main() and the tests drive.
//
//   runmode single:   one thread: source -> PacketIngest (decode, defrag) -> Worker
//   runmode workers:  reader thread: source -> PacketIngest -> Dispatcher (symmetric flow hash)
//                       -> SpscRing[w] -> worker thread w: Worker  (w = 0..N-1)
//   both:             a stats thread writes an EVE stats event every stats.interval (wall time);
//                     a final one is written when the run ends.
//
//   MemorySink sink;                                  // or an EveFile
//   SensorConfig cfg = ...; cfg.capture.inputs = {"x.pcap"};
//   auto summary = RunOffline(cfg, sink);             // Result<RunSummary>
//
//   // Live, stoppable from another thread (vigil-sensor calls Stop() on SIGINT/SIGTERM):
//   auto p = Pipeline::Create(cfg, sink, options);
//   std::thread t([&] { auto s = (*p)->Run(); ... });
//   (*p)->Stop(); t.join();
//
// Offline results do not depend on the number of workers, except for the order of events: flow
// ids come from the flow's hash and start time, every worker ends the run by letting packet time
// advance to the last packet of the whole input (so flows that were idle past their timeout end
// as timeouts with any worker count), and fragments are reassembled before dispatch. Packet time
// drives every timeout; live runs also tick idle workers with the wall clock.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/counters.h"
#include "core/log.h"
#include "core/result.h"
#include "sensor/capture/capture_source.h"
#include "sensor/capture/offline_source.h"
#include "sensor/output/event_sink.h"
#include "sensor/pipeline/run_summary.h"
#include "sensor/pipeline/sensor_config.h"
#include "sensor/pipeline/worker_plugin.h"

namespace vigil::sensor {

class Dispatcher;
class LiveSource;
class PacketPool;
class PacketIngest;
class AnomalyReporter;
class ReaderLoop;
class Worker;
struct PipelineCounters;

struct PipelineOptions {
  // Per-worker extension (app-layer, detection, test observers). Optional.
  WorkerPluginFactory plugins;
  // Offline progress: (input bytes done, total), on the reading thread. Optional.
  ProgressCallback progress;
  // Warnings and notices (bad files, live capture warnings). Optional; must outlive the run.
  Logger* log = nullptr;
  // Other components' counters (intel, rule reload...) appended to every stats event. Each
  // registry must outlive the run.
  std::vector<const CounterRegistry*> extra_counters;
  // String entries for every stats event ({"detect.ruleset.version", "files"}: nested like
  // counters), asked for on the stats thread. Optional.
  std::function<std::vector<std::pair<std::string, std::string>>()> extra_texts;
};

class Pipeline {
 public:
  // Builds every stage and opens the capture source, so configuration, missing files and
  // capture permissions fail here, before anything runs. `sink` must outlive the pipeline.
  [[nodiscard]] static Result<std::unique_ptr<Pipeline>> Create(const SensorConfig& config,
                                                                EventSink& sink,
                                                                PipelineOptions options = {});
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Runs until the input ends (offline) or Stop(); then ends every flow, writes the final stats
  // event and flushes the events. Call once. A failed Result is a fatal capture error.
  [[nodiscard]] Result<RunSummary> Run();

  // Ends Run() promptly: reading stops, packets already queued are still processed, flows end
  // with reason shutdown. Thread-safe (not async-signal-safe: call it from a thread that waits
  // for signals, as vigil-sensor does).
  void Stop();

  // The counters of this run (live values while it runs).
  const CounterRegistry& registry() const { return *registry_; }
  const SensorConfig& config() const { return config_; }

 private:
  Pipeline(const SensorConfig& config, EventSink& sink, PipelineOptions options);
  Status Build();
  Status RunSingle();
  Status RunWorkers(RunSummary& summary);
  void WorkerLoop(uint32_t w);
  void StatsLoop();
  void WriteStats();
  bool live() const { return config_.capture.is_live(); }

  const SensorConfig config_;
  EventSink& sink_;
  PipelineOptions options_;
  std::unique_ptr<CounterRegistry> registry_;
  std::unique_ptr<PipelineCounters> ids_;
  CounterBlock* reader_block_ = nullptr;  // the reading thread's (single: also the worker's)
  CounterBlock* stats_block_ = nullptr;

  std::unique_ptr<CaptureSource> source_;
  LiveSource* live_source_ = nullptr;  // source_ when live
  std::unique_ptr<EventWriter> reader_events_;  // fragments' anomalies (workers mode)
  std::unique_ptr<AnomalyReporter> reader_anomalies_;
  std::unique_ptr<PacketIngest> ingest_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<PacketPool> pool_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<ReaderLoop> reader_;

  std::unique_ptr<EventWriter> stats_events_;
  int64_t start_mono_ns_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> end_ts_{0};
  std::atomic<bool> finish_{false};  // workers mode: end_ts_ is final, workers may finish
  std::mutex stats_mu_;
  std::condition_variable stats_cv_;
  bool stats_done_ = false;  // guarded by stats_mu_
  std::vector<std::string> file_errors_;  // written by the reading thread only
};

// Runs the pipeline over config.capture.inputs (pcap/pcapng files or directories) to the end and
// returns its summary. The in-process entry point for tests and tools.
[[nodiscard]] Result<RunSummary> RunOffline(const SensorConfig& config, EventSink& sink,
                                            PipelineOptions options = {});

}  // namespace vigil::sensor
