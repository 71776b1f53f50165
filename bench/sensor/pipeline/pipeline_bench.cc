// Packet-path throughput on one core, no detection: decode + defrag + flow table + TCP
// reassembly + flow/anomaly events (formatted, then discarded), with every frame preloaded in
// memory so the disk is not measured. This is what one worker of vigil-sensor does per packet.
//
//   BM_PipelineMixed    synthesized mixed traffic (HTTP/DNS/TLS/UDP), full-size segments (MSS 1460)
//   BM_PipelineSmall    generated TCP sessions of 64-byte frames (10-byte segments both ways,
//                       handshake and FIN; 64 sessions interleaved): the small-packet rate
//   BM_PipelineCorpus   every frame of ../shared/corpus/pcaps/*.pcap
//
// The mixed capture is synthesized once into /tmp/vigil-bench-pipeline-*.pcap (reused when
// present); the small-packet frames are generated in memory.
// Run from the repo root: ./build/release/bin/pipeline_bench
// End to end (disk, capture and the binary included) is measured with vigil-sensor itself; see
// BENCHMARKS.md.
#include <benchmark/benchmark.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/config.h"
#include "core/counters.h"
#include "sensor/output/event_sink.h"
#include "sensor/output/event_writer.h"
#include "sensor/pipeline/anomaly_reporter.h"
#include "sensor/pipeline/packet_ingest.h"
#include "sensor/pipeline/pipeline_counters.h"
#include "sensor/pipeline/sensor_config.h"
#include "sensor/pipeline/worker.h"
#include "tests/sensor/decode/frame_builder.h"
#include "tools/synth/synthesizer.h"

namespace vigil::sensor {
namespace {

namespace fs = std::filesystem;

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};

// Frames back to back in one buffer, as a capture ring would hold them.
struct FrameSet {
  std::vector<uint8_t> bytes;
  struct Frame {
    size_t offset;
    uint32_t caplen, wirelen;
    int datalink;
    Timestamp ts;
  };
  std::vector<Frame> frames;
  uint64_t wire_bytes = 0;
};

void LoadPcap(const std::string& path, FrameSet& set) {
  char err[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, PcapCloser> p(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err));
  if (!p) {
    std::fprintf(stderr, "pipeline_bench: %s: %s\n", path.c_str(), err);
    return;
  }
  const int dlt = pcap_datalink(p.get());
  pcap_pkthdr* h;
  const u_char* d;
  while (pcap_next_ex(p.get(), &h, &d) == 1) {
    set.frames.push_back({set.bytes.size(), h->caplen, h->len, dlt,
                          Timestamp{h->ts.tv_sec * kNanosPerSecond + h->ts.tv_usec}});
    set.bytes.insert(set.bytes.end(), d, d + h->caplen);
    set.wire_bytes += h->len;
  }
}

std::string Synthesized(const char* name, uint16_t mss, uint64_t bytes) {
  // Named by its parameters, so a changed setting never reuses a stale file.
  const std::string path = "/tmp/vigil-bench-pipeline-" + std::string(name) + "-mss" +
                           std::to_string(mss) + "-" + std::to_string(bytes) + ".pcap";
  if (fs::exists(path)) return path;
  synth::SynthConfig c;
  c.out_path = path;
  c.target_bytes = bytes;
  c.seed = 42;
  c.mss = mss;
  c.attacks = 12;
  c.ipv6_fraction = 0.1;
  auto st = synth::Synthesize(c);
  if (!st) std::fprintf(stderr, "pipeline_bench: synth: %s\n", st.error().ToString().c_str());
  return path;
}

const FrameSet& Mixed() {
  static const FrameSet s = [] {
    FrameSet f;
    LoadPcap(Synthesized("mixed", 1460, 200'000'000), f);
    return f;
  }();
  return s;
}
// One TCP session of 64-byte frames: handshake, `segments` 10-byte segments each way, FINs.
std::vector<test::Bytes> SmallSession(uint32_t n, uint32_t segments) {
  using namespace test;
  const std::string cli = "10." + std::to_string(1 + (n >> 16 & 0xff)) + "." +
                          std::to_string(n >> 8 & 0xff) + "." + std::to_string(n & 0xff);
  const char* srv = "192.0.2.80";
  const uint16_t sport = static_cast<uint16_t>(10000 + n % 50000);
  const Bytes ten(10, 'x');
  uint32_t cs = 1000, ss = 5000;  // next sequence numbers
  std::vector<Bytes> out;
  auto c2s = [&](uint8_t fl, const Bytes& pl) {
    out.push_back(Eth(0x0800, Ipv4(cli.c_str(), srv, 6, Tcp(sport, 80, fl, {}, pl, cs, ss))));
  };
  auto s2c = [&](uint8_t fl, const Bytes& pl) {
    out.push_back(Eth(0x0800, Ipv4(srv, cli.c_str(), 6, Tcp(80, sport, fl, {}, pl, ss, cs))));
  };
  c2s(tcp_flag::kSyn, {});
  ++cs;
  s2c(tcp_flag::kSyn | tcp_flag::kAck, {});
  ++ss;
  c2s(tcp_flag::kAck, {});
  for (uint32_t i = 0; i < segments; ++i) {
    c2s(tcp_flag::kAck | tcp_flag::kPsh, ten);
    cs += 10;
    s2c(tcp_flag::kAck | tcp_flag::kPsh, ten);
    ss += 10;
  }
  c2s(tcp_flag::kFin | tcp_flag::kAck, {});
  ++cs;
  s2c(tcp_flag::kFin | tcp_flag::kAck, {});
  ++ss;
  c2s(tcp_flag::kAck, {});
  return out;
}

const FrameSet& Small() {
  static const FrameSet s = [] {
    FrameSet f;
    constexpr uint32_t kSessions = 8192, kConcurrent = 64, kSegments = 20;
    int64_t t = Timestamp::FromSeconds(1704110400).ns;
    // kConcurrent sessions in progress at once, their frames interleaved round-robin.
    for (uint32_t base = 0; base < kSessions; base += kConcurrent) {
      std::vector<std::vector<test::Bytes>> group;
      for (uint32_t k = 0; k < kConcurrent; ++k) group.push_back(SmallSession(base + k, kSegments));
      for (size_t i = 0; i < group[0].size(); ++i) {
        for (auto& g : group) {
          const test::Bytes& b = g[i];
          f.frames.push_back({f.bytes.size(), static_cast<uint32_t>(b.size()),
                              static_cast<uint32_t>(b.size()), 1, Timestamp{t}});
          f.bytes.insert(f.bytes.end(), b.begin(), b.end());
          f.wire_bytes += b.size();
          t += 1000;
        }
      }
    }
    return f;
  }();
  return s;
}
const FrameSet& Corpus() {
  static const FrameSet s = [] {
    FrameSet f;
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("../shared/corpus/pcaps", ec)) {
      if (e.path().extension() == ".pcap") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& p : files) LoadPcap(p.string(), f);
    return f;
  }();
  return s;
}

SensorConfig BenchConfig() {
  const std::vector<std::string> sets = {"runmode=single", "sensor-id=bench"};
  auto cfg = Config::LoadString("", "bench", SensorConfigSchema(), sets);
  auto sc = BuildSensorConfig(*cfg);
  return *sc;
}

void RunFrames(benchmark::State& state, const FrameSet& set) {
  if (set.frames.empty()) {
    state.SkipWithError("no frames (synth or corpus missing)");
    return;
  }
  const SensorConfig config = BenchConfig();
  NullSink sink;
  uint64_t flows = 0;
  for (auto _ : state) {
    // A fresh registry and worker per pass: every pass sees the capture for the first time.
    state.PauseTiming();
    auto registry = std::make_unique<CounterRegistry>();
    auto ids = RegisterPipelineCounters(*registry);
    CounterBlock* block = registry->NewBlock("worker-0");
    auto worker = std::make_unique<Worker>(0, config, *ids, block, sink, WorkerPluginFactory{});
    AnomalyReporter anomalies(worker->events(), *ids, block, config.eve_anomaly);
    PacketIngest ingest(config, *ids, block, anomalies);
    Packet p, reassembled;
    Timestamp last{};
    state.ResumeTiming();
    for (const FrameSet::Frame& f : set.frames) {
      p.data = set.bytes.data() + f.offset;
      p.caplen = f.caplen;
      p.wirelen = f.wirelen;
      p.datalink = f.datalink;
      p.ts = f.ts;
      last = f.ts;
      std::span<const uint8_t> dg;
      switch (ingest.Process(p, &dg)) {
        case IngestOutcome::kDeliver: worker->Handle(p); break;
        case IngestOutcome::kReassembled:
          ingest.DecodeReassembled(p, dg, reassembled);
          worker->Handle(reassembled);
          break;
        case IngestOutcome::kConsumed: break;
      }
    }
    worker->Finish(last);
    state.PauseTiming();
    flows = registry->Total("flow.created");
    worker.reset();
    state.ResumeTiming();
  }
  const double pkts = static_cast<double>(set.frames.size());
  state.counters["pkts/s"] = benchmark::Counter(pkts, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["Gbit/s"] = benchmark::Counter(static_cast<double>(set.wire_bytes) * 8 / 1e9,
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.counters["avg_frame"] = static_cast<double>(set.wire_bytes) / pkts;
  state.counters["frames"] = pkts;
  state.counters["flows"] = static_cast<double>(flows);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * set.wire_bytes));
}

void BM_PipelineMixed(benchmark::State& s) { RunFrames(s, Mixed()); }
void BM_PipelineSmall(benchmark::State& s) { RunFrames(s, Small()); }
void BM_PipelineCorpus(benchmark::State& s) { RunFrames(s, Corpus()); }

BENCHMARK(BM_PipelineMixed)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();
BENCHMARK(BM_PipelineSmall)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();
BENCHMARK(BM_PipelineCorpus)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();

}  // namespace
}  // namespace vigil::sensor

BENCHMARK_MAIN();
