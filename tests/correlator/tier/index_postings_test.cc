// IndexPostings / IndexPostingsBuilder: the per-batch posting lists of the index.<field>
// families, and the one-event entries of stores written before them.
#include "correlator/store/index_postings.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "correlator/store/store_layout.h"
#include "storage/db.h"
#include "tests/storage/open_db.h"
#include "tests/storage/temp_dir.h"

namespace vigil::correlator {
namespace {

constexpr int64_t kHour = kIndexBucketNs;

std::string Primary(int64_t ts, std::string_view origin, uint64_t seq, uint32_t index) {
  std::string k;
  AppendEventKey(&k, ts, origin, seq, index);
  return k;
}

class IndexPostingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = ::vigil::testing::OpenTestDb(dir_.Sub("db"));
    ASSERT_TRUE(db_);
    auto l = StoreLayout::Open(*db_);
    ASSERT_TRUE(l.ok()) << l.error().message;
    layout_ = *l;
  }
  // Every entry of a family: key -> value.
  std::map<std::string, std::string> Entries(IndexField f) {
    std::map<std::string, std::string> out;
    auto it = db_->NewIterator(layout_.family(f));
    for (it.SeekToFirst(); it.Valid(); it.Next()) out.emplace(std::string(it.key()), std::string(it.value()));
    return out;
  }
  // The (class, primary) list of one entry.
  static std::vector<std::pair<EventClass, std::string>> Events(const std::string& k, const std::string& v) {
    IndexPostings p;
    EXPECT_TRUE(p.Parse(k, v));
    std::vector<std::pair<EventClass, std::string>> out;
    EventLocation loc;
    for (size_t i = 0; i < p.size(); ++i) {
      EXPECT_TRUE(p.Get(i, &loc));
      EXPECT_EQ(p.Time(i), KeyTime(loc.primary));
      out.emplace_back(loc.cls, loc.primary);
    }
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  StoreLayout layout_;
};

TEST_F(IndexPostingsTest, OneEntryPerFieldBucketValueAndBatch) {
  IndexPostingsBuilder b(layout_);
  storage::WriteBatch wb;
  // Batch 7 of sensor-a: three events from .1 (one in the next hour bucket), one from .2.
  const std::string e0 = Primary(10, "sensor-a", 7, 0), e1 = Primary(20, "sensor-a", 7, 1),
                    e2 = Primary(kHour + 5, "sensor-a", 7, 2), e3 = Primary(15, "sensor-a", 7, 3);
  ASSERT_TRUE(b.Add(IndexField::kSrcIp, "10.0.0.1", EventClass::kFlow, e0, wb).ok());
  ASSERT_TRUE(b.Add(IndexField::kDestIp, "10.0.0.1", EventClass::kFlow, e0, wb).ok());  // another field
  ASSERT_TRUE(b.Add(IndexField::kSrcIp, "10.0.0.1", EventClass::kAlert, e1, wb).ok());
  ASSERT_TRUE(b.Add(IndexField::kSrcIp, "10.0.0.1", EventClass::kDns, e2, wb).ok());
  ASSERT_TRUE(b.Add(IndexField::kSrcIp, "10.0.0.2", EventClass::kFlow, e3, wb).ok());
  EXPECT_EQ(wb.count(), 0u);  // nothing put before the batch ends
  // An event of another batch puts the pending groups first.
  const std::string a0 = Primary(30, "correlator", 1, 0);
  ASSERT_TRUE(b.Add(IndexField::kSrcIp, "10.0.0.1", EventClass::kCorrelation, a0, wb).ok());
  EXPECT_EQ(wb.count(), 4u);
  ASSERT_TRUE(b.Flush(wb).ok());
  EXPECT_EQ(wb.count(), 5u);
  ASSERT_TRUE(b.Flush(wb).ok());  // nothing pending: nothing more
  EXPECT_EQ(wb.count(), 5u);
  ASSERT_TRUE(db_->Write(wb, storage::Durability::kBuffered).ok());

  const auto src = Entries(IndexField::kSrcIp);
  ASSERT_EQ(src.size(), 4u);
  std::string p0, p1;
  AppendIndexPrefix(&p0, 0, "10.0.0.1");
  AppendIndexPrefix(&p1, kHour, "10.0.0.1");
  std::vector<std::vector<std::pair<EventClass, std::string>>> in_bucket0, in_bucket1;
  for (const auto& [k, v] : src) {
    if (k.compare(0, p0.size(), p0) == 0) in_bucket0.push_back(Events(k, v));
    if (k.compare(0, p1.size(), p1) == 0) in_bucket1.push_back(Events(k, v));
  }
  // Bucket 0, value .1: the alert's entry ("correlator" is the longer origin: after), the batch's.
  ASSERT_EQ(in_bucket0.size(), 2u);
  EXPECT_EQ(in_bucket0[0], (std::vector<std::pair<EventClass, std::string>>{{EventClass::kFlow, e0},
                                                                           {EventClass::kAlert, e1}}));
  EXPECT_EQ(in_bucket0[1], (std::vector<std::pair<EventClass, std::string>>{{EventClass::kCorrelation, a0}}));
  ASSERT_EQ(in_bucket1.size(), 1u);
  EXPECT_EQ(in_bucket1[0], (std::vector<std::pair<EventClass, std::string>>{{EventClass::kDns, e2}}));
  EXPECT_EQ(Entries(IndexField::kDestIp).size(), 1u);

  IndexPostings p;
  const auto& [k, v] = *src.begin();
  ASSERT_TRUE(p.Parse(k, v));
  EXPECT_EQ(p.bucket(), 0);
  EXPECT_EQ(p.value(), "10.0.0.1");
}

TEST_F(IndexPostingsTest, DiscardDropsThePendingBatchAndTheBuilderIsReused) {
  IndexPostingsBuilder b(layout_);
  storage::WriteBatch wb;
  ASSERT_TRUE(b.Add(IndexField::kSrcIp, "10.0.0.1", EventClass::kFlow, Primary(1, "s", 1, 0), wb).ok());
  b.Discard();
  ASSERT_TRUE(b.Flush(wb).ok());
  EXPECT_EQ(wb.count(), 0u);
  // Many distinct values (the table grows) in one batch, then a second batch reusing it.
  for (uint32_t i = 0; i < 1000; ++i) {
    ASSERT_TRUE(b.Add(IndexField::kCommunityId, "c" + std::to_string(i % 300), EventClass::kFlow,
                      Primary(i, "s", 2, i), wb).ok());
  }
  ASSERT_TRUE(b.Flush(wb).ok());
  EXPECT_EQ(wb.count(), 300u);
  ASSERT_TRUE(b.Add(IndexField::kCommunityId, "c1", EventClass::kFlow, Primary(5, "s", 3, 0), wb).ok());
  ASSERT_TRUE(b.Flush(wb).ok());
  EXPECT_EQ(wb.count(), 301u);
  ASSERT_TRUE(db_->Write(wb, storage::Durability::kBuffered).ok());
  size_t events = 0;
  for (const auto& [k, v] : Entries(IndexField::kCommunityId)) events += Events(k, v).size();
  EXPECT_EQ(events, 1001u);
  EXPECT_FALSE(b.Add(IndexField::kSrcIp, "x", EventClass::kFlow, "short", wb).ok());
}

TEST_F(IndexPostingsTest, ReadsOneEventEntriesOfOlderStoresAndRefusesMalformedOnes) {
  // Before postings: [prefix][primary key][U8 class] -> "".
  std::string k;
  AppendIndexPrefix(&k, 0, "10.0.0.1");
  const std::string primary = Primary(42, "sensor-a", 9, 3);
  k += primary;
  k.push_back(static_cast<char>(EventClass::kTls));
  IndexPostings p;
  ASSERT_TRUE(p.Parse(k, ""));
  ASSERT_EQ(p.size(), 1u);
  EventLocation loc;
  ASSERT_TRUE(p.Get(0, &loc));
  EXPECT_EQ(loc.cls, EventClass::kTls);
  EXPECT_EQ(loc.primary, primary);
  EXPECT_EQ(p.Time(0), 42);
  EXPECT_EQ(p.value(), "10.0.0.1");

  std::string prefix;
  AppendIndexPrefix(&prefix, 0, "v");
  EXPECT_FALSE(p.Parse(prefix.substr(0, 9), "x"));                      // shorter than its prefix
  EXPECT_FALSE(p.Parse(prefix + "m", std::string(13, '\0')));           // no room for a middle
  EXPECT_FALSE(p.Parse(prefix + "mid", std::string(12, '\0')));         // not whole records
  EXPECT_FALSE(p.Parse(prefix + "mid", ""));                            // old entry too short
  const std::string bad_key = prefix + "mid";  // p holds views: both outlive the Get below
  const std::string bad_class = std::string(1, '\x7f') + std::string(12, '\0');
  ASSERT_TRUE(p.Parse(bad_key, bad_class));
  EXPECT_FALSE(p.Get(0, &loc));                                         // class out of range
}

}  // namespace
}  // namespace vigil::correlator
