// forward-events: which received events a provincial correlator sends upward, and how they keep
// their origin (RestampForUpstream: vigil_origin/vigil_province become vigil_source/
// vigil_source_province, the rest byte for byte).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "correlator/tier/correlation_pipeline.h"
#include "correlator/tier/forwarded_event.h"
#include "tests/correlator/tier/pipeline_test_util.h"
#include "tests/storage/temp_dir.h"

namespace vigil::correlator {
namespace {

TEST(RestampForUpstream, RenamesTheStampAndKeepsTheRest) {
  std::string out;
  ASSERT_TRUE(RestampForUpstream(R"({"vigil_origin":"n/s-1","vigil_province":"north","a":1})", &out));
  EXPECT_EQ(out, R"({"vigil_source":"n/s-1","vigil_source_province":"north","a":1})");
  ASSERT_TRUE(RestampForUpstream(R"({"vigil_origin":"s\"x\\","b":{"c":[1]}})", &out));
  EXPECT_EQ(out, R"({"vigil_source":"s\"x\\","b":{"c":[1]}})");
  ASSERT_TRUE(RestampForUpstream(R"({"vigil_origin":"s"})", &out));
  EXPECT_EQ(out, R"({"vigil_source":"s"})");
}

TEST(RestampForUpstream, RefusesWhatTheWriterDidNotStamp) {
  std::string out;
  EXPECT_FALSE(RestampForUpstream(R"({"timestamp":"x","vigil_origin":"s"})", &out));
  EXPECT_FALSE(RestampForUpstream(R"({"vigil_origin":"unterminated)", &out));
  EXPECT_FALSE(RestampForUpstream(R"({"vigil_origin":"s","vigil_province":"p)", &out));
  EXPECT_FALSE(RestampForUpstream("", &out));
}

TEST(ForwardClasses, ParsesClassNamesAndRejectsUnknownOnes) {
  EXPECT_EQ(ForwardClasses::Default().ToString(), "alert,correlation");
  auto f = ParseForwardClasses({"alerts", "correlated", "dns"});
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->ToString(), "alert,dns,correlation");
  EXPECT_TRUE(f->Has(EventClass::kDns));
  EXPECT_FALSE(f->Has(EventClass::kFlow));
  auto none = ParseForwardClasses({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto bad = ParseForwardClasses({"alert", "alarms"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'alarms'"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("correlation"), std::string::npos) << bad.error().message;
}

class ForwardPipelineTest : public ::testing::Test {
 protected:
  void Open(ForwardClasses forward) {
    db_ = testing_util::OpenTestDb(dir_.Sub("db"));
    ASSERT_TRUE(db_);
    PipelineOptions po;
    po.engine.allowed_lateness_ns = 0;
    po.forward = forward;
    auto p = CorrelationPipeline::Create(*db_, EventStoreOptions{},
                                         testing_util::RulesFromText(testing_util::kThreeAlertsRules), po,
                                         [this](std::string_view j) {
                                           sent_.emplace_back(j);
                                           return Ok();
                                         });
    ASSERT_TRUE(p.ok()) << p.error().message;
    p_ = std::move(*p);
  }
  void Store(const std::vector<std::string>& lines) {
    std::string payload;
    for (const auto& l : lines) payload += l + "\n";
    transport::ReceivedBatch b{"north/sensor-1", "north", ++seq_, static_cast<uint32_t>(lines.size()),
                               payload};
    storage::WriteBatch wb;
    ASSERT_TRUE(p_->AddBatch(b, wb).ok());
    ASSERT_TRUE(db_->Write(wb, storage::Durability::kBuffered).ok());
  }
  static std::string Event(const char* type, int64_t t, const char* extra = "") {
    return std::string(R"({"timestamp":")") + Timestamp{testing_util::kT0 + t * testing_util::kSec}.ToEve() +
           R"(","event_type":")" + type + R"(","src_ip":"198.51.100.1")" + extra +
           R"(,"alert":{"signature_id":1,"severity":1}})";
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<CorrelationPipeline> p_;
  std::vector<std::string> sent_;
  uint64_t seq_ = 0;
};

TEST_F(ForwardPipelineTest, DefaultSendsAlertsAndCorrelationsWithTheirSource) {
  Open(ForwardClasses::Default());
  Store({Event("flow", 0), Event("alert", 1), Event("dns", 2), Event("alert", 3), Event("alert", 4),
         Event("alert", 5)});
  // 4 alerts, then the correlated alert (three serious alerts from one source).
  ASSERT_EQ(sent_.size(), 5u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(
        sent_[i].rfind(R"({"vigil_source":"north/sensor-1","vigil_source_province":"north","timestamp":)", 0),
        0u)
        << sent_[i];
    EXPECT_NE(sent_[i].find(R"("event_type":"alert")"), std::string::npos) << sent_[i];
  }
  EXPECT_NE(sent_[4].find(R"("event_type":"correlation")"), std::string::npos) << sent_[4];
  EXPECT_EQ(p_->counters().events_forwarded, 4u);
  EXPECT_EQ(p_->counters().alerts_forwarded, 1u);
  EXPECT_EQ(p_->counters().forward_refused, 0u);
}

TEST_F(ForwardPipelineTest, OnlyTheConfiguredClassesGoUp) {
  Open(ForwardClasses().Add(EventClass::kDns));
  Store({Event("flow", 0), Event("alert", 1), Event("dns", 2), Event("alert", 3), Event("alert", 4),
         Event("alert", 5)});
  ASSERT_EQ(sent_.size(), 1u);  // the dns event; no alerts, no correlated alert
  EXPECT_NE(sent_[0].find(R"("event_type":"dns")"), std::string::npos) << sent_[0];
  EXPECT_EQ(p_->counters().alerts_stored, 1u);  // still correlated and stored here
  EXPECT_EQ(p_->counters().alerts_forwarded, 0u);
}

TEST_F(ForwardPipelineTest, AnEventClaimingItsOwnSourceIsNotForwarded) {
  Open(ForwardClasses::Default());
  Store({Event("alert", 0, R"(,"vigil_source":"national/forged")"), Event("alert", 1)});
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].find("forged"), std::string::npos) << sent_[0];
  EXPECT_EQ(p_->counters().forward_refused, 1u);
  EXPECT_EQ(p_->counters().events_forwarded, 1u);
}

}  // namespace
}  // namespace vigil::correlator
