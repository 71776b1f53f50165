// The compiled-database cache: a second build of the same rules loads every database from disk
// and matches the same way; a changed rule recompiles only what changed; a corrupt file is a miss.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sensor/detect/db_cache.h"
#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

TEST(DbCache, SecondBuildLoadsFromCache) {
  std::string dir = ::testing::TempDir() + "/vigil_detect_cache_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  DetectConfig cfg;
  cfg.cache_dir = dir;
  // Folded port groups repeat the any group's literal sets, which would hit the cache within
  // the cold build; without them every database of this rule set is distinct.
  cfg.fold_any_ports.clear();
  const std::string rules = R"(alert udp any any -> any any (content:"alpha"; sid:1;)
alert tcp any any -> any 80 (content:"bravo"; sid:2;)
alert http any any -> any any (http.uri; content:"/charlie"; sid:3;))";
  auto cold = BuildEngine(rules, cfg);
  ASSERT_TRUE(cold);
  EXPECT_EQ(cold->stats().cache_hits, 0u);
  EXPECT_EQ(cold->stats().cache_misses, cold->stats().databases);
  auto warm = BuildEngine(rules, cfg);
  ASSERT_TRUE(warm);
  EXPECT_EQ(warm->stats().cache_hits, warm->stats().databases);
  EXPECT_EQ(warm->stats().cache_misses, 0u);
  DetectThread t(*warm);
  auto p = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "xx alpha");
  BufferSet b;
  b.Set(BufferId::kPacket, p->pkt.payload_span());
  AlertQueue q;
  InspectInput in{.packet = &p->pkt, .buffers = &b};
  EXPECT_EQ(t.Inspect(in, &q), 1u);

  // One changed rule: its database misses, the others still hit.
  auto changed = BuildEngine(rules + "\nalert udp any any -> any any (content:\"delta\"; sid:4;)", cfg);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->stats().cache_misses, 1u);
  EXPECT_EQ(changed->stats().cache_hits, changed->stats().databases - 1);

  // Corrupt every entry: all miss, nothing fails.
  for (auto& f : std::filesystem::directory_iterator(dir)) std::ofstream(f.path(), std::ios::trunc) << "junk";
  auto again = BuildEngine(rules, cfg);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->stats().cache_hits, 0u);
  std::filesystem::remove_all(dir);
}

TEST(DbCache, KeyDependsOnEveryLiteralField) {
  std::vector<HsLiteral> a = {{"abc", false, 0}};
  std::vector<HsLiteral> b = {{"abc", true, 0}};
  std::vector<HsLiteral> c = {{"abc", false, 1}};
  std::vector<HsLiteral> d = {{"abd", false, 0}};
  EXPECT_NE(DbCache::Key(a), DbCache::Key(b));
  EXPECT_NE(DbCache::Key(a), DbCache::Key(c));
  EXPECT_NE(DbCache::Key(a), DbCache::Key(d));
  EXPECT_EQ(DbCache::Key(a), DbCache::Key(a));
  EXPECT_EQ(DbCache::Key(a).size(), 64u);
}

}  // namespace
}  // namespace vigil::sensor::testing
