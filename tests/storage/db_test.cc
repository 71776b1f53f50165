#include "storage/db.h"

#include <gtest/gtest.h>

#include "storage/key_codec.h"
#include "storage/rocksdb_status.h"
#include "tests/storage/temp_dir.h"

namespace vigil::storage {
namespace {

std::unique_ptr<Db> OpenOrDie(const std::string& path, std::vector<std::string> families = {}) {
  DbOptions o;
  o.path = path;
  o.column_families = std::move(families);
  auto db = Db::Open(o);
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().ToString());
  return db.ok() ? std::move(*db) : nullptr;
}

TEST(Db, OpenRequiresPath) {
  auto db = Db::Open(DbOptions{});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
}

TEST(Db, PutGetDeleteAcrossFamilies) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.path(), {"a", "b"});
  ASSERT_TRUE(db);
  auto a = db->Family("a");
  auto b = db->Family("b");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(db->Put(*a, "k", "va", Durability::kSync).ok());
  ASSERT_TRUE(db->Put(*b, "k", "vb", Durability::kBuffered).ok());
  EXPECT_EQ(**db->Get(*a, "k"), "va");
  EXPECT_EQ(**db->Get(*b, "k"), "vb");
  ASSERT_TRUE(db->Delete(*a, "k", Durability::kSync).ok());
  auto gone = db->Get(*a, "k");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  EXPECT_EQ(db->Family("missing").error().code, ErrorCode::kNotFound);
}

TEST(Db, FamiliesCreatedLaterAreReopenedWithoutBeingNamed) {
  testing::TempDir dir;
  {
    auto db = OpenOrDie(dir.path());
    ASSERT_TRUE(db);
    auto cf = db->OpenFamily("transport.spool");
    ASSERT_TRUE(cf.ok());
    ASSERT_TRUE(db->Put(*cf, "x", "1", Durability::kSync).ok());
    auto again = db->OpenFamily("transport.spool");  // idempotent
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->handle(), cf->handle());
  }
  auto db = OpenOrDie(dir.path());  // does not list the family: must still open
  ASSERT_TRUE(db);
  auto cf = db->Family("transport.spool");
  ASSERT_TRUE(cf.ok());
  EXPECT_EQ(**db->Get(*cf, "x"), "1");
}

TEST(Db, WriteBatchIsAtomicAndSavePointsRollBack) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.path(), {"events", "marks"});
  ASSERT_TRUE(db);
  auto ev = *db->Family("events");
  auto mk = *db->Family("marks");
  WriteBatch wb;
  ASSERT_TRUE(wb.Put(ev, U64Key(1), "e1").ok());
  wb.SetSavePoint();
  ASSERT_TRUE(wb.Put(ev, U64Key(2), "e2").ok());
  ASSERT_TRUE(wb.RollbackToSavePoint().ok());
  ASSERT_TRUE(wb.Put(mk, "origin", U64Key(1)).ok());
  EXPECT_EQ(wb.count(), 2u);
  ASSERT_TRUE(db->Write(wb, Durability::kSync).ok());
  EXPECT_TRUE((*db->Get(ev, U64Key(1))).has_value());
  EXPECT_FALSE((*db->Get(ev, U64Key(2))).has_value());
  EXPECT_EQ(**db->Get(mk, "origin"), U64Key(1));
  WriteBatch empty;
  EXPECT_TRUE(db->Write(empty, Durability::kSync).ok());
}

TEST(Db, DeleteRangeAndBoundedIteration) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.path(), {"s"});
  ASSERT_TRUE(db);
  auto cf = *db->Family("s");
  for (uint64_t i = 1; i <= 300; ++i) ASSERT_TRUE(db->Put(cf, U64Key(i), std::to_string(i), Durability::kBuffered).ok());
  WriteBatch wb;
  ASSERT_TRUE(wb.DeleteRange(cf, U64Key(1), U64Key(101)).ok());
  ASSERT_TRUE(db->Write(wb, Durability::kSync).ok());

  auto it = db->NewIterator(cf, {.lower = U64Key(50), .upper = U64Key(260)});
  uint64_t expect = 101, n = 0;
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    ASSERT_EQ(*GetU64BE(it.key(), 0), expect) << "keys must come back in numeric order";
    EXPECT_EQ(it.value(), std::to_string(expect));
    ++expect;
    ++n;
  }
  EXPECT_TRUE(it.status().ok());
  EXPECT_EQ(n, 159u);  // 101..259

  // Moving an iterator keeps its bounds alive (they live on the heap).
  Iterator moved = db->NewIterator(cf, {.upper = U64Key(103)});
  Iterator target = std::move(moved);
  n = 0;
  for (target.SeekToFirst(); target.Valid(); target.Next()) ++n;
  EXPECT_EQ(n, 2u);
}

TEST(Db, StatusConversionKeepsMeaning) {
  EXPECT_EQ(FromRocks(rocksdb::Status::Corruption("x"), "read").code, ErrorCode::kCorrupt);
  EXPECT_EQ(FromRocks(rocksdb::Status::NotFound(), "read").code, ErrorCode::kNotFound);
  EXPECT_EQ(FromRocks(rocksdb::Status::IOError("disk"), "write").code, ErrorCode::kIo);
  EXPECT_EQ(FromRocks(rocksdb::Status::Busy(), "write").code, ErrorCode::kUnavailable);
  EXPECT_NE(FromRocks(rocksdb::Status::IOError("disk"), "write spool").message.find("write spool"),
            std::string::npos);
  EXPECT_TRUE(CheckRocks(rocksdb::Status::OK(), "x").ok());
}

// Append (vector) memtables: keys written out of order read back sorted from the memtable,
// after a reopen (WAL replay) and after a flush; a family created later gets one too.
TEST(Db, AppendMemtableFamiliesReadBackInKeyOrder) {
  testing::TempDir dir;
  DbOptions o;
  o.path = dir.path();
  o.column_families = {"idx.a", "plain"};
  o.append_memtable_prefixes = {"idx."};
  const std::vector<uint64_t> order = {7, 3, 9, 1, 8, 2, 6, 4, 5, 0};
  auto read_all = [](Db& db, ColumnFamily cf) {
    std::vector<uint64_t> got;
    Iterator it = db.NewIterator(cf);
    for (it.SeekToFirst(); it.Valid(); it.Next()) got.push_back(DecodeU64BE(it.key().data()));
    EXPECT_TRUE(it.status().ok());
    return got;
  };
  const std::vector<uint64_t> sorted = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  for (int round = 0; round < 3; ++round) {
    auto db = Db::Open(o);
    ASSERT_TRUE(db.ok()) << db.error().message;
    auto a = (*db)->Family("idx.a");
    auto b = (*db)->OpenFamily("idx.b");  // created on the first round
    ASSERT_TRUE(a.ok() && b.ok());
    if (round == 0) {
      WriteBatch wb;
      for (uint64_t k : order) {
        ASSERT_TRUE(wb.Put(*a, U64Key(k), "v" + std::to_string(k)).ok());
        ASSERT_TRUE(wb.Put(*b, U64Key(k), {}).ok());
      }
      ASSERT_TRUE((*db)->Write(wb, Durability::kSync).ok());
    }
    EXPECT_EQ(read_all(**db, *a), sorted) << "round " << round;
    EXPECT_EQ(read_all(**db, *b), sorted) << "round " << round;
    auto v = (*db)->Get(*a, U64Key(3));
    ASSERT_TRUE(v.ok() && v->has_value());
    EXPECT_EQ(**v, "v3");
    if (round == 1) {
      ASSERT_TRUE((*db)->Flush().ok());  // round 2 reads SST files
    }
  }
}

TEST(Db, OpenFailsCleanlyWhenLocked) {
  testing::TempDir dir;
  auto first = OpenOrDie(dir.path());
  ASSERT_TRUE(first);
  DbOptions o;
  o.path = dir.path();
  auto second = Db::Open(o);  // RocksDB's LOCK file: one process/instance at a time
  EXPECT_FALSE(second.ok());
}

}  // namespace
}  // namespace vigil::storage
