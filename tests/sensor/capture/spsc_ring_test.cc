#include "sensor/capture/spsc_ring.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <thread>
#include <vector>

#include "sensor/capture/backoff.h"

namespace vigil::sensor {
namespace {

TEST(SpscRingTest, CapacityRoundsUpToPowerOfTwo) {
  EXPECT_EQ(SpscRing<int>(0).capacity(), 2u);
  EXPECT_EQ(SpscRing<int>(3).capacity(), 4u);
  EXPECT_EQ(SpscRing<int>(4096).capacity(), 4096u);
  EXPECT_EQ(SpscRing<int>(4097).capacity(), 8192u);
}

TEST(SpscRingTest, FullAndEmptyAreReported) {
  SpscRing<int> r(4);
  int v = -1;
  EXPECT_FALSE(r.TryPop(v));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(r.TryPush(i));
  EXPECT_FALSE(r.TryPush(99));
  EXPECT_EQ(r.SizeApprox(), 4u);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(r.TryPop(v));
    EXPECT_EQ(v, i);
  }
  EXPECT_FALSE(r.TryPop(v));
  EXPECT_TRUE(r.EmptyApprox());
}

TEST(SpscRingTest, BatchesArePartialWhenSpaceRunsOut) {
  SpscRing<int> r(8);
  const std::array<int, 5> a = {1, 2, 3, 4, 5};
  EXPECT_EQ(r.PushBatch(a), 5u);
  EXPECT_EQ(r.PushBatch(a), 3u);  // only 3 cells left
  std::array<int, 16> out{};
  EXPECT_EQ(r.PopBatch(out), 8u);
  const std::array<int, 8> want = {1, 2, 3, 4, 5, 1, 2, 3};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(out[i], want[i]);
  EXPECT_EQ(r.PopBatch(out), 0u);
  // Wrap-around: indices keep growing past the capacity.
  for (int round = 0; round < 100; ++round) {
    ASSERT_EQ(r.PushBatch(std::span<const int>(a.data(), 3)), 3u);
    ASSERT_EQ(r.PopBatch(std::span<int>(out.data(), 2)), 2u);
    ASSERT_EQ(r.PopBatch(std::span<int>(out.data() + 2, 1)), 1u);
    ASSERT_EQ(out[0], 1);
    ASSERT_EQ(out[1], 2);
    ASSERT_EQ(out[2], 3);
  }
}

// Two threads move 10M sequence numbers through a small ring (so both the full and the empty
// paths are hit constantly); the consumer checks each arrives once and in order.
TEST(SpscRingTest, TwoThreadsMoveTenMillionItemsInOrder) {
  constexpr uint64_t kItems = 10'000'000;
  SpscRing<uint64_t> ring(1024);
  std::thread producer([&] {
    Backoff backoff;
    uint64_t next = 0;
    std::array<uint64_t, 32> batch;
    while (next < kItems) {
      if ((next & 1) == 0) {  // alternate single and batch pushes
        if (ring.TryPush(next)) {
          ++next;
          backoff.Reset();
        } else {
          backoff.Pause();
        }
        continue;
      }
      const uint64_t n = std::min<uint64_t>(batch.size(), kItems - next);
      for (uint64_t i = 0; i < n; ++i) batch[i] = next + i;
      const size_t pushed = ring.PushBatch(std::span<const uint64_t>(batch.data(), n));
      next += pushed;
      if (pushed == 0) backoff.Pause(); else backoff.Reset();
    }
  });
  uint64_t expect = 0;
  uint64_t mismatches = 0;
  std::array<uint64_t, 64> out;
  Backoff backoff;
  while (expect < kItems) {
    size_t n;
    if ((expect & 3) == 0) {
      uint64_t v = 0;
      n = ring.TryPop(v) ? 1 : 0;
      out[0] = v;
    } else {
      n = ring.PopBatch(out);
    }
    if (n == 0) {
      backoff.Pause();
      continue;
    }
    backoff.Reset();
    for (size_t i = 0; i < n; ++i) mismatches += out[i] != expect++;
  }
  producer.join();
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(expect, kItems);
  uint64_t extra;
  EXPECT_FALSE(ring.TryPop(extra));
}

}  // namespace
}  // namespace vigil::sensor
