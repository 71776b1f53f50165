// EventQuery over a store written by the CorrelationPipeline: time ranges, classes, indexed
// filters, limits, the events behind a correlated alert, top values; and `vigil query` itself.
#include "correlator/query/event_query.h"

#include <stdio.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "correlator/tier/correlation_pipeline.h"
#include "tests/correlator/tier/pipeline_test_util.h"
#include "tests/storage/open_db.h"
#include "tests/storage/temp_dir.h"

namespace vigil::correlator {
namespace {

using testing_util::kSec;
using testing_util::kT0;

class EventQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = ::vigil::testing::OpenTestDb(dir_.Sub("db"));
    ASSERT_TRUE(db_);
    auto rules = testing_util::RulesFromText(testing_util::kThreeAlertsRules);
    ASSERT_TRUE(rules);
    PipelineOptions po;
    po.engine.allowed_lateness_ns = 0;
    auto p = CorrelationPipeline::Create(*db_, EventStoreOptions{}, rules, po, nullptr);
    ASSERT_TRUE(p.ok()) << p.error().message;
    // Two hours: every 10 minutes a flow from .1 and an alert from .2 or .3; at minute 30 a burst
    // of three serious alerts from .9 (one correlated alert).
    std::string payload;
    auto add = [&payload](const std::string& l) { payload += l + "\n"; };
    for (int m = 0; m < 120; m += 10) {
      const std::string ts = Timestamp{kT0 + m * 60 * kSec}.ToEve();
      add(R"({"timestamp":")" + ts + R"(","event_type":"flow","src_ip":"10.0.0.1","dest_ip":"10.0.1.1","dest_port":443})");
      add(R"({"timestamp":")" + ts + R"(","event_type":"alert","src_ip":"10.0.0.)" + std::to_string(2 + (m / 10) % 2) +
          R"(","dest_ip":"10.0.1.1","alert":{"signature_id":)" + std::to_string(100 + (m / 10) % 3) +
          R"(,"severity":3,"signature":"sig"}})");
      if (m == 30) {
        for (int i = 0; i < 3; ++i) {
          add(R"({"timestamp":")" + Timestamp{kT0 + (m * 60 + i) * kSec}.ToEve() +
              R"(","event_type":"alert","src_ip":"10.0.0.9","dest_ip":"10.0.1.1","alert":{"signature_id":7,"severity":1}})");
        }
      }
    }
    transport::ReceivedBatch batch{"sensor-a", "", 1, 0, payload};
    storage::WriteBatch wb;
    ASSERT_TRUE((*p)->AddBatch(batch, wb).ok());
    ASSERT_TRUE((*p)->Flush(wb).ok());
    ASSERT_TRUE(db_->Write(wb, storage::Durability::kBuffered).ok());
    auto layout = StoreLayout::OpenExisting(*db_);
    ASSERT_TRUE(layout.ok()) << layout.error().message;
    layout_ = *layout;
  }

  std::vector<std::string> Query(const QueryOptions& q, QueryStats* stats = nullptr) {
    std::vector<std::string> out;
    int64_t last = INT64_MIN;
    auto st = RunQuery(*db_, layout_, q, [&](const QueryRow& r) {
      EXPECT_GE(r.ts_ns, last) << "rows out of time order";
      last = r.ts_ns;
      EXPECT_GE(r.ts_ns, q.from_ns);
      EXPECT_LT(r.ts_ns, q.to_ns);
      out.emplace_back(r.json);
      return true;
    });
    EXPECT_TRUE(st.ok()) << st.error().message;
    if (stats && st.ok()) *stats = *st;
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  StoreLayout layout_;
};

TEST_F(EventQueryTest, TimeRangeAndClasses) {
  EXPECT_EQ(Query({}).size(), 12u + 12u + 3u + 1u);  // flows, alerts, burst, correlated
  QueryOptions q;
  q.from_ns = kT0 + 60 * 60 * kSec;  // second hour
  q.to_ns = kT0 + 120 * 60 * kSec;
  EXPECT_EQ(Query(q).size(), 12u);
  q.classes = {EventClass::kFlow};
  EXPECT_EQ(Query(q).size(), 6u);
  q.from_ns = kT0;
  q.to_ns = kT0 + 30 * 60 * kSec;  // exclusive: minute 30 is out
  EXPECT_EQ(Query(q).size(), 3u);
  q.classes = {EventClass::kCorrelation};
  q.to_ns = kT0 + 7200 * kSec;
  const auto c = Query(q);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NE(c[0].find("\"title\":\"three alerts\""), std::string::npos);
  q.classes = {};
  q.limit = 5;
  EXPECT_EQ(Query(q).size(), 5u);
}

TEST_F(EventQueryTest, IndexedFilters) {
  QueryOptions q;
  q.where = IndexFilter{IndexField::kSrcIp, "10.0.0.9"};
  QueryStats st;
  EXPECT_EQ(Query(q, &st).size(), 4u);  // three alerts and the correlated alert
  EXPECT_EQ(st.dangling, 0u);
  q.classes = {EventClass::kAlert};
  EXPECT_EQ(Query(q).size(), 3u);
  q.classes = {};
  q.where = IndexFilter{IndexField::kSignatureId, "101"};
  EXPECT_EQ(Query(q).size(), 4u);  // minutes 10, 40, 70, 100
  q.from_ns = kT0 + 60 * 60 * kSec;
  EXPECT_EQ(Query(q).size(), 2u);
  q.from_ns = kT0 + 40 * 60 * kSec + 1;  // within an hour bucket: the seek skips minute 40
  EXPECT_EQ(Query(q).size(), 2u);
  q.where = IndexFilter{IndexField::kGroupKey, "src_ip=10.0.0.9"};
  q.from_ns = INT64_MIN;
  EXPECT_EQ(Query(q).size(), 1u);
  q.where = IndexFilter{IndexField::kDestIp, "10.9.9.9"};
  EXPECT_TRUE(Query(q).empty());
}

TEST_F(EventQueryTest, IndexedFilterOrdersEventsOfOverlappingBatchesByTime) {
  // Two more senders whose batches overlap the first one's time and each other's: each batch is
  // its own index entry, and the query still returns the events in time order.
  auto rules = testing_util::RulesFromText(testing_util::kThreeAlertsRules);
  PipelineOptions po;
  po.engine.allowed_lateness_ns = 0;
  auto p = CorrelationPipeline::Create(*db_, EventStoreOptions{}, rules, po, nullptr);
  ASSERT_TRUE(p.ok()) << p.error().message;
  storage::WriteBatch wb;
  for (int s = 0; s < 2; ++s) {
    std::string payload;
    for (int m = 5 + s; m < 120; m += 20) {
      payload += R"({"timestamp":")" + Timestamp{kT0 + m * 60 * kSec}.ToEve() +
                 R"(","event_type":"flow","src_ip":"10.0.0.1","dest_ip":"10.0.1.)" + std::to_string(7 + s) + R"("})" + "\n";
    }
    const std::string origin = "sensor-" + std::to_string(s);  // the batch holds a view of it
    transport::ReceivedBatch batch{origin, "", 1, 0, payload};
    ASSERT_TRUE((*p)->AddBatch(batch, wb).ok());
  }
  ASSERT_TRUE(db_->Write(wb, storage::Durability::kBuffered).ok());
  QueryOptions q;
  q.where = IndexFilter{IndexField::kSrcIp, "10.0.0.1"};
  EXPECT_EQ(Query(q).size(), 12u + 6u + 6u);  // Query checks the time order
  q.limit = 5;
  const auto first = Query(q);
  ASSERT_EQ(first.size(), 5u);
  EXPECT_NE(first[1].find("\"dest_ip\":\"10.0.1.7\""), std::string::npos) << first[1];  // minute 5
  EXPECT_NE(first[2].find("\"dest_ip\":\"10.0.1.8\""), std::string::npos) << first[2];  // minute 6
  q.limit = 0;
  q.from_ns = kT0 + 45 * 60 * kSec;
  q.to_ns = kT0 + 70 * 60 * kSec;
  EXPECT_EQ(Query(q).size(), 6u);  // minutes 45, 46, 50, 60, 65, 66: across the hour bucket at 46:40
}

TEST_F(EventQueryTest, IndexedFilterReadsOneEventEntriesOfOlderStores) {
  // An index entry as written before postings ([prefix][primary key][class] -> "") for the
  // first flow: found next to the current entries, and not counted twice.
  std::string k;
  AppendIndexPrefix(&k, IndexBucket(kT0), "10.0.9.9");
  AppendEventKey(&k, kT0, "sensor-a", 1, 0);
  k.push_back(static_cast<char>(EventClass::kFlow));
  ASSERT_TRUE(db_->Put(layout_.family(IndexField::kDestIp), k, "", storage::Durability::kBuffered).ok());
  QueryOptions q;
  q.where = IndexFilter{IndexField::kDestIp, "10.0.9.9"};
  const auto rows = Query(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].find("\"src_ip\":\"10.0.0.1\""), std::string::npos) << rows[0];
}

TEST_F(EventQueryTest, EventsBehindAnAlert) {
  auto b = EventsBehind(*db_, layout_, 1);
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(b->events.size(), 3u);
  for (const auto& [cls, json] : b->events) {
    EXPECT_EQ(cls, EventClass::kAlert);
    EXPECT_NE(json.find("10.0.0.9"), std::string::npos) << json;
  }
  EXPECT_TRUE(b->missing_ids.empty());
  auto none = EventsBehind(*db_, layout_, 99);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

TEST_F(EventQueryTest, TopValues) {
  TopCounter top("alert.signature_id");
  QueryOptions q;
  q.classes = {EventClass::kAlert};
  (void)RunQuery(*db_, layout_, q, [&](const QueryRow& r) {
    top.Add(r.json);
    return true;
  });
  const auto t = top.Top(2);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0], (std::pair<std::string, uint64_t>{"100", 4}));  // ties broken by value
  EXPECT_EQ(t[1], (std::pair<std::string, uint64_t>{"101", 4}));
  EXPECT_EQ(top.missing(), 0u);
}

// Runs `vigil query ARGS`; returns the exit status and stdout+stderr.
int Vigil(const std::string& args, std::string* out) {
  const char* bin = std::getenv("VIGIL_BINARY_DIR");
  const std::string cmd = std::string(bin ? bin : "build") + "/bin/vigil query " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out->append(buf, n);
  const int st = ::pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST_F(EventQueryTest, CommandLine) {
  db_.reset();  // vigil query opens read-only: it would work alongside, but keep the test simple
  std::string out;
  ASSERT_EQ(Vigil("--store " + dir_.Sub("db") + " --where src_ip=10.0.0.9 --json", &out), 0) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4) << out;
  out.clear();
  ASSERT_EQ(Vigil("--store " + dir_.Sub("db") + " --class alerts --top src_ip 1", &out), 0) << out;
  EXPECT_NE(out.find("6  10.0.0.2"), std::string::npos) << out;
  out.clear();
  ASSERT_EQ(Vigil("--store " + dir_.Sub("db") + " --behind 1", &out), 0) << out;
  EXPECT_NE(out.find("3 contributing events"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(Vigil("--store " + dir_.Sub("db") + " --where proto=TCP", &out), 1);
  EXPECT_NE(out.find("indexed field"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(Vigil("--store " + dir_.Sub("db") + " --class bogus", &out), 1);
  EXPECT_NE(out.find("unknown --class 'bogus'"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(Vigil("--store " + dir_.Sub("db") + " --from yesterday", &out), 1);
  EXPECT_NE(out.find("--from 'yesterday'"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(Vigil("--store " + dir_.Sub("nothing"), &out), 1);
  EXPECT_NE(out.find("cannot open the store"), std::string::npos) << out;
}

}  // namespace
}  // namespace vigil::correlator
