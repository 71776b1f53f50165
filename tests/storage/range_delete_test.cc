// DeleteKeyRange removes exactly [begin, end) of one family, also from flushed SST files, and
// leaves other families alone; a read-only Db opens a database another handle has open.
#include "storage/range_delete.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/key_codec.h"
#include "tests/storage/temp_dir.h"

namespace vigil::storage {
namespace {

std::vector<uint64_t> Keys(const Db& db, ColumnFamily cf) {
  std::vector<uint64_t> out;
  auto it = db.NewIterator(cf);
  for (it.SeekToFirst(); it.Valid(); it.Next()) out.push_back(DecodeU64BE(it.key().data()));
  EXPECT_TRUE(it.status().ok());
  return out;
}

TEST(RangeDelete, DeletesExactlyTheRangeFromMemtableAndFiles) {
  testing::TempDir dir;
  DbOptions o;
  o.path = dir.Sub("db");
  auto db = Db::Open(o);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto a = (*db)->OpenFamily("a");
  auto b = (*db)->OpenFamily("b");
  ASSERT_TRUE(a.ok() && b.ok());
  for (uint64_t k = 0; k < 100; ++k) {
    ASSERT_TRUE((*db)->Put(*a, U64Key(k), "x", Durability::kBuffered).ok());
    ASSERT_TRUE((*db)->Put(*b, U64Key(k), "x", Durability::kBuffered).ok());
    if (k == 49) {
      ASSERT_TRUE((*db)->Flush().ok());  // half in files, half in memtables
    }
  }
  ASSERT_TRUE(DeleteKeyRange(**db, *a, U64Key(10), U64Key(60)).ok());
  auto keys = Keys(**db, *a);
  ASSERT_EQ(keys.size(), 50u);
  EXPECT_EQ(keys[9], 9u);
  EXPECT_EQ(keys[10], 60u);  // end is exclusive
  EXPECT_EQ(Keys(**db, *b).size(), 100u);
  // Empty and inverted ranges do nothing.
  ASSERT_TRUE(DeleteKeyRange(**db, *a, U64Key(70), U64Key(70)).ok());
  ASSERT_TRUE(DeleteKeyRange(**db, *a, U64Key(80), U64Key(70)).ok());
  EXPECT_EQ(Keys(**db, *a).size(), 50u);
  // Survives a flush and a reopen.
  ASSERT_TRUE((*db)->Flush().ok());
  db->reset();
  auto again = Db::Open(o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Keys(**again, *(*again)->Family("a")).size(), 50u);

  // Read-only next to the writer: sees the data, no lock conflict.
  DbOptions ro = o;
  ro.read_only = true;
  auto reader = Db::Open(ro);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(Keys(**reader, *(*reader)->Family("b")).size(), 100u);
}

}  // namespace
}  // namespace vigil::storage
