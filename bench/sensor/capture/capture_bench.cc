// Capture-stage micro-benchmarks:
//   * SPSC ring throughput between two threads (items/s), single and batched operations.
//   * Offline pcap reading of the corpus (packets/s and Gbit/s of captured bytes), zero-copy
//     Read() and copying Next() into pool slots.
// Run from the repository root (the corpus is at ../shared/corpus/pcaps).
#include <benchmark/benchmark.h>

#include <array>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/counters.h"
#include "sensor/capture/backoff.h"
#include "sensor/capture/capture_counters.h"
#include "sensor/capture/offline_source.h"
#include "sensor/capture/packet_pool.h"
#include "sensor/capture/spsc_ring.h"

namespace vigil::sensor {
namespace {

constexpr uint64_t kRingItems = 10'000'000;

// Producer on a second thread, consumer on the benchmark thread; items/s over both.
void BM_SpscRing(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    SpscRing<uint64_t> ring(4096);
    std::thread producer([&] {
      Backoff b;
      std::array<uint64_t, 256> buf;
      uint64_t next = 0;
      while (next < kRingItems) {
        if (batch == 1) {
          if (ring.TryPush(next)) { ++next; b.Reset(); } else { b.Pause(); }
          continue;
        }
        const size_t n = std::min<uint64_t>(batch, kRingItems - next);
        for (size_t i = 0; i < n; ++i) buf[i] = next + i;
        const size_t k = ring.PushBatch(std::span<const uint64_t>(buf.data(), n));
        next += k;
        if (k == 0) b.Pause(); else b.Reset();
      }
    });
    Backoff b;
    std::array<uint64_t, 256> out;
    uint64_t got = 0, sum = 0;
    while (got < kRingItems) {
      size_t n;
      if (batch == 1) {
        n = ring.TryPop(out[0]) ? 1 : 0;
      } else {
        n = ring.PopBatch(std::span<uint64_t>(out.data(), batch));
      }
      if (n == 0) { b.Pause(); continue; }
      b.Reset();
      for (size_t i = 0; i < n; ++i) sum += out[i];
      got += n;
    }
    producer.join();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRingItems));
}
BENCHMARK(BM_SpscRing)->Arg(1)->Arg(32)->Arg(256)->UseRealTime()->Unit(benchmark::kMillisecond);

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("../shared/corpus/pcaps", ec)) {
    if (e.path().extension() == ".pcap") out.push_back(e.path().string());
  }
  return out;
}

// Reads the whole corpus per iteration (page cache warm after the first).
void BM_OfflineRead(benchmark::State& state) {
  const bool copy = state.range(0) != 0;
  CaptureConfig cfg;
  cfg.inputs = CorpusFiles();
  if (cfg.inputs.empty()) {
    state.SkipWithError("no corpus pcaps under ../shared/corpus/pcaps (run from the repo root)");
    return;
  }
  CounterRegistry reg;
  auto cc = RegisterCaptureCounters(reg);
  CaptureCounters counters = *cc;
  counters.block = reg.NewBlock("bench");
  auto pool = PacketPool::Create(cfg, 1);
  uint64_t packets = 0, bytes = 0;
  for (auto _ : state) {
    auto src = OfflineSource::Create(cfg, counters);
    if (!src) {
      state.SkipWithError(src.error().message.c_str());
      return;
    }
    if (!copy) {
      Frame f;
      while (*(*src)->Read(f) == ReadStatus::kPacket) {
        ++packets;
        bytes += f.caplen;
        benchmark::DoNotOptimize(f.data[0]);
      }
    } else {
      PacketPool& p = **pool;
      for (;;) {
        PacketSlot* s = p.Acquire();
        auto st = (*src)->Next(*s);
        if (*st == ReadStatus::kSlotTooSmall) {
          p.AttachLarge(*s);
          st = (*src)->Next(*s);
        }
        if (*st != ReadStatus::kPacket) {
          p.Recycle(s);
          break;
        }
        ++packets;
        bytes += s->packet.caplen;
        benchmark::DoNotOptimize(s->packet.data[0]);
        p.Recycle(s);
      }
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(packets));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["Gbit/s"] = benchmark::Counter(static_cast<double>(bytes) * 8 / 1e9,
                                                benchmark::Counter::kIsRate);
  state.counters["packets"] = static_cast<double>(packets / state.iterations());
}
BENCHMARK(BM_OfflineRead)->Arg(0)->Arg(1)->ArgNames({"copy"})->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vigil::sensor

BENCHMARK_MAIN();
