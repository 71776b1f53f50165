// Flow table throughput: lookups of existing flows, inserts of new flows, and inserts into a full
// table (each one evicts), at 10k and 1M flows. One packet per operation, as a worker sees them.
//
//   ./flow_table_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <random>
#include <vector>

#include "core/counters.h"
#include "sensor/flow/flow_table.h"

namespace vigil::sensor {
namespace {

struct Env {
  CounterRegistry reg;
  CounterGroup group;
  CounterBlock* block;
  Env() : group(*FlowTable::RegisterCounters(reg)), block(reg.NewBlock("bench")) {}
};

Env& TheEnv() {
  static Env env;  // benchmark-local setup; the library itself keeps no globals
  return env;
}

FlowTableConfig ConfigFor(uint32_t flows) {
  FlowTableConfig cfg;
  cfg.hash_buckets = 1;
  while (cfg.hash_buckets < flows) cfg.hash_buckets <<= 1;
  cfg.memcap = size_t{cfg.hash_buckets} * 4 + size_t{flows} * sizeof(Flow);
  return cfg;
}

// Packet i of a population of distinct UDP flows; the reply direction when `reply`.
void SetFlow(Packet& p, uint32_t i, bool reply) {
  IpAddress a = IpAddress::V4(0x0a000000u + i);
  IpAddress b = IpAddress::V4(0xc0000201u + (i & 0xff));
  uint16_t pa = static_cast<uint16_t>(1024 + (i % 60000));
  p.src = reply ? b : a;
  p.dst = reply ? a : b;
  p.sport = reply ? 53 : pa;
  p.dport = reply ? pa : 53;
}

Packet BasePacket() {
  Packet p;
  p.ip_version = 4;
  p.ip_proto = 17;
  p.decoded = true;
  p.caplen = p.wirelen = 120;
  p.ts = Timestamp::FromSeconds(1);
  return p;
}

void BM_LookupExisting(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  FlowTable table(ConfigFor(n), TheEnv().group, TheEnv().block);
  Packet p = BasePacket();
  for (uint32_t i = 0; i < n; ++i) {
    SetFlow(p, i, false);
    table.Process(p);
  }
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::shuffle(order.begin(), order.end(), std::mt19937(1));
  size_t k = 0;
  for (auto _ : state) {
    uint32_t i = order[k];
    SetFlow(p, i, (k & 1) != 0);
    benchmark::DoNotOptimize(table.Process(p).flow);
    if (++k == n) k = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["flows"] = table.active();
}

void BM_InsertNew(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  const FlowTableConfig cfg = ConfigFor(n);
  Packet p = BasePacket();
  int64_t items = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto table = std::make_unique<FlowTable>(cfg, TheEnv().group, TheEnv().block);
    state.ResumeTiming();
    for (uint32_t i = 0; i < n; ++i) {
      SetFlow(p, i, false);
      benchmark::DoNotOptimize(table->Process(p).flow);
    }
    items += n;
    state.PauseTiming();
    table.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(items);
}

// A full table: every new flow evicts the least recently seen one.
void BM_InsertEvicting(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  FlowTable table(ConfigFor(n), TheEnv().group, TheEnv().block);
  Packet p = BasePacket();
  uint32_t next = 0;
  for (; next < n; ++next) {
    SetFlow(p, next, false);
    table.Process(p);
  }
  for (auto _ : state) {
    SetFlow(p, next++ & 0xffffff, false);
    benchmark::DoNotOptimize(table.Process(p).flow);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_KeyAndHash(benchmark::State& state) {
  Packet p = BasePacket();
  uint32_t i = 0;
  for (auto _ : state) {
    SetFlow(p, i++, false);
    benchmark::DoNotOptimize(FlowKey::FromPacket(p).Hash());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_LookupExisting)->Arg(10'000)->Arg(1'000'000);
BENCHMARK(BM_InsertNew)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InsertEvicting)->Arg(10'000)->Arg(1'000'000);
BENCHMARK(BM_KeyAndHash);

}  // namespace
}  // namespace vigil::sensor

BENCHMARK_MAIN();
