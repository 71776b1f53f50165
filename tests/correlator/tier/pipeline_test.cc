// CorrelationPipeline: events, their index entries, event-id mappings, correlated alerts and the
// engine checkpoint land in the one WriteBatch of the received batch; the national tier sees the
// authenticated province; retention deletes by time range per class.
#include "correlator/tier/correlation_pipeline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "correlator/store/event_id_map.h"
#include "correlator/store/index_postings.h"
#include "correlator/store/retention.h"
#include "correlator/tier/rule_loader.h"
#include "storage/key_codec.h"
#include "tests/correlator/tier/pipeline_test_util.h"
#include "tests/storage/temp_dir.h"

namespace vigil::correlator {
namespace {

using testing_util::kSec;
using testing_util::kT0;
constexpr const char* kRules = testing_util::kThreeAlertsRules;

std::string Ts(int64_t offset_s) { return Timestamp{kT0 + offset_s * kSec}.ToEve(); }

class PipelineTest : public ::testing::Test {
 protected:
  void Open(std::shared_ptr<const RuleSet> rules, UpstreamFn up = nullptr) {
    p_.reset();
    db_.reset();
    storage::DbOptions o;
    o.path = dir_.Sub("db");
    auto db = storage::Db::Open(o);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
    PipelineOptions po;
    po.engine.allowed_lateness_ns = 0;
    auto p = CorrelationPipeline::Create(*db_, EventStoreOptions{}, rules, po, std::move(up));
    ASSERT_TRUE(p.ok()) << p.error().message;
    p_ = std::move(*p);
  }
  static std::shared_ptr<const RuleSet> Rules(const char* text) { return testing_util::RulesFromText(text); }
  // Adds one batch; returns the WriteBatch it built (not yet written) after writing a copy.
  size_t Store(uint64_t seq, const std::vector<std::string>& lines, std::string_view province = "") {
    std::string payload;
    for (const auto& l : lines) payload += l + "\n";
    transport::ReceivedBatch b{"sensor-a", province, seq, static_cast<uint32_t>(lines.size()), payload};
    storage::WriteBatch wb;
    EXPECT_TRUE(p_->AddBatch(b, wb).ok());
    const size_t n = wb.count();
    EXPECT_TRUE(db_->Write(wb, storage::Durability::kBuffered).ok());
    return n;
  }
  std::vector<std::pair<std::string, std::string>> Rows(storage::ColumnFamily cf) {
    std::vector<std::pair<std::string, std::string>> out;
    auto it = db_->NewIterator(cf);
    for (it.SeekToFirst(); it.Valid(); it.Next()) out.emplace_back(std::string(it.key()), std::string(it.value()));
    return out;
  }
  std::string Alert(int64_t t, const std::string& src, int sev = 1) {
    return R"({"timestamp":")" + Ts(t) + R"(","event_type":"alert","src_ip":")" + src +
           R"(","dest_ip":"10.0.0.2","community_id":"1:abc","alert":{"signature_id":2100498,"severity":)" +
           std::to_string(sev) + "}}";
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<CorrelationPipeline> p_;
};

TEST_F(PipelineTest, IndexesIdsAlertsAndCheckpointInOneBatch) {
  std::vector<std::string> forwarded;
  Open(Rules(kRules), [&](std::string_view j) {
    forwarded.emplace_back(j);
    return Ok();
  });
  // 4 events: 4 puts + the batch's index entries, one per (field, value): src_ip .1 and .2,
  // dest_ip, signature_id, community_id = 9; + 1 id-map run for the batch = 10; + 1 alert + its
  // 2 index entries (src_ip, group key) = 13; no checkpoint yet (every 100,000 events). (The
  // 4th event moves the watermark past the 3rd.)
  const size_t puts = Store(1, {Alert(0, "198.51.100.1"), Alert(1, "198.51.100.1"), Alert(2, "198.51.100.1"),
                                Alert(3, "198.51.100.2", 3)});
  p_.reset();
  Open(Rules(kRules));
  EXPECT_EQ(p_->next_event_id(), 5u);  // no checkpoint: the 4 events were replayed
  EXPECT_EQ(p_->counters().events_replayed, 4u);
  EXPECT_EQ(p_->counters().alerts_stored, 1u);  // the same alert again, same key
  const auto& L = p_->layout();
  ASSERT_EQ(Rows(L.family(EventClass::kAlert)).size(), 4u);
  const auto corr = Rows(L.family(EventClass::kCorrelation));
  ASSERT_EQ(corr.size(), 1u);
  EXPECT_NE(corr[0].second.find("\"vigil_origin\":\"correlator\""), std::string::npos) << corr[0].second;
  EXPECT_NE(corr[0].second.find("\"event_ids\":[1,2,3]"), std::string::npos) << corr[0].second;
  // forward-events default (alert, correlation): the 4 received alerts as they were stored, with
  // their origin as vigil_source, then the correlated alert.
  ASSERT_EQ(forwarded.size(), 5u);
  EXPECT_EQ(forwarded[0].rfind("{\"vigil_source\":\"sensor-a\",\"timestamp\":", 0), 0u) << forwarded[0];
  EXPECT_NE(forwarded.back().find("\"title\":\"three alerts\""), std::string::npos);
  EXPECT_EQ(puts, 13u);

  // src_ip index: the batch's entry for .1 (three events) and the alert's, in the hour bucket of
  // kT0; the batch's entry for .2 (one event).
  const auto all_src = Rows(L.family(IndexField::kSrcIp));
  ASSERT_EQ(all_src.size(), 3u);
  std::string prefix;
  AppendIndexPrefix(&prefix, IndexBucket(kT0), "198.51.100.1");
  std::vector<std::pair<std::string, std::string>> src;
  for (const auto& row : all_src) {
    if (row.first.compare(0, prefix.size(), prefix) == 0) src.push_back(row);
  }
  ASSERT_EQ(src.size(), 2u);  // the batch from "sensor-a" sorts before the alert from "correlator" (shorter origin)
  IndexPostings postings;
  ASSERT_TRUE(postings.Parse(src[0].first, src[0].second));
  EXPECT_EQ(postings.value(), "198.51.100.1");
  EXPECT_EQ(postings.bucket(), IndexBucket(kT0));
  ASSERT_EQ(postings.size(), 3u);
  EventLocation loc;
  ASSERT_TRUE(postings.Get(0, &loc));
  EXPECT_EQ(loc.cls, EventClass::kAlert);
  auto t = PrimaryKeyTime(loc.primary);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, kT0);
  EXPECT_EQ(postings.Time(2), kT0 + 2 * kSec);
  ASSERT_TRUE(postings.Get(2, &loc));
  std::string primary;
  AppendEventKey(&primary, kT0 + 2 * kSec, "sensor-a", 1, 2);
  EXPECT_EQ(loc.primary, primary);  // the third event of batch 1
  ASSERT_TRUE(postings.Parse(src[1].first, src[1].second));
  ASSERT_EQ(postings.size(), 1u);
  ASSERT_TRUE(postings.Get(0, &loc));
  EXPECT_EQ(loc.cls, EventClass::kCorrelation);
  EXPECT_EQ(Rows(L.family(IndexField::kSignatureId)).size(), 1u);  // the batch's four alerts share it
  const auto groups = Rows(L.family(IndexField::kGroupKey));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_NE(groups[0].first.find("src_ip=198.51.100.1"), std::string::npos);

  // Event id 2 maps to the second alert's primary key; the batch's ids are one run.
  auto id2 = LookupEventId(*db_, L.event_ids, 2);
  ASSERT_TRUE(id2.ok() && id2->has_value());
  EXPECT_EQ((*id2)->cls, EventClass::kAlert);
  EXPECT_EQ((*id2)->primary, Rows(L.family(EventClass::kAlert))[1].first);
  EXPECT_EQ(Rows(L.event_ids).size(), 1u);
  auto none = LookupEventId(*db_, L.event_ids, 100);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(PipelineTest, NationalTierSeesTheAuthenticatedProvince) {
  auto rules = LoadCorrelationRules("rules/correlation/national");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  Open(*rules);
  auto corr = [](int64_t t, const char* claimed) {
    return R"({"timestamp":")" + Ts(t) + R"(","event_type":"correlation","src_ip":"203.0.113.9","province":")" +
           claimed + R"(","correlation":{"rule_name":"vigil_port_scan"}})";
  };
  // Two events from one province's key claiming two provinces: one province (the stamp wins).
  Store(1, {corr(0, "p1")}, "prov-a");
  Store(2, {corr(60, "p2")}, "prov-a");
  storage::WriteBatch wb;
  ASSERT_TRUE(p_->Flush(wb).ok());
  EXPECT_EQ(p_->counters().alerts_stored, 0u);  // one province only
  // A second province by key (claiming p1 as well): the cross-province campaign.
  Store(3, {corr(120, "p1")}, "prov-b");
  ASSERT_TRUE(p_->Flush(wb).ok());
  EXPECT_EQ(p_->counters().alerts_stored, 1u);
  ASSERT_TRUE(db_->Write(wb, storage::Durability::kBuffered).ok());
  const auto rows = Rows(p_->layout().family(EventClass::kCorrelation));
  ASSERT_EQ(rows.size(), 4u);  // three received + our alert
  EXPECT_NE(rows[0].second.find("\"vigil_province\":\"prov-a\""), std::string::npos) << rows[0].second;
  bool found = false;
  for (const auto& [k, v] : rows) found |= v.find("vigil_national_multi_province") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST_F(PipelineTest, RetentionDeletesByTimeRangePerClass) {
  Open(Rules(kRules));
  // One batch per hour: the event-id map keeps one run per batch and is cut by whole runs.
  for (int h = 0; h < 6; ++h) {
    Store(static_cast<uint64_t>(h + 1),
          {Alert(h * 3600, "10.0.0." + std::to_string(h), 3),
           R"({"timestamp":")" + Ts(h * 3600) + R"(","event_type":"flow","src_ip":"10.0.0.)" + std::to_string(h) +
               R"("})"});
  }
  const auto& L = p_->layout();
  RetentionPolicy keep_some;
  keep_some.max_age_ns[static_cast<size_t>(EventClass::kFlow)] = 2 * 3600 * kSec;  // others: forever
  const int64_t now = kT0 + 5 * 3600 * kSec;  // cutoff kT0 + 3h exactly: hour 3 stays
  auto r = RunRetention(*db_, L, keep_some, now);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Rows(L.family(EventClass::kFlow)).size(), 3u);    // hours 3, 4, 5
  EXPECT_EQ(Rows(L.family(EventClass::kAlert)).size(), 6u);   // kept for ever
  EXPECT_EQ(Rows(L.family(IndexField::kSrcIp)).size(), 6u);  // a class keeps everything (one entry per batch)

  RetentionPolicy all;
  all.max_age_ns.fill(2 * 3600 * kSec);
  r = RunRetention(*db_, L, all, now);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Rows(L.family(EventClass::kAlert)).size(), 3u);
  EXPECT_EQ(Rows(L.family(IndexField::kSrcIp)).size(), 3u);  // buckets of hours 3..5
  // Ids 1..12 in arrival order (alert, flow per hour): hours 0..2 are ids 1..6, runs 1, 3, 5.
  EXPECT_EQ(r->event_ids_cut_below, 7u);
  EXPECT_EQ(Rows(L.event_ids).size(), 3u);
  auto kept = LookupEventId(*db_, L.event_ids, 7);
  ASSERT_TRUE(kept.ok() && kept->has_value());
  auto cut = LookupEventId(*db_, L.event_ids, 6);
  ASSERT_TRUE(cut.ok());
  EXPECT_FALSE(cut->has_value());
}

}  // namespace
}  // namespace vigil::correlator
