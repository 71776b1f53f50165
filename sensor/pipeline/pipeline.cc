#include "sensor/pipeline/pipeline.h"

#include <chrono>

#include "sensor/capture/dispatcher.h"
#include "sensor/capture/live_source.h"
#include "sensor/capture/packet_pool.h"
#include "sensor/flow/flow_key.h"
#include "sensor/pipeline/anomaly_reporter.h"
#include "sensor/pipeline/packet_ingest.h"
#include "sensor/pipeline/pipeline_counters.h"
#include "sensor/pipeline/reader_loop.h"
#include "sensor/pipeline/worker.h"

namespace vigil::sensor {

namespace {

// Live runs only: how often an idle worker lets wall time end idle flows, and how long events
// may wait in a thread's batch before they are written anyway.
constexpr int64_t kIdleTickNs = 100 * kNanosPerMilli;
constexpr int64_t kEventFlushNs = kNanosPerSecond;
constexpr uint32_t kClockCheckPackets = 4096;
constexpr size_t kWorkerBatch = 64;

uint32_t DispatchHash(const Packet& p) {
  if (!p.decoded) return 0;
  const uint64_t h = FlowKey::FromPacket(p).Hash();
  return static_cast<uint32_t>(h ^ (h >> 32));
}

EventWriterConfig WriterConfig(const SensorConfig& c) {
  return EventWriterConfig{
      .sensor_id = c.sensor_id, .province = c.province, .batch_bytes = c.eve_batch_bytes};
}

}  // namespace

Pipeline::Pipeline(const SensorConfig& config, EventSink& sink, PipelineOptions options)
    : config_(config), sink_(sink), options_(std::move(options)) {}

Pipeline::~Pipeline() {
  // Workers (and their plugins) hold writers on sink_ and counters in registry_: they go first.
  reader_.reset();
  dispatcher_.reset();
  workers_.clear();
  ingest_.reset();
  reader_anomalies_.reset();
  reader_events_.reset();
  stats_events_.reset();
}

Result<std::unique_ptr<Pipeline>> Pipeline::Create(const SensorConfig& config, EventSink& sink,
                                                   PipelineOptions options) {
  VIGIL_CHECK_OK(config.Validate());
  if (config.capture.inputs.empty() && config.capture.interface.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "nothing to read: give pcap files (-r) or an interface (-i)");
  }
  std::unique_ptr<Pipeline> p(new Pipeline(config, sink, std::move(options)));
  VIGIL_CHECK_OK(p->Build());
  return p;
}

Status Pipeline::Build() {
  registry_ = std::make_unique<CounterRegistry>();
  VIGIL_TRY(PipelineCounters ids, RegisterPipelineCounters(*registry_));
  ids_ = std::make_unique<PipelineCounters>(ids);
  const bool single = config_.runmode == RunMode::kSingle;
  reader_block_ = registry_->NewBlock(single ? "worker-0" : "reader");
  stats_block_ = registry_->NewBlock("stats");

  CaptureCounters cc = ids_->capture;
  cc.block = reader_block_;
  if (live()) {
    VIGIL_TRY(auto live, LiveSource::Create(config_.capture, cc));
    live_source_ = live.get();
    if (options_.log != nullptr) {
      for (const std::string& w : live->warnings()) options_.log->Warning("capture", "{}", w);
    }
    source_ = std::move(live);
  } else {
    VIGIL_TRY(auto offline, OfflineSource::Create(config_.capture, cc, options_.progress));
    source_ = std::move(offline);
  }

  for (uint32_t w = 0; w < config_.workers; ++w) {
    CounterBlock* block =
        single ? reader_block_ : registry_->NewBlock("worker-" + std::to_string(w));
    workers_.push_back(
        std::make_unique<Worker>(w, config_, *ids_, block, sink_, options_.plugins));
  }
  if (single) {
    // Same thread: fragments' anomalies go through the worker's writer, in packet order.
    reader_anomalies_ = std::make_unique<AnomalyReporter>(workers_[0]->events(), *ids_,
                                                          reader_block_, config_.eve_anomaly);
  } else {
    reader_events_ =
        std::make_unique<EventWriter>(sink_, WriterConfig(config_), ids_->output, reader_block_);
    reader_anomalies_ = std::make_unique<AnomalyReporter>(*reader_events_, *ids_, reader_block_,
                                                          config_.eve_anomaly);
  }
  ingest_ = std::make_unique<PacketIngest>(config_, *ids_, reader_block_, *reader_anomalies_);
  stats_events_ =
      std::make_unique<EventWriter>(sink_, WriterConfig(config_), ids_->output, stats_block_);

  if (!single) {
    VIGIL_TRY(pool_, PacketPool::Create(config_.capture, config_.workers));
    VIGIL_TRY(dispatcher_,
              Dispatcher::Create(config_.capture, config_.workers, DispatchHash, *pool_, cc));
    auto on_error = [this](const Error& e) {
      file_errors_.push_back(e.message);  // reader thread: the thread that called Run()
      if (options_.log != nullptr) options_.log->Warning("capture", "{}", e.message);
    };
    auto on_idle = [this] {
      ingest_->Sweep(WallClock().Now());
      if (reader_events_) (void)reader_events_->Flush();
    };
    reader_ = std::make_unique<ReaderLoop>(*source_, *pool_, *dispatcher_, cc, *ids_,
                                           reader_block_, *ingest_, on_error, on_idle);
  }
  return Ok();
}

void Pipeline::Stop() {
  stop_.store(true, std::memory_order_relaxed);
  if (reader_) {
    reader_->Stop();
  } else if (source_) {
    source_->Breakloop();
  }
}

Status Pipeline::RunSingle() {
  Worker& worker = *workers_[0];
  Frame f;
  Packet p;
  Packet reassembled;
  int64_t max_ts = 0;
  int64_t last_flush = MonotonicNanos();
  uint32_t since_check = 0;
  Status result;
  for (bool done = false; !done;) {
    auto st = source_->Read(f);
    if (!st) {
      result = std::move(st).error();
      break;
    }
    switch (*st) {
      case ReadStatus::kPacket: {
        p.data = f.data;
        p.caplen = f.caplen;
        p.wirelen = f.wirelen;
        p.datalink = f.datalink;
        p.ts = f.ts;
        p.pcap_cnt = f.pcap_cnt;
        if (f.ts.ns > max_ts) max_ts = f.ts.ns;
        std::span<const uint8_t> datagram;
        switch (ingest_->Process(p, &datagram)) {
          case IngestOutcome::kDeliver:
            worker.Handle(p);
            break;
          case IngestOutcome::kReassembled:
            worker.Handle(p);  // the fragment first (inspected without a flow)
            ingest_->DecodeReassembled(p, datagram, reassembled);
            worker.Handle(reassembled);
            break;
          case IngestOutcome::kConsumed:
            worker.Handle(p);  // a fragment: inspected without a flow
            break;
        }
        if (live() && ++since_check >= kClockCheckPackets) {
          since_check = 0;
          const int64_t now = MonotonicNanos();
          if (now - last_flush >= kEventFlushNs) {
            worker.FlushEvents();
            last_flush = now;
          }
        }
        break;
      }
      case ReadStatus::kTimeout: {
        const Timestamp now = WallClock().Now();
        worker.Tick(now);
        ingest_->Sweep(now);
        worker.FlushEvents();
        last_flush = MonotonicNanos();
        break;
      }
      case ReadStatus::kFileError:
        file_errors_.push_back(source_->last_error().message);
        if (options_.log != nullptr) {
          options_.log->Warning("capture", "{}", source_->last_error().message);
        }
        break;
      case ReadStatus::kSlotTooSmall:  // only Next() returns it
      case ReadStatus::kEnd:
        done = true;
        break;
    }
  }
  worker.Finish(Timestamp{max_ts});
  return result;
}

void Pipeline::WorkerLoop(uint32_t w) {
  Worker& worker = *workers_[w];
  PacketSlot* batch[kWorkerBatch];
  int64_t last_tick = MonotonicNanos();
  uint32_t since_check = 0;
  for (;;) {
    const size_t n = dispatcher_->Pop(w, batch);
    if (n == 0) {
      if (dispatcher_->Done(w)) break;
      if (live()) {
        const int64_t now = MonotonicNanos();
        if (now - last_tick >= kIdleTickNs) {
          worker.Tick(WallClock().Now());
          worker.FlushEvents();
          last_tick = now;
        }
      }
      Dispatcher::WaitIdle();
      continue;
    }
    for (size_t i = 0; i < n; ++i) {
      worker.Handle(batch[i]->packet);
      pool_->Release(w, batch[i]);
    }
    if (live() && (since_check += static_cast<uint32_t>(n)) >= kClockCheckPackets) {
      since_check = 0;
      const int64_t now = MonotonicNanos();
      if (now - last_tick >= kEventFlushNs) {
        worker.FlushEvents();
        last_tick = now;
      }
    }
  }
  // The reader publishes the run's last packet time once it has stopped; every worker lets its
  // flows expire against that same time, so the outcome does not depend on which worker owned
  // which flows.
  finish_.wait(false, std::memory_order_acquire);
  worker.Finish(Timestamp{end_ts_.load(std::memory_order_relaxed)});
}

Status Pipeline::RunWorkers(RunSummary& summary) {
  std::vector<std::thread> threads;
  threads.reserve(workers_.size());
  for (uint32_t w = 0; w < workers_.size(); ++w) threads.emplace_back([this, w] { WorkerLoop(w); });

  auto result = reader_->Run();
  end_ts_.store(reader_->max_ts().ns, std::memory_order_relaxed);
  finish_.store(true, std::memory_order_release);
  finish_.notify_all();
  for (auto& t : threads) t.join();
  if (reader_events_) (void)reader_events_->Flush();
  if (!result) return std::move(result).error();
  summary.stopped = result->stopped;
  return Ok();
}

void Pipeline::WriteStats() {
  std::vector<CounterValue> snap = registry_->Snapshot();
  std::vector<StatsCounter> counters;
  counters.reserve(snap.size());
  for (const CounterRegistry* extra : options_.extra_counters) {
    std::vector<CounterValue> more = extra->Snapshot();
    snap.insert(snap.end(), more.begin(), more.end());
  }
  for (const CounterValue& v : snap) counters.push_back(StatsCounter{v.name, v.value});
  std::vector<std::pair<std::string, std::string>> texts;
  if (options_.extra_texts) texts = options_.extra_texts();
  std::vector<StatsText> text_entries;
  text_entries.reserve(texts.size());
  for (const auto& [name, value] : texts) text_entries.push_back(StatsText{name, value});
  StatsInfo info;
  info.uptime = (MonotonicNanos() - start_mono_ns_) / kNanosPerSecond;
  info.counters = counters;
  info.texts = text_entries;
  Event ev;
  ev.type = EventType::kStats;
  ev.envelope.timestamp = WallClock().Now();
  ev.stats = &info;
  stats_events_->Write(ev);
  (void)stats_events_->Flush();
}

void Pipeline::StatsLoop() {
  std::unique_lock lock(stats_mu_);
  const auto interval = std::chrono::nanoseconds(config_.stats_interval_ns);
  while (!stats_done_) {
    if (stats_cv_.wait_for(lock, interval, [this] { return stats_done_; })) break;
    lock.unlock();
    WriteStats();
    lock.lock();
  }
}

Result<RunSummary> Pipeline::Run() {
  RunSummary summary;
  start_mono_ns_ = MonotonicNanos();
  std::thread stats;
  if (config_.stats_enabled) stats = std::thread([this] { StatsLoop(); });

  Status st = config_.runmode == RunMode::kSingle ? RunSingle() : RunWorkers(summary);

  if (stats.joinable()) {
    {
      std::lock_guard lock(stats_mu_);
      stats_done_ = true;
    }
    stats_cv_.notify_all();
    stats.join();
  }
  if (live_source_ != nullptr) (void)live_source_->UpdateKernelStats();
  if (config_.stats_enabled) WriteStats();
  (void)sink_.Flush();

  RunSummary full = RunSummary::FromRegistry(*registry_);
  full.wall_seconds = static_cast<double>(MonotonicNanos() - start_mono_ns_) / 1e9;
  full.stopped = summary.stopped || stop_.load(std::memory_order_relaxed);
  full.file_errors = std::move(file_errors_);
  full.workers = config_.workers;
  full.runmode = std::string(RunModeName(config_.runmode));
  if (!st) return std::move(st).error();
  return full;
}

Result<RunSummary> RunOffline(const SensorConfig& config, EventSink& sink,
                              PipelineOptions options) {
  if (config.capture.is_live()) {
    return Error(ErrorCode::kInvalidArgument, "RunOffline: the config names an interface");
  }
  VIGIL_TRY(auto pipeline, Pipeline::Create(config, sink, std::move(options)));
  return pipeline->Run();
}

}  // namespace vigil::sensor
