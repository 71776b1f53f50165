// What hot reload costs the packet path (sensor/reload, sensor/inspect's InspectPlugin).
//
//   BM_GenerationCheck     the per-packet check alone: one relaxed load and a compare
//   BM_SensorCorpus/0      the sensor in-process (runmode single) over ../shared/corpus/pcaps
//                          with a fixed InspectContext (no check: slot pointer null)
//   BM_SensorCorpus/1      the same with plugins following a RuleReloader slot (one relaxed
//                          load per packet); with few rules the check's share is at its largest
//   BM_ReloadBuild         one RuleReloader::ReloadNow (read, parse, compile, publish) of
//                          $VIGIL_BENCH_RULES (default ../shared/corpus/rules/et-open.rules);
//                          worker_switch_ms_max: what the switch costs a worker (its pause)
//
// Run from the repo root: ./build/bin/reload_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "sensor/inspect/inspect_context.h"
#include "sensor/inspect/inspect_plugin.h"
#include "sensor/output/event_sink.h"
#include "sensor/pipeline/pipeline.h"
#include "sensor/reload/published.h"
#include "sensor/reload/rule_reloader.h"

namespace vigil::sensor {
namespace {

namespace fs = std::filesystem;

class DiscardSink final : public EventSink {
 public:
  Status WriteLines(std::string_view lines) override {
    bytes_ += lines.size();
    return Ok();
  }
  Status Flush() override { return Ok(); }
  std::string Describe() const override { return "discard"; }

 private:
  uint64_t bytes_ = 0;
};

SensorConfig MakeConfig() {
  const std::vector<std::string> sets = {"runmode=single", "stats.enabled=no",
                                         "checksum-validation=no"};
  auto cfg = Config::LoadString("", "bench", SensorConfigSchema(), sets);
  auto sc = BuildSensorConfig(*cfg);
  return std::move(*sc);
}

std::vector<std::string> CorpusPcaps() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("../shared/corpus/pcaps", ec)) {
    if (e.path().extension() == ".pcap") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void BM_GenerationCheck(benchmark::State& state) {
  Published<int> slot(std::make_shared<const int>(1));
  uint64_t seen = slot.generation();
  uint64_t adopted = 0;
  for (auto _ : state) {
    if (slot.generation() != seen) [[unlikely]] {
      seen = slot.generation();
      ++adopted;
    }
    benchmark::DoNotOptimize(seen);
  }
  benchmark::DoNotOptimize(adopted);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GenerationCheck);

constexpr char kRules[] =
    "alert http any any -> any any (msg:\"uri\"; http.uri; content:\"/admin\"; sid:1;)\n"
    "alert tcp any any -> any any (msg:\"payload\"; content:\"|de ad be ef|\"; sid:2;)\n"
    "alert dns any any -> any any (msg:\"dns\"; dns.query; content:\"example\"; sid:3;)\n";

void BM_SensorCorpus(benchmark::State& state) {
  SensorConfig config = MakeConfig();
  config.capture.inputs = CorpusPcaps();
  if (config.capture.inputs.empty()) {
    state.SkipWithError("no ../shared/corpus/pcaps (run from the repo root)");
    return;
  }
  RuleSources sources;
  sources.replace = true;
  sources.texts.push_back({"bench", kRules});
  auto ctx = LoadInspectContext(config, sources);
  if (!ctx.ok()) {
    state.SkipWithError(ctx.error().message.c_str());
    return;
  }
  RuleReloader reloader(config, sources, *ctx);
  PipelineOptions options;
  options.plugins = state.range(0) == 0 ? MakeInspectPluginFactory(*ctx) : reloader.PluginFactory();
  uint64_t packets = 0, bytes = 0;
  for (auto _ : state) {
    DiscardSink sink;
    auto summary = RunOffline(config, sink, options);
    if (!summary.ok()) {
      state.SkipWithError(summary.error().message.c_str());
      return;
    }
    packets += summary->Counter("pipeline.packets");
    bytes += summary->Counter("pipeline.bytes");
  }
  state.SetItemsProcessed(static_cast<int64_t>(packets));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_SensorCorpus)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);  // CPU time: one thread

void BM_ReloadBuild(benchmark::State& state) {
  const char* env = std::getenv("VIGIL_BENCH_RULES");
  const std::string rules = env != nullptr ? env : "../shared/corpus/rules/et-open.rules";
  if (!fs::exists(rules)) {
    state.SkipWithError(("no rules file " + rules).c_str());
    return;
  }
  SensorConfig config = MakeConfig();
  RuleSources sources;
  sources.replace = true;
  sources.files = {rules};
  auto ctx = LoadInspectContext(config, sources);
  if (!ctx.ok()) {
    state.SkipWithError(ctx.error().message.c_str());
    return;
  }
  RuleReloader reloader(config, sources, *ctx);
  ctx->reset();
  // A worker's plugin: its switch to the new rules (new DetectThread: Hyperscan scratch, tables)
  // is the only time a reload takes from a worker.
  DiscardSink sink;
  EventWriter writer(sink, {}, {}, nullptr);
  auto plugin = reloader.PluginFactory()(0, writer);
  Packet none;  // not decoded: only the packet boundary runs
  plugin->OnPacket(none, PacketContext{});
  uint64_t rule_count = 0;
  double adopt_ms = 0;
  for (auto _ : state) {
    auto info = reloader.ReloadNow(RuleSource::Files());
    if (!info.ok()) {
      state.SkipWithError(info.error().message.c_str());
      return;
    }
    rule_count = info->rules;
    const int64_t t0 = MonotonicNanos();
    plugin->OnPacket(none, PacketContext{});
    adopt_ms = std::max(adopt_ms, static_cast<double>(MonotonicNanos() - t0) / 1e6);
    reloader.slot()->Collect();
  }
  state.counters["rules"] = static_cast<double>(rule_count);
  state.counters["worker_switch_ms_max"] = adopt_ms;
}
BENCHMARK(BM_ReloadBuild)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

}  // namespace
}  // namespace vigil::sensor

BENCHMARK_MAIN();
