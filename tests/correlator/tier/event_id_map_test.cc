// EventIdRun / EventIdRunBuilder / LookupEventId: the run codec of index.event_id.
#include "correlator/store/event_id_map.h"

#include <gtest/gtest.h>

#include <string>

#include "correlator/store/store_layout.h"
#include "storage/key_codec.h"
#include "tests/storage/open_db.h"
#include "tests/storage/temp_dir.h"

namespace vigil::correlator {
namespace {

// A primary key as the event store writes it.
std::string Primary(int64_t ts, std::string_view origin, uint64_t seq, uint32_t index) {
  std::string k;
  AppendEventKey(&k, ts, origin, seq, index);
  return k;
}

TEST(EventIdMapTest, OneRunPerBatchRoundTrips) {
  EventIdRunBuilder b;
  ASSERT_TRUE(b.Add(10, EventClass::kFlow, Primary(-5, "sensor-a", 7, 0)));
  ASSERT_TRUE(b.Add(11, EventClass::kAlert, Primary(3, "sensor-a", 7, 1)));
  ASSERT_TRUE(b.Add(12, EventClass::kDns, Primary(2, "sensor-a", 7, 2)));
  EXPECT_FALSE(b.Add(14, EventClass::kDns, Primary(2, "sensor-a", 7, 3)));  // not the next id
  EXPECT_FALSE(b.Add(13, EventClass::kDns, Primary(2, "sensor-a", 8, 0)));  // another batch
  EXPECT_FALSE(b.Add(13, EventClass::kDns, Primary(2, "sensor-b", 7, 3)));  // another origin
  std::string k, v;
  b.Encode(&k, &v);
  EXPECT_EQ(k, storage::U64Key(10));
  // The middle (origin length, origin, seq) once, then 13 bytes per id.
  EXPECT_EQ(v.size(), 2 + (2 + 8 + 8) + 3 * kIdRecordBytes);

  EventIdRun run;
  ASSERT_TRUE(run.Parse(k, v));
  EXPECT_EQ(run.first(), 10u);
  EXPECT_EQ(run.size(), 3u);
  EXPECT_TRUE(run.Covers(12));
  EXPECT_FALSE(run.Covers(9));
  EXPECT_FALSE(run.Covers(13));
  EventLocation loc;
  ASSERT_TRUE(run.Get(0, &loc));
  EXPECT_EQ(loc.cls, EventClass::kFlow);
  EXPECT_EQ(loc.primary, Primary(-5, "sensor-a", 7, 0));
  ASSERT_TRUE(run.Get(1, &loc));
  EXPECT_EQ(loc.cls, EventClass::kAlert);
  EXPECT_EQ(loc.primary, Primary(3, "sensor-a", 7, 1));
  EXPECT_EQ(run.Time(0), -5);
  EXPECT_EQ(run.Time(2), 2);

  b.Clear();
  EXPECT_TRUE(b.empty());
  EXPECT_TRUE(b.Add(99, EventClass::kTls, Primary(1, "other", 1, 0)));  // a new run may start anywhere
}

TEST(EventIdMapTest, RefusesMalformedRunsAndShortKeys) {
  EventIdRun run;
  EXPECT_FALSE(run.Parse("1234567", std::string(20, 'x')));                        // key not 8 bytes
  EXPECT_FALSE(run.Parse(storage::U64Key(1), std::string("\x00", 1)));              // no middle length
  EXPECT_FALSE(run.Parse(storage::U64Key(1), std::string("\x00\x05" "ab", 4)));     // middle cut short
  EXPECT_FALSE(run.Parse(storage::U64Key(1), std::string("\x00\x00", 2)));          // no ids
  EXPECT_FALSE(run.Parse(storage::U64Key(1), std::string("\x00\x00", 2) + std::string(12, 'x')));  // 12 of 13 bytes
  std::string bad_class = std::string("\x00\x00", 2) + std::string(1, '\x40') + std::string(12, '\0');
  ASSERT_TRUE(run.Parse(storage::U64Key(1), bad_class));
  EventLocation loc;
  EXPECT_FALSE(run.Get(0, &loc));

  EventIdRunBuilder b;
  EXPECT_FALSE(b.Add(1, EventClass::kFlow, "short"));
  EXPECT_TRUE(b.empty());
}

TEST(EventIdMapTest, RunsAreCappedInLength) {
  EventIdRunBuilder b;
  const std::string p = Primary(0, "s", 1, 0);
  for (size_t i = 0; i < kMaxIdsPerRun; ++i) ASSERT_TRUE(b.Add(i, EventClass::kFlow, p));
  EXPECT_FALSE(b.Add(kMaxIdsPerRun, EventClass::kFlow, p));
}

TEST(EventIdMapTest, LookupFindsTheCoveringRun) {
  testing::TempDir dir;
  auto db = testing::OpenTestDb(dir.Sub("db"));
  ASSERT_TRUE(db);
  auto cf = db->OpenFamily("index.event_id");
  ASSERT_TRUE(cf.ok());
  EventIdRunBuilder b;
  std::string k, v;
  storage::WriteBatch wb;
  // Runs 1..3 and 5..6 (id 4 never mapped).
  for (uint64_t id = 1; id <= 3; ++id) ASSERT_TRUE(b.Add(id, EventClass::kFlow, Primary(100 + id, "s", 1, id)));
  b.Encode(&k, &v);
  ASSERT_TRUE(wb.Put(*cf, k, v).ok());
  b.Clear();
  for (uint64_t id = 5; id <= 6; ++id) ASSERT_TRUE(b.Add(id, EventClass::kAlert, Primary(200 + id, "s", 2, id)));
  b.Encode(&k, &v);
  ASSERT_TRUE(wb.Put(*cf, k, v).ok());
  ASSERT_TRUE(db->Write(wb, storage::Durability::kBuffered).ok());

  for (uint64_t id : {0u, 4u, 7u}) {
    auto r = LookupEventId(*db, *cf, id);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->has_value()) << id;
  }
  auto r = LookupEventId(*db, *cf, 2);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->cls, EventClass::kFlow);
  EXPECT_EQ((*r)->primary, Primary(102, "s", 1, 2));
  r = LookupEventId(*db, *cf, 6);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->cls, EventClass::kAlert);
  EXPECT_EQ((*r)->primary, Primary(206, "s", 2, 6));
}

}  // namespace
}  // namespace vigil::correlator
