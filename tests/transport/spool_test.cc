#include "transport/spool.h"

#include <gtest/gtest.h>

#include <signal.h>

#include "tests/storage/temp_dir.h"
#include "tests/transport/crash_child.h"

namespace vigil::transport {
namespace {

std::unique_ptr<storage::Db> OpenDb(const std::string& path) {
  storage::DbOptions o;
  o.path = path;
  auto db = storage::Db::Open(o);
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
  return db.ok() ? std::move(*db) : nullptr;
}

std::unique_ptr<Spool> OpenSpool(storage::Db& db, SpoolOptions o = {}) {
  auto s = Spool::Open(db, o);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(*s) : nullptr;
}

std::string Rec(uint64_t seq) { return "batch-" + std::to_string(seq) + std::string(90, 'x'); }

TEST(Spool, PolicyNames) {
  EXPECT_EQ(*ParseSpoolFullPolicy("block"), SpoolFullPolicy::kBlock);
  EXPECT_EQ(*ParseSpoolFullPolicy("drop-oldest"), SpoolFullPolicy::kDropOldest);
  EXPECT_FALSE(ParseSpoolFullPolicy("drop").ok());
}

TEST(Spool, AppendReadAck) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  auto sp = OpenSpool(*db);
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->next_seq(), 1u);
  EXPECT_FALSE(sp->Append(5, "x").ok());  // must be next_seq
  for (uint64_t s = 1; s <= 10; ++s) ASSERT_TRUE(sp->Append(s, Rec(s)).ok());
  EXPECT_EQ(sp->count(), 10u);
  EXPECT_EQ(sp->oldest_seq(), 1u);
  EXPECT_EQ(sp->bytes(), 10 * Rec(1).size() + 1);  // "batch-10" is one byte longer
  EXPECT_EQ(**sp->Read(4), Rec(4));
  ASSERT_TRUE(sp->AckThrough(4).ok());
  EXPECT_EQ(sp->oldest_seq(), 5u);
  EXPECT_FALSE(sp->Read(4)->has_value());
  EXPECT_EQ(**sp->Read(5), Rec(5));
  ASSERT_TRUE(sp->AckThrough(2).ok());  // stale ack: no-op
  EXPECT_EQ(sp->count(), 6u);
  ASSERT_TRUE(sp->AckThrough(100).ok());
  EXPECT_TRUE(sp->empty());
  EXPECT_EQ(sp->bytes(), 0u);
  EXPECT_EQ(sp->next_seq(), 11u);
}

TEST(Spool, PersistsAcrossReopenIncludingNextSeqWhenEmpty) {
  testing::TempDir dir;
  {
    auto db = OpenDb(dir.path());
    auto sp = OpenSpool(*db);
    for (uint64_t s = 1; s <= 20; ++s) ASSERT_TRUE(sp->Append(s, Rec(s)).ok());
    ASSERT_TRUE(sp->AckThrough(15).ok());
  }
  {
    auto db = OpenDb(dir.path());
    auto sp = OpenSpool(*db);
    ASSERT_TRUE(sp);
    EXPECT_EQ(sp->count(), 5u);
    EXPECT_EQ(sp->oldest_seq(), 16u);
    EXPECT_EQ(sp->next_seq(), 21u);
    EXPECT_EQ(sp->bytes(), 5 * Rec(16).size());
    ASSERT_TRUE(sp->AckThrough(20).ok());
  }
  auto db = OpenDb(dir.path());
  auto sp = OpenSpool(*db);
  EXPECT_TRUE(sp->empty());
  EXPECT_EQ(sp->next_seq(), 21u) << "a sequence number must never be reused";
}

TEST(Spool, SeparateNamesAreSeparateSpools) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  SpoolOptions a, b;
  a.name = "up-a";
  b.name = "up-b";
  auto sa = OpenSpool(*db, a);
  auto sb = OpenSpool(*db, b);
  ASSERT_TRUE(sa->Append(1, "a").ok());
  EXPECT_TRUE(sb->empty());
  EXPECT_EQ(sb->next_seq(), 1u);
}

TEST(Spool, BlockPolicyRefusesAtTheBoundUntilAcked) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  SpoolOptions o;
  o.max_bytes = 1000;
  o.full_policy = SpoolFullPolicy::kBlock;
  auto sp = OpenSpool(*db, o);
  const std::string rec(300, 'r');
  for (uint64_t s = 1; s <= 3; ++s) ASSERT_TRUE(sp->Append(s, rec).ok());
  auto full = sp->Append(4, rec);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::kLimit);
  EXPECT_EQ(sp->count(), 3u) << "nothing dropped under block";
  EXPECT_EQ(sp->next_seq(), 4u) << "a refused append consumes no sequence";
  ASSERT_TRUE(sp->AckThrough(1).ok());
  ASSERT_TRUE(sp->Append(4, rec).ok());
  EXPECT_EQ(sp->Append(5, std::string(1001, 'x')).error().code, ErrorCode::kLimit);  // never fits
}

TEST(Spool, AppendGroupStoresThePrefixThatFitsInOneWrite) {
  testing::TempDir dir;
  {
    auto db = OpenDb(dir.path());
    SpoolOptions o;
    o.max_bytes = 1000;
    o.full_policy = SpoolFullPolicy::kBlock;
    auto sp = OpenSpool(*db, o);
    const std::string rec(300, 'g');
    const std::string_view group[] = {rec, rec, rec, rec, rec};
    auto r = sp->AppendGroup(1, group);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->appended, 3u);  // 900 of 1000 bytes
    EXPECT_EQ(sp->next_seq(), 4u);
    EXPECT_EQ(sp->AppendGroup(4, std::span(group).subspan(3)).error().code, ErrorCode::kLimit);
    EXPECT_FALSE(sp->AppendGroup(3, group).ok());  // must start at next_seq
    ASSERT_TRUE(sp->AckThrough(2).ok());
    r = sp->AppendGroup(4, std::span(group).subspan(3));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->appended, 2u);
    EXPECT_EQ(sp->count(), 3u);
  }
  // Reopened: the group's records and next_seq survived.
  auto db = OpenDb(dir.path());
  auto sp = OpenSpool(*db);
  EXPECT_EQ(sp->next_seq(), 6u);
  EXPECT_EQ(sp->oldest_seq(), 3u);
  for (uint64_t s = 3; s <= 5; ++s) EXPECT_TRUE(sp->Read(s)->has_value()) << s;
}

TEST(Spool, AppendGroupUnderDropOldestDropsOnlyOlderBatches) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  SpoolOptions o;
  o.max_bytes = 1000;
  o.full_policy = SpoolFullPolicy::kDropOldest;
  auto sp = OpenSpool(*db, o);
  const std::string rec(300, 'd');
  for (uint64_t s = 1; s <= 3; ++s) ASSERT_TRUE(sp->Append(s, rec).ok());
  const std::string_view group[] = {rec, rec, rec, rec};  // 1200 bytes: only 3 can be kept
  auto r = sp->AppendGroup(4, group);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->appended, 3u);
  EXPECT_EQ(r->dropped_batches, 3u);
  EXPECT_EQ(r->dropped_through_seq, 3u);
  EXPECT_EQ(sp->oldest_seq(), 4u);
  EXPECT_EQ(sp->next_seq(), 7u);
}

TEST(Spool, DropOldestPolicyMakesRoomAndReportsIt) {
  testing::TempDir dir;
  {
    auto db = OpenDb(dir.path());
    SpoolOptions o;
    o.max_bytes = 1000;
    o.full_policy = SpoolFullPolicy::kDropOldest;
    auto sp = OpenSpool(*db, o);
    const std::string rec(300, 'r');
    for (uint64_t s = 1; s <= 3; ++s) {
      auto r = sp->Append(s, rec);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->dropped_batches, 0u);
    }
    auto r = sp->Append(4, std::string(650, 'b'));  // needs two old batches out
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->dropped_batches, 2u);
    EXPECT_EQ(r->dropped_through_seq, 2u);
    EXPECT_EQ(sp->oldest_seq(), 3u);
    EXPECT_EQ(sp->bytes(), 950u);
    EXPECT_FALSE(sp->Read(1)->has_value());
  }
  auto db = OpenDb(dir.path());  // the drop was part of the same durable write
  auto sp = OpenSpool(*db);
  EXPECT_EQ(sp->count(), 2u);
  EXPECT_EQ(sp->oldest_seq(), 3u);
  EXPECT_EQ(sp->next_seq(), 5u);
}

// Child half of the crash test: appends 50 batches, acks 10, then dies by SIGKILL with the
// database open.
TEST(SpoolCrashChild, AppendThenSigkill) {
  const char* dir = testing::CrashDir();
  if (dir == nullptr) GTEST_SKIP() << "runs only as the child of Spool.SurvivesSigkill";
  auto db = OpenDb(dir);
  SpoolOptions o;
  o.append_durability = storage::Durability::kBuffered;  // SIGKILL keeps the OS page cache
  auto sp = OpenSpool(*db, o);
  for (uint64_t s = 1; s <= 50; ++s) {
    if (!sp->Append(s, Rec(s)).ok()) ::_exit(3);
  }
  if (!sp->AckThrough(10).ok()) ::_exit(4);
  testing::DieNow();
}

TEST(Spool, SurvivesSigkill) {
  testing::TempDir dir;
  ASSERT_EQ(testing::RunCrashChild("SpoolCrashChild.AppendThenSigkill", dir.path()), SIGKILL);
  auto db = OpenDb(dir.path());
  auto sp = OpenSpool(*db);
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->count(), 40u);
  EXPECT_EQ(sp->oldest_seq(), 11u);
  EXPECT_EQ(sp->next_seq(), 51u);
  for (uint64_t s = 11; s <= 50; ++s) EXPECT_EQ(**sp->Read(s), Rec(s));
}

}  // namespace
}  // namespace vigil::transport
