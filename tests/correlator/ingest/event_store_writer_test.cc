// EventStoreWriter on hand-made batches: valid events stored in their class family in key order,
// every kind of invalid event rejected with its reason and counted, the rest of the batch kept.
#include "correlator/ingest/event_store_writer.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "storage/key_codec.h"
#include "tests/storage/open_db.h"
#include "tests/storage/temp_dir.h"

namespace vigil::correlator {
namespace {

struct Row {
  std::string key;
  std::string value;
};

class EventStoreWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = ::vigil::testing::OpenTestDb(dir_.Sub("db"));
    ASSERT_TRUE(db_);
    EventStoreOptions so;
    so.max_event_bytes = 4096;
    so.max_rejected_bytes = 64;
    so.max_depth = 8;
    auto w = EventStoreWriter::Create(*db_, so);
    ASSERT_TRUE(w.ok()) << w.error().message;
    w_ = std::move(*w);
  }

  // Adds one batch (lines joined with '\n', each terminated) and commits it.
  void Store(std::string_view origin, uint64_t seq, const std::vector<std::string>& lines) {
    std::string payload;
    for (const auto& l : lines) payload += l + "\n";
    transport::ReceivedBatch b;
    b.origin = origin;
    b.seq = seq;
    b.event_count = static_cast<uint32_t>(lines.size());
    b.payload = payload;
    storage::WriteBatch wb;
    ASSERT_TRUE(w_->AddBatch(b, wb).ok());
    ASSERT_TRUE(db_->Write(wb, storage::Durability::kBuffered).ok());
  }

  std::vector<Row> Rows(storage::ColumnFamily cf) {
    std::vector<Row> out;
    auto it = db_->NewIterator(cf);
    for (it.SeekToFirst(); it.Valid(); it.Next()) out.push_back({std::string(it.key()), std::string(it.value())});
    EXPECT_TRUE(it.status().ok());
    return out;
  }
  std::vector<Row> Rows(EventClass c) { return Rows(w_->family(c)); }
  uint64_t Count(std::string_view name) const { return w_->counters().Total(name); }

  // Reasons of the rejected rows, in key order (origin, seq, index).
  std::vector<std::string> RejectedReasons() {
    std::vector<std::string> out;
    for (const auto& r : Rows(w_->rejected_family())) out.push_back(r.value.substr(0, r.value.find('\0')));
    return out;
  }

  vigil::testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<EventStoreWriter> w_;
};

std::string Ev(std::string_view type, std::string_view ts, std::string_view extra = "") {
  std::string s = "{\"timestamp\":\"" + std::string(ts) + "\",\"event_type\":\"" + std::string(type) + "\"";
  if (!extra.empty()) s += "," + std::string(extra);
  return s + "}";
}

TEST_F(EventStoreWriterTest, ValidEventsGoToTheirClassFamilyWithStampedOrigin) {
  Store("prov-07/s1", 1,
        {Ev("alert", "2024-01-01T00:00:02.000000+0000", "\"alert\":{\"sid\":1}"),
         Ev("flow", "2024-01-01T00:00:01Z"), Ev("dns", "2024-01-01T00:00:01Z"),
         Ev("http", "2024-01-01T00:00:01Z"), Ev("tls", "2024-01-01T00:00:01Z"),
         Ev("anomaly", "2024-01-01T00:00:01Z"), Ev("stats", "2024-01-01T00:00:01Z"),
         Ev("fileinfo", "2024-01-01T00:00:01Z"), Ev("netflow", "2024-01-01T00:00:01Z")});
  for (EventClass c : {EventClass::kAlert, EventClass::kDns, EventClass::kHttp, EventClass::kTls,
                       EventClass::kAnomaly, EventClass::kStats, EventClass::kOther}) {
    EXPECT_EQ(Rows(c).size(), 1u) << EventClassName(c);
  }
  EXPECT_EQ(Rows(EventClass::kFlow).size(), 2u);  // flow + netflow
  EXPECT_TRUE(Rows(w_->rejected_family()).empty());
  EXPECT_EQ(Count("ingest.batches"), 1u);
  EXPECT_EQ(Count("ingest.events"), 9u);
  EXPECT_EQ(Count("ingest.stored.flow"), 2u);
  EXPECT_EQ(Count("ingest.stored.other"), 1u);

  auto alert = Rows(EventClass::kAlert);
  ASSERT_EQ(alert.size(), 1u);
  EXPECT_EQ(alert[0].value,
            "{\"vigil_origin\":\"prov-07/s1\",\"timestamp\":\"2024-01-01T00:00:02.000000+0000\","
            "\"event_type\":\"alert\",\"alert\":{\"sid\":1}}");
  // The stored value is valid JSON with the origin readable.
  simdjson::ondemand::parser p;
  simdjson::padded_string ps(alert[0].value);
  auto doc = p.iterate(ps);
  std::string_view origin;
  ASSERT_FALSE(doc["vigil_origin"].get_string().get(origin));
  EXPECT_EQ(origin, "prov-07/s1");

  // Key layout: [ts][u16 len][origin][seq][index].
  const std::string& k = alert[0].key;
  auto ts = storage::GetI64BE(k, 0);
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ(*ts, Timestamp::Parse("2024-01-01T00:00:02Z")->ns);
  ASSERT_EQ(k.size(), 8u + 2 + 10 + 8 + 4);
  EXPECT_EQ(storage::DecodeU16BE(k.data() + 8), 10u);
  EXPECT_EQ(k.substr(10, 10), "prov-07/s1");
  EXPECT_EQ(storage::DecodeU64BE(k.data() + 20), 1u);
  EXPECT_EQ(storage::DecodeU32BE(k.data() + 28), 0u);
}

TEST_F(EventStoreWriterTest, KeysSortByEventTimeIncludingBeforeEpoch) {
  Store("s", 5, {Ev("dns", "2024-01-01T00:00:03Z", "\"n\":3"), Ev("dns", "1969-12-31T23:59:59Z", "\"n\":0"),
                 Ev("dns", "2024-01-01T00:00:01Z", "\"n\":1")});
  Store("s", 6, {Ev("dns", "2024-01-01T00:00:02Z", "\"n\":2")});
  auto rows = Rows(EventClass::kDns);
  ASSERT_EQ(rows.size(), 4u);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_NE(rows[i].value.find("\"n\":" + std::to_string(i)), std::string::npos) << rows[i].value;
  }
}

TEST_F(EventStoreWriterTest, InvalidEventsAreRejectedWithReasonAndTheRestStored) {
  const std::string huge = Ev("alert", "2024-01-01T00:00:00Z", "\"p\":\"" + std::string(5000, 'x') + "\"");
  std::string bad_utf8 = Ev("alert", "2024-01-01T00:00:00Z", "\"p\":\"\xff\xfe\"");
  std::string deep = Ev("alert", "2024-01-01T00:00:00Z", "\"d\":[[[[[[[[[[1]]]]]]]]]]");
  const std::vector<std::string> lines = {
      Ev("alert", "2024-01-01T00:00:00Z"),                                    // 0 ok
      "",                                                                     // 1 empty
      huge,                                                                   // 2 too_large
      "{\"timestamp\":\"2024-01-01T00:00:00Z\",\"event_type\":\"alert\"",     // 3 truncated
      "[1,2,3]",                                                              // 4 not_object
      "\"just a string\"",                                                    // 5 not_object
      "{\"event_type\":\"alert\"}",                                           // 6 missing_timestamp
      "{\"timestamp\":12345,\"event_type\":\"alert\"}",                       // 7 bad_timestamp
      "{\"timestamp\":\"yesterday\",\"event_type\":\"alert\"}",               // 8 bad_timestamp
      "{\"timestamp\":\"2024-01-01T00:00:00Z\"}",                             // 9 missing_event_type
      "{\"timestamp\":\"2024-01-01T00:00:00Z\",\"event_type\":7}",            // 10 bad_event_type
      bad_utf8,                                                               // 11 invalid_json
      Ev("alert", "2024-01-01T00:00:00Z", "\"n\":01"),                        // 12 invalid number
      Ev("alert", "2024-01-01T00:00:00Z", "\"s\":\"\\q\""),                   // 13 bad escape
      Ev("alert", "2024-01-01T00:00:00Z") + " {}",                            // 14 trailing content
      deep,                                                                   // 15 too_deep
      Ev("alert", "2024-01-01T00:00:00Z", "\"vigil_origin\":\"spoof\""),      // 16 reserved_field
      Ev("http", "2024-01-01T00:00:00Z", "\"x\":[true,false,null,1.5e3,{}]"),  // 17 ok
  };
  Store("o", 9, lines);
  EXPECT_EQ(Rows(EventClass::kAlert).size(), 1u);
  EXPECT_EQ(Rows(EventClass::kHttp).size(), 1u);
  const std::vector<std::string> want = {
      "empty",         "too_large",         "invalid_json",       "not_object",     "not_object",
      "missing_timestamp", "bad_timestamp", "bad_timestamp",      "missing_event_type",
      "bad_event_type", "invalid_json",     "invalid_json",       "invalid_json",   "invalid_json",
      "too_deep",      "reserved_field"};
  EXPECT_EQ(RejectedReasons(), want);
  EXPECT_EQ(Count("ingest.events"), lines.size());
  EXPECT_EQ(Count("ingest.rejected.invalid_json"), 5u);
  EXPECT_EQ(Count("ingest.rejected.not_object"), 2u);
  EXPECT_EQ(Count("ingest.rejected.bad_timestamp"), 2u);
  EXPECT_EQ(Count("ingest.rejected.too_large"), 1u);
  EXPECT_EQ(Count("ingest.rejected.too_deep"), 1u);
  EXPECT_EQ(Count("ingest.rejected.reserved_field"), 1u);
  EXPECT_EQ(Count("ingest.stored.alert") + Count("ingest.stored.http"), 2u);

  // Rejected rows: key [u16 len][origin][seq][index], value reason NUL raw prefix (capped).
  auto rej = Rows(w_->rejected_family());
  ASSERT_EQ(rej.size(), want.size());
  EXPECT_EQ(storage::DecodeU32BE(rej[1].key.data() + 2 + 1 + 8), 2u);  // the huge one, index 2
  EXPECT_EQ(rej[1].value.size(), std::string("too_large").size() + 1 + 64);
}

TEST_F(EventStoreWriterTest, UnbalancedBracketsAreInvalidNotCrashes) {
  // "[" alone crashed simdjson On Demand 3.0 (found by correlator_ingest_fuzz).
  Store("o", 1, {"[", "{", "]", "{\"a\":[}", "{\"a\":{]}", "{\"a\":\"}", "[[1]",
                 Ev("dns", "2024-01-01T00:00:00Z", "\"s\":\"[{\\\"\"")});
  const std::vector<std::string> want(7, "invalid_json");
  EXPECT_EQ(RejectedReasons(), want);
  EXPECT_EQ(Rows(EventClass::kDns).size(), 1u);  // brackets and escaped quotes inside a string
}

TEST_F(EventStoreWriterTest, TimestampsBeyondTheNanosecondRangeAreRejected) {
  // Year 2423 overflowed int64 nanoseconds in Timestamp::Parse (found by
  // correlator_pipeline_fuzz under UBSan); 2261 still fits.
  Store("o", 1, {Ev("dns", "2423-11-14T22:13:20Z", "\"x\":1"), Ev("dns", "2261-01-01T00:00:00Z", "\"x\":2"),
                 Ev("dns", "1600-01-01T00:00:00Z", "\"x\":3")});
  EXPECT_EQ(RejectedReasons(), (std::vector<std::string>{"bad_timestamp", "bad_timestamp"}));
  EXPECT_EQ(Rows(EventClass::kDns).size(), 1u);
}

TEST_F(EventStoreWriterTest, SameBatchStoredTwiceKeepsOneCopy) {
  // Even without the receiver's de-duplication, the key suffix (origin, seq, index) makes a
  // resent batch overwrite itself.
  const std::vector<std::string> lines = {Ev("tls", "2024-01-01T00:00:00Z"), Ev("tls", "2024-01-01T00:00:00Z")};
  Store("o", 3, lines);
  Store("o", 3, lines);
  EXPECT_EQ(Rows(EventClass::kTls).size(), 2u);
}

TEST_F(EventStoreWriterTest, MissingFinalNewlineAndCrlfHandled) {
  transport::ReceivedBatch b;
  b.origin = "o";
  b.seq = 1;
  std::string payload = Ev("dns", "2024-01-01T00:00:00Z") + "\r\n" + Ev("dns", "2024-01-01T00:00:01Z");
  b.payload = payload;
  storage::WriteBatch wb;
  ASSERT_TRUE(w_->AddBatch(b, wb).ok());
  ASSERT_TRUE(db_->Write(wb, storage::Durability::kBuffered).ok());
  EXPECT_EQ(Rows(EventClass::kDns).size(), 2u);
}

TEST(EventClassTest, Names) {
  EXPECT_EQ(ClassifyEventType("alert"), EventClass::kAlert);
  EXPECT_EQ(ClassifyEventType("other"), EventClass::kOther);
  EXPECT_EQ(ClassifyEventType("smb"), EventClass::kOther);
  EXPECT_EQ(EventClassName(EventClass::kAnomaly), "anomaly");
  EXPECT_EQ(RejectReasonName(RejectReason::kReservedField), "reserved_field");
}

}  // namespace
}  // namespace vigil::correlator
