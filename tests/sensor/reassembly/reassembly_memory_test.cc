#include "sensor/reassembly/reassembly_memory.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::sensor {
namespace {

TEST(ReassemblyMemoryTest, GrowsToMemcapThenRefusesAndReuses) {
  ReassemblyMemory mem(/*memcap=*/100 * 64, /*chunk_size=*/64);
  EXPECT_EQ(mem.reserved_bytes(), 0u);  // nothing until first use
  std::vector<Chunk*> got;
  while (Chunk* c = mem.Alloc(ChunkUse::kOutOfOrder)) {
    c->data[0] = 1;
    c->data[63] = 2;
    got.push_back(c);
  }
  EXPECT_EQ(got.size(), 100u);
  EXPECT_EQ(mem.used_bytes(), 6400u);
  EXPECT_EQ(mem.reserved_bytes(), 6400u);
  mem.Free(got.back());
  got.pop_back();
  Chunk* again = mem.Alloc(ChunkUse::kOutOfOrder);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->len, 0u);
  EXPECT_EQ(again->next, nullptr);
  got.push_back(again);
  for (Chunk* c : got) mem.Free(c);
  EXPECT_EQ(mem.chunks_in_use(), 0u);
  EXPECT_EQ(mem.reserved_bytes(), 6400u);  // kept for reuse
}

TEST(ReassemblyMemoryTest, RetainedCopiesStopAtThreeQuarters) {
  ReassemblyMemory mem(100 * 64, 64);
  std::vector<Chunk*> got;
  while (Chunk* c = mem.Alloc(ChunkUse::kRetain)) got.push_back(c);
  EXPECT_EQ(got.size(), 75u);
  Chunk* ooo = mem.Alloc(ChunkUse::kOutOfOrder);
  EXPECT_NE(ooo, nullptr);  // out-of-order data can still use the rest
  got.push_back(ooo);
  for (Chunk* c : got) mem.Free(c);
}

}  // namespace
}  // namespace vigil::sensor
