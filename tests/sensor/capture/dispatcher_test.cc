#include "sensor/capture/dispatcher.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "sensor/capture/backoff.h"
#include "tests/sensor/capture/capture_test_util.h"

namespace vigil::sensor {
namespace {

using capture_test::TestCounters;

CaptureConfig HandoffConfig(QueueFullPolicy policy, uint32_t ring) {
  CaptureConfig cfg;
  cfg.pool_slots = 64;
  cfg.large_slots = 2;
  cfg.snaplen = 65535;
  cfg.worker_ring_size = ring;
  cfg.queue_full_policy = policy;
  return cfg;
}

// The test hash: the worker is whatever the test wrote in pcap_cnt.
uint32_t HashByCnt(const Packet& p) { return static_cast<uint32_t>(p.pcap_cnt); }

struct Fixture {
  TestCounters tc;
  std::unique_ptr<PacketPool> pool;
  std::unique_ptr<Dispatcher> disp;
  Fixture(QueueFullPolicy policy, uint32_t ring, uint32_t workers) {
    const CaptureConfig cfg = HandoffConfig(policy, ring);
    pool = std::move(PacketPool::Create(cfg, workers).value());
    disp = std::move(Dispatcher::Create(cfg, workers, HashByCnt, *pool, tc.counters).value());
  }
  PacketSlot* Slot(uint64_t cnt) {
    PacketSlot* s = pool->Acquire();
    s->packet.pcap_cnt = cnt;
    return s;
  }
};

TEST(DispatcherTest, PacketsGoToHashModuloWorkers) {
  Fixture f(QueueFullPolicy::kBlock, 16, 3);
  for (uint64_t h = 0; h < 9; ++h) {
    ASSERT_EQ(f.disp->Dispatch(f.Slot(h)), Dispatcher::Outcome::kQueued);
  }
  PacketSlot* out[16];
  for (uint32_t w = 0; w < 3; ++w) {
    const size_t n = f.disp->Pop(w, out);
    ASSERT_EQ(n, 3u);
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(out[i]->packet.pcap_cnt % 3, w);
      EXPECT_EQ(out[i]->packet.pcap_cnt, w + 3 * i);  // in order per worker
    }
  }
}

TEST(DispatcherTest, DropPolicyDropsAndCountsWhenTheRingIsFull) {
  Fixture f(QueueFullPolicy::kDrop, 2, 2);
  const uint32_t free_before = f.pool->free_slots();
  EXPECT_EQ(f.disp->Dispatch(f.Slot(0)), Dispatcher::Outcome::kQueued);
  EXPECT_EQ(f.disp->Dispatch(f.Slot(2)), Dispatcher::Outcome::kQueued);
  EXPECT_EQ(f.disp->Dispatch(f.Slot(4)), Dispatcher::Outcome::kDropped);  // worker 0 full
  EXPECT_EQ(f.disp->Dispatch(f.Slot(1)), Dispatcher::Outcome::kQueued);   // worker 1 has room
  EXPECT_EQ(f.tc.Get(CaptureCounter::kQueueFullDrops), 1u);
  EXPECT_EQ(f.tc.Get(CaptureCounter::kQueueFullWaits), 0u);
  // The dropped slot went straight back to the pool.
  EXPECT_EQ(f.pool->free_slots(), free_before - 3);
}

TEST(DispatcherTest, BlockPolicyWaitsForTheWorkerAndLosesNothing) {
  Fixture f(QueueFullPolicy::kBlock, 2, 1);
  ASSERT_EQ(f.disp->Dispatch(f.Slot(10)), Dispatcher::Outcome::kQueued);
  ASSERT_EQ(f.disp->Dispatch(f.Slot(20)), Dispatcher::Outcome::kQueued);
  std::vector<uint64_t> got;
  // The worker starts draining only once the reader has registered that it is waiting.
  std::thread worker([&] {
    Backoff b;
    while (f.tc.Get(CaptureCounter::kQueueFullWaits) == 0) b.Pause();
    PacketSlot* out[4];
    while (!f.disp->Done(0)) {
      const size_t n = f.disp->Pop(0, out);
      for (size_t i = 0; i < n; ++i) {
        got.push_back(out[i]->packet.pcap_cnt);
        f.pool->Release(0, out[i]);
      }
      if (n == 0) Dispatcher::WaitIdle();
    }
  });
  EXPECT_EQ(f.disp->Dispatch(f.Slot(30)), Dispatcher::Outcome::kQueued);
  f.disp->Close();
  worker.join();
  EXPECT_EQ(got, (std::vector<uint64_t>{10, 20, 30}));
  EXPECT_EQ(f.tc.Get(CaptureCounter::kQueueFullWaits), 1u);
  EXPECT_EQ(f.tc.Get(CaptureCounter::kQueueFullDrops), 0u);
  f.pool->Reclaim();
  EXPECT_EQ(f.pool->free_slots(), f.pool->size());
}

TEST(DispatcherTest, StopEndsABlockingWait) {
  Fixture f(QueueFullPolicy::kBlock, 2, 1);
  ASSERT_EQ(f.disp->Dispatch(f.Slot(0)), Dispatcher::Outcome::kQueued);
  ASSERT_EQ(f.disp->Dispatch(f.Slot(0)), Dispatcher::Outcome::kQueued);
  std::thread stopper([&] {
    Backoff b;
    while (f.tc.Get(CaptureCounter::kQueueFullWaits) == 0) b.Pause();
    f.disp->Stop();
  });
  const uint32_t free_before = f.pool->free_slots();
  EXPECT_EQ(f.disp->Dispatch(f.Slot(0)), Dispatcher::Outcome::kStopped);
  stopper.join();
  EXPECT_EQ(f.pool->free_slots(), free_before);  // the slot came back
}

TEST(DispatcherTest, RejectsMismatchedWorkersAndMissingHash) {
  TestCounters tc;
  const CaptureConfig cfg = HandoffConfig(QueueFullPolicy::kBlock, 8);
  auto pool = PacketPool::Create(cfg, 2);
  ASSERT_TRUE(pool.ok());
  EXPECT_FALSE(Dispatcher::Create(cfg, 3, HashByCnt, **pool, tc.counters).ok());
  EXPECT_FALSE(Dispatcher::Create(cfg, 2, PacketHash{}, **pool, tc.counters).ok());
  EXPECT_TRUE(Dispatcher::Create(cfg, 2, HashByCnt, **pool, tc.counters).ok());
}

}  // namespace
}  // namespace vigil::sensor
