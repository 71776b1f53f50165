// GroupTable's index against a reference map: random creates, finds and removes, with hashes
// forced to collide (same bucket, same tag) so probe runs, tags and backward-shift deletion are
// all exercised; and eviction of the least recently updated group when full.
#include "correlator/engine/group_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace vigil {
namespace {

// Few distinct hash values: many keys share a bucket, some share the whole hash.
uint64_t CollidingHash(uint64_t k) { return (k % 7) * 0x100000001ULL + ((k % 3) << 40); }

TEST(GroupTable, IndexMatchesReferenceUnderCollisions) {
  GroupTable t(100000);
  std::map<std::string, int64_t> ref;  // key -> last_t
  std::mt19937_64 rng(9);
  for (int step = 0; step < 40000; ++step) {
    const uint64_t k = rng() % 500;
    const std::string key = "k" + std::to_string(k);
    const uint64_t h = CollidingHash(k);
    switch (rng() % 3) {
      case 0: {
        bool evicted = true;
        GroupState* g = t.FindOrCreate(key, h, step, &evicted);
        ASSERT_FALSE(evicted);
        ASSERT_EQ(g->key, key);
        ref[key] = step;
        break;
      }
      case 1: {
        GroupState* g = t.Find(key, h);
        ASSERT_EQ(g != nullptr, ref.count(key) == 1) << key;
        if (g) {
          EXPECT_EQ(g->last_t, ref[key]);
        }
        break;
      }
      default:
        if (GroupState* g = t.Find(key, h)) {
          t.Remove(g);
          ref.erase(key);
        }
        break;
    }
    ASSERT_EQ(t.size(), ref.size());
  }
  for (const auto& [key, last] : ref) {
    const uint64_t k = std::stoull(key.substr(1));
    GroupState* g = t.Find(key, CollidingHash(k));
    ASSERT_NE(g, nullptr) << key;
    EXPECT_EQ(g->last_t, last);
  }
}

TEST(GroupTable, EvictsTheLeastRecentlyUpdated) {
  GroupTable t(3);
  bool evicted = false;
  for (const char* k : {"a", "b", "c"}) t.FindOrCreate(k, GroupTable::HashKey(k), 1, &evicted);
  EXPECT_FALSE(evicted);
  t.FindOrCreate("a", GroupTable::HashKey("a"), 2, &evicted);  // a is young again: b is oldest
  t.FindOrCreate("d", GroupTable::HashKey("d"), 3, &evicted);
  EXPECT_TRUE(evicted);
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.Find("b", GroupTable::HashKey("b")), nullptr);
  EXPECT_NE(t.Find("a", GroupTable::HashKey("a")), nullptr);
  EXPECT_EQ(t.Oldest()->key, "c");
}

}  // namespace
}  // namespace vigil
