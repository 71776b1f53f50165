#include "sensor/capture/packet_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "sensor/capture/backoff.h"

namespace vigil::sensor {
namespace {

CaptureConfig SmallPool(uint32_t slots, uint32_t large) {
  CaptureConfig cfg;
  cfg.pool_slots = slots;
  cfg.large_slots = large;
  cfg.slot_bytes = 2048;
  cfg.snaplen = 65535;
  return cfg;
}

TEST(PacketPoolTest, HandsOutDistinctSlotsUntilExhausted) {
  auto pool = PacketPool::Create(SmallPool(16, 2), 2);
  ASSERT_TRUE(pool.ok()) << pool.error().ToString();
  PacketPool& p = **pool;
  std::set<PacketSlot*> seen;
  std::set<const uint8_t*> buffers;
  for (int i = 0; i < 16; ++i) {
    PacketSlot* s = p.Acquire();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->storage.size(), 2048u);
    EXPECT_TRUE(s->large.empty());
    seen.insert(s);
    buffers.insert(s->storage.data());
  }
  EXPECT_EQ(seen.size(), 16u);
  EXPECT_EQ(buffers.size(), 16u);
  EXPECT_EQ(p.Acquire(), nullptr);
  EXPECT_EQ(p.free_slots(), 0u);
  // Returned through worker rings, they come back on the next Acquire.
  int w = 0;
  for (PacketSlot* s : seen) p.Release(static_cast<uint32_t>(w++ % 2), s);
  EXPECT_NE(p.Acquire(), nullptr);
  EXPECT_EQ(p.free_slots(), 15u);
}

TEST(PacketPoolTest, LargeBuffersAreBorrowedAndReturnedWithTheSlot) {
  auto pool = PacketPool::Create(SmallPool(8, 2), 1);
  ASSERT_TRUE(pool.ok());
  PacketPool& p = **pool;
  PacketSlot* a = p.Acquire();
  PacketSlot* b = p.Acquire();
  PacketSlot* c = p.Acquire();
  ASSERT_TRUE(p.AttachLarge(*a));
  ASSERT_TRUE(p.AttachLarge(*b));
  EXPECT_EQ(a->capacity(), 65535u);
  EXPECT_NE(a->large.data(), b->large.data());
  EXPECT_FALSE(p.AttachLarge(*c));  // both borrowed
  EXPECT_EQ(c->capacity(), 2048u);
  p.Release(0, a);
  EXPECT_TRUE(p.AttachLarge(*c));  // AttachLarge collects the return
  EXPECT_EQ(p.free_large(), 0u);
  p.Recycle(b);
  p.Recycle(c);
  EXPECT_EQ(p.free_large(), 2u);
  EXPECT_EQ(p.free_slots(), 8u);
  // A recycled slot comes back clean.
  for (uint32_t i = 0; i < 8; ++i) {
    PacketSlot* s = p.Acquire();
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->large.empty());
    EXPECT_EQ(s->large_index, PacketSlot::kNoLarge);
  }
}

TEST(PacketPoolTest, RejectsBadConfig) {
  EXPECT_FALSE(PacketPool::Create(SmallPool(8, 2), 0).ok());
  EXPECT_FALSE(PacketPool::Create(SmallPool(1, 0), 1).ok());
  CaptureConfig cfg = SmallPool(8, 0);  // snaplen > slot_bytes but no large buffers
  EXPECT_FALSE(PacketPool::Create(cfg, 1).ok());
}

// Reader thread acquires and hands slots to two workers through rings; workers release them.
// After a million round trips every slot and overflow buffer is back: nothing leaks.
TEST(PacketPoolTest, RecyclingAcrossThreadsLeaksNothing) {
  constexpr uint32_t kWorkers = 2;
  constexpr uint64_t kPackets = 1'000'000;
  auto pool_r = PacketPool::Create(SmallPool(64, 4), kWorkers);
  ASSERT_TRUE(pool_r.ok());
  PacketPool& pool = **pool_r;
  std::vector<std::unique_ptr<SpscRing<PacketSlot*>>> to_worker;
  for (uint32_t w = 0; w < kWorkers; ++w) to_worker.push_back(std::make_unique<SpscRing<PacketSlot*>>(16));
  std::atomic<bool> done{false};
  std::atomic<uint64_t> handled{0};
  std::atomic<uint64_t> corrupt{0};
  std::vector<std::thread> workers;
  for (uint32_t w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      Backoff b;
      PacketSlot* s = nullptr;
      for (;;) {
        if (to_worker[w]->TryPop(s)) {
          b.Reset();
          // The reader stamped the first bytes with the sequence number.
          uint64_t seq;
          std::memcpy(&seq, s->buffer().data(), sizeof seq);
          if (seq != s->packet.pcap_cnt) corrupt.fetch_add(1, std::memory_order_relaxed);
          handled.fetch_add(1, std::memory_order_relaxed);
          pool.Release(w, s);
        } else if (done.load(std::memory_order_acquire) && to_worker[w]->EmptyApprox()) {
          return;
        } else {
          b.Pause();
        }
      }
    });
  }
  Backoff b;
  for (uint64_t i = 1; i <= kPackets; ++i) {
    PacketSlot* s;
    while ((s = pool.Acquire()) == nullptr) b.Pause();
    if (i % 97 == 0) {
      while (!pool.AttachLarge(*s)) b.Pause();
    }
    s->packet.pcap_cnt = i;
    std::memcpy(s->buffer().data(), &i, sizeof i);
    while (!to_worker[i % kWorkers]->TryPush(s)) b.Pause();
    b.Reset();
  }
  done.store(true, std::memory_order_release);
  for (auto& t : workers) t.join();
  pool.Reclaim();
  EXPECT_EQ(handled.load(), kPackets);
  EXPECT_EQ(corrupt.load(), 0u);
  EXPECT_EQ(pool.free_slots(), pool.size());
  EXPECT_EQ(pool.free_large(), pool.large_size());
}

}  // namespace
}  // namespace vigil::sensor
