#include "sensor/defrag/chunk_pool.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::sensor {
namespace {

TEST(ChunkPoolTest, CapacityFollowsMemcap) {
  ChunkPool pool(10 * ChunkPool::kBytesPerChunk + 5);
  EXPECT_EQ(pool.capacity(), 10u);
  EXPECT_EQ(pool.available(), 10u);
  uint32_t a = pool.AllocChain(7);
  ASSERT_NE(a, ChunkPool::kNone);
  EXPECT_EQ(pool.AllocChain(4), ChunkPool::kNone) << "all or nothing";
  EXPECT_EQ(pool.in_use(), 7u);
  EXPECT_EQ(pool.memuse(), 7 * ChunkPool::kBytesPerChunk);
  pool.FreeChain(a);
  EXPECT_EQ(pool.in_use(), 0u);
  EXPECT_NE(pool.AllocChain(10), ChunkPool::kNone) << "freed chunks are reused";
  EXPECT_EQ(pool.AllocChain(1), ChunkPool::kNone);
}

TEST(ChunkPoolTest, BytesCrossChunkBoundaries) {
  ChunkPool pool(64 * ChunkPool::kBytesPerChunk);
  std::vector<uint8_t> data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 13 + 1);
  const size_t skip = 24;
  uint32_t n = ChunkPool::ChunksFor(skip, data.size());
  EXPECT_EQ(n, 4u);  // 1024 bytes
  uint32_t h = pool.AllocChain(n);
  pool.Write(h, skip, data.data(), data.size());
  std::vector<uint8_t> back(data.size());
  pool.Read(h, skip, 0, back.data(), back.size());
  EXPECT_EQ(back, data);
  // A window straddling the first and second chunk boundaries.
  std::vector<uint8_t> part(600);
  pool.Read(h, skip, 200, part.data(), part.size());
  EXPECT_TRUE(std::equal(part.begin(), part.end(), data.begin() + 200));
  EXPECT_TRUE(pool.Equal(h, skip, 200, data.data() + 200, 600));
  data[700] ^= 1;
  EXPECT_FALSE(pool.Equal(h, skip, 200, data.data() + 200, 600));
  EXPECT_TRUE(pool.Equal(h, skip, 0, data.data(), 700));
  EXPECT_EQ(ChunkPool::ChunksFor(0, 0), 1u);
}

}  // namespace
}  // namespace vigil::sensor
