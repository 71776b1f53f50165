#include "sensor/capture/capture_reader.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "sensor/capture/offline_source.h"
#include "tests/sensor/capture/capture_test_util.h"

namespace vigil::sensor {
namespace {

using capture_test::CorpusPcaps;
using capture_test::TestCounters;

// FNV-1a over the frame bytes: lets a worker prove it received exactly what was read.
uint64_t Fnv(const uint8_t* p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

struct Reference {
  std::vector<uint64_t> hash;  // index pcap_cnt - 1
  std::vector<uint32_t> caplen;
  uint32_t max_caplen = 0;
};

Reference ReadReference(const std::vector<std::string>& files) {
  Reference ref;
  TestCounters tc;
  CaptureConfig cfg;
  cfg.inputs = files;
  auto src = OfflineSource::Create(cfg, tc.counters);
  EXPECT_TRUE(src.ok());
  Frame f;
  while (*(*src)->Read(f) == ReadStatus::kPacket) {
    ref.hash.push_back(Fnv(f.data, f.caplen));
    ref.caplen.push_back(f.caplen);
    ref.max_caplen = std::max(ref.max_caplen, f.caplen);
  }
  return ref;
}

struct WorkerResult {
  uint64_t packets = 0;
  uint64_t bad = 0;        // bytes differ from the reference
  uint64_t out_of_order = 0;
};

// Runs reader + N workers over the corpus and checks every packet arrives intact, once.
void RunPipeline(CaptureConfig cfg, uint32_t workers, bool slow_workers, bool expect_lossless) {
  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty());
  const Reference ref = ReadReference(files);
  ASSERT_FALSE(ref.hash.empty());

  TestCounters tc;
  cfg.inputs = files;
  auto src = OfflineSource::Create(cfg, tc.counters);
  ASSERT_TRUE(src.ok()) << src.error().ToString();
  auto pool = PacketPool::Create(cfg, workers);
  ASSERT_TRUE(pool.ok()) << pool.error().ToString();
  // Spread by frame length: a stand-in for the flow hash, deterministic and uneven.
  auto disp = Dispatcher::Create(cfg, workers, [](const Packet& p) { return p.caplen * 2654435761u; },
                                 **pool, tc.counters);
  ASSERT_TRUE(disp.ok());

  std::vector<WorkerResult> results(workers);
  std::vector<std::thread> threads;
  for (uint32_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      PacketSlot* batch[32];
      uint64_t last_cnt = 0;
      WorkerResult& r = results[w];
      while (!(*disp)->Done(w)) {
        const size_t n = (*disp)->Pop(w, batch);
        for (size_t i = 0; i < n; ++i) {
          const Packet& p = batch[i]->packet;
          const size_t idx = p.pcap_cnt - 1;
          if (idx >= ref.hash.size() || p.caplen != ref.caplen[idx] ||
              Fnv(p.data, p.caplen) != ref.hash[idx]) {
            ++r.bad;
          }
          if (p.pcap_cnt <= last_cnt) ++r.out_of_order;
          last_cnt = p.pcap_cnt;
          ++r.packets;
          if (slow_workers) {
            for (int k = 0; k < 50; ++k) std::this_thread::yield();
          }
          (*pool)->Release(w, batch[i]);
        }
        if (n == 0) Dispatcher::WaitIdle();
      }
    });
  }
  std::vector<std::string> errors;
  CaptureReader reader(**src, **pool, **disp, tc.counters,
                       [&](const Error& e) { errors.push_back(e.message); });
  auto sum = reader.Run();
  for (auto& t : threads) t.join();
  ASSERT_TRUE(sum.ok()) << sum.error().ToString();
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(sum->packets, ref.hash.size());
  EXPECT_EQ(sum->dispatched + sum->dropped, sum->packets);
  uint64_t received = 0;
  for (const auto& r : results) {
    received += r.packets;
    EXPECT_EQ(r.bad, 0u);
    EXPECT_EQ(r.out_of_order, 0u);
  }
  EXPECT_EQ(received, sum->dispatched);
  EXPECT_EQ(tc.Get(CaptureCounter::kQueueFullDrops) + tc.Get(CaptureCounter::kPoolExhaustedDrops),
            sum->dropped);
  if (expect_lossless) {
    EXPECT_EQ(sum->dropped, 0u);
    EXPECT_EQ(received, ref.hash.size());
  }
  if (expect_lossless && ref.max_caplen > cfg.slot_bytes) {
    EXPECT_GT(tc.Get(CaptureCounter::kLargeFrames), 0u);
  }
  (*pool)->Reclaim();
  EXPECT_EQ((*pool)->free_slots(), (*pool)->size());
  EXPECT_EQ((*pool)->free_large(), (*pool)->large_size());
}

TEST(CaptureReaderTest, OfflineBlockPolicyDeliversEveryPacketIntact) {
  CaptureConfig cfg;
  cfg.pool_slots = 64;       // small, so the reader often waits for returned slots
  cfg.large_slots = 2;       // and for overflow buffers (the corpus has 37 KB frames)
  cfg.worker_ring_size = 8;  // and for ring space
  RunPipeline(cfg, 3, /*slow_workers=*/false, /*expect_lossless=*/true);
}

TEST(CaptureReaderTest, DropPolicyAccountsForEveryPacket) {
  CaptureConfig cfg;
  cfg.pool_slots = 16;
  cfg.large_slots = 1;
  cfg.worker_ring_size = 4;
  cfg.queue_full_policy = QueueFullPolicy::kDrop;
  RunPipeline(cfg, 2, /*slow_workers=*/true, /*expect_lossless=*/false);
}

TEST(CaptureReaderTest, StopFromAnotherThreadEndsABlockedRun) {
  const auto files = CorpusPcaps();
  ASSERT_FALSE(files.empty());
  TestCounters tc;
  CaptureConfig cfg;
  cfg.inputs = files;
  cfg.pool_slots = 4;
  cfg.large_slots = 2;
  cfg.worker_ring_size = 2;
  auto src = OfflineSource::Create(cfg, tc.counters);
  ASSERT_TRUE(src.ok()) << src.error().ToString();
  auto pool = PacketPool::Create(cfg, 1);
  ASSERT_TRUE(pool.ok()) << pool.error().ToString();
  auto disp = Dispatcher::Create(cfg, 1, [](const Packet&) { return 0u; }, **pool, tc.counters);
  ASSERT_TRUE(disp.ok()) << disp.error().ToString();
  CaptureReader reader(**src, **pool, **disp, tc.counters);
  // No worker consumes: the reader must block, then Stop() must free it.
  std::thread stopper([&] {
    while (tc.Get(CaptureCounter::kQueueFullWaits) == 0 &&
           tc.Get(CaptureCounter::kPackets) < 3) {
      std::this_thread::yield();
    }
    reader.Stop();
  });
  auto sum = reader.Run();
  stopper.join();
  ASSERT_TRUE(sum.ok());
  EXPECT_TRUE(sum->stopped);
  EXPECT_LT(sum->packets, 10u);
  EXPECT_TRUE((*disp)->Done(0) == false);  // 2 packets still queued, never consumed
}

}  // namespace
}  // namespace vigil::sensor
