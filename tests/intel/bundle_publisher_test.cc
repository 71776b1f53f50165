// The correlator's side (correlator/publish): a province refuses and counts tampered bundles
// from upstream and passes only verified ones on; every origin gets the newest bundle of each
// name, now or when it connects later; the national center's publish.dir is picked up.
#include "correlator/publish/bundle_publisher.h"

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <vector>

#include "correlator/publish/publish_dir_watcher.h"
#include "storage/db.h"
#include "tests/intel/intel_test_util.h"
#include "tests/storage/temp_dir.h"

namespace vigil::correlator {
namespace {

using intel_test::NewKey;
using intel_test::Signed;
using intel_test::Trust;
using rules::BundleVerdict;

struct Sent {
  std::mutex mu;
  std::vector<std::string> items;  // "origin name vVERSION kind"
  ControlSendFn Fn() {
    return [this](std::string_view origin, const transport::ControlMessage& m) -> Result<uint64_t> {
      std::lock_guard lock(mu);
      items.push_back(std::string(origin) + " " + m.bundle_id + " v" + std::to_string(m.version) +
                      " " + transport::ControlKindName(m.kind));
      return items.size();
    };
  }
  std::vector<std::string> Take() {
    std::lock_guard lock(mu);
    return std::exchange(items, {});
  }
};

class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = NewKey();
    auto p = BundlePublisher::Create(Trust(key_), registry_, &log_);
    ASSERT_TRUE(p.ok()) << p.error().message;
    pub_ = std::move(*p);
    pub_->SetSender(sent_.Fn());
  }
  uint64_t Count(std::string_view n) const { return registry_.Total(n); }

  Logger log_{LogLevel::kError};
  CounterRegistry registry_;
  rules::SigningKey key_;
  std::unique_ptr<BundlePublisher> pub_;
  Sent sent_;
};

TEST_F(PublisherTest, TamperedBundleFromUpstreamIsRefusedCountedAndNotPassedOn) {
  pub_->OnHello("prov-a/s1");
  const std::string good = Signed(key_, "national-intel", 3, "domain evil.example\n");
  const std::string bad = intel_test::Tampered(good, "evil.example", "evil.exampl3");
  EXPECT_EQ(pub_->Offer(bad, "upstream"), BundleVerdict::kRefused);
  EXPECT_EQ(pub_->Offer(intel_test::Unsigned(good), "upstream"), BundleVerdict::kRefused);
  EXPECT_EQ(pub_->Offer(Signed(NewKey(), "national-intel", 4, "ip 192.0.2.1\n"), "upstream"),
            BundleVerdict::kRefused);
  EXPECT_EQ(Count("intel.bundles.refused.bad_signature"), 1u);
  EXPECT_EQ(Count("intel.bundles.refused.unsigned"), 1u);
  EXPECT_EQ(Count("intel.bundles.refused.untrusted_signer"), 1u);
  EXPECT_TRUE(sent_.Take().empty());
  EXPECT_EQ(pub_->bundles(), 0u);

  EXPECT_EQ(pub_->Offer(good, "upstream"), BundleVerdict::kAccepted);
  EXPECT_EQ(sent_.Take(), (std::vector<std::string>{"prov-a/s1 national-intel v3 indicator_list"}));
  EXPECT_EQ(Count("publish.sent"), 1u);
}

TEST_F(PublisherTest, OriginsConnectingLaterGetTheNewestOfEachBundle) {
  pub_->OnHello("prov-a/s1");
  ASSERT_EQ(pub_->Offer(Signed(key_, "ioc", 1, "ip 198.51.100.7\n"), "dir"), BundleVerdict::kAccepted);
  ASSERT_EQ(pub_->Offer(Signed(key_, "ioc", 2, "ip 198.51.100.8\n"), "dir"), BundleVerdict::kAccepted);
  ASSERT_EQ(pub_->Offer(Signed(key_, "rules", 5, "", "alert ip any any -> any any (sid:1;)\n"), "dir"),
            BundleVerdict::kAccepted);
  EXPECT_EQ(pub_->Offer(Signed(key_, "ioc", 1, "ip 198.51.100.7\n"), "dir"), BundleVerdict::kStale);
  EXPECT_EQ(sent_.Take(), (std::vector<std::string>{"prov-a/s1 ioc v1 indicator_list",
                                                    "prov-a/s1 ioc v2 indicator_list",
                                                    "prov-a/s1 rules v5 rule_bundle"}));
  pub_->OnHello("prov-a/s2");  // a new origin: the newest of each name, not the history
  EXPECT_EQ(sent_.Take(), (std::vector<std::string>{"prov-a/s2 ioc v2 indicator_list",
                                                    "prov-a/s2 rules v5 rule_bundle"}));
  pub_->OnHello("prov-a/s1");  // a reconnect: again (the origin may have restarted)
  EXPECT_EQ(sent_.Take().size(), 2u);
  EXPECT_EQ(pub_->origins(), 2u);
  EXPECT_EQ(Count("publish.origins"), 2u);
  EXPECT_EQ(Count("intel.bundles.refused.stale"), 1u);
}

TEST_F(PublisherTest, NothingIsSentBeforeTheSenderIsSetThenEverythingIs) {
  CounterRegistry reg;
  auto p = BundlePublisher::Create(Trust(key_), reg, &log_);
  ASSERT_TRUE(p.ok());
  (*p)->OnHello("x/1");
  ASSERT_EQ((*p)->Offer(Signed(key_, "ioc", 1, "ip 198.51.100.7\n"), "dir"), BundleVerdict::kAccepted);
  Sent s;
  (*p)->SetSender(s.Fn());
  EXPECT_EQ(s.Take(), (std::vector<std::string>{"x/1 ioc v1 indicator_list"}));
}

TEST_F(PublisherTest, PublishDirIsPickedUpWhenFilesAppearOrChange) {
  testing::TempDir dir;
  pub_->OnHello("prov-a");
  auto w = PublishDirWatcher::Start(dir.path(), 3'600'000'000'000, *pub_, &log_);  // Scan() by hand
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)->Scan(), 0u);
  std::ofstream(dir.Sub("ioc.bundle")) << Signed(key_, "ioc", 1, "domain evil.example\n");
  std::ofstream(dir.Sub("ioc.bundle.tmp")) << "half written";  // not a *.bundle name
  EXPECT_EQ((*w)->Scan(), 1u);
  EXPECT_EQ(sent_.Take(), (std::vector<std::string>{"prov-a ioc v1 indicator_list"}));
  EXPECT_EQ((*w)->Scan(), 0u);  // unchanged
  std::ofstream(dir.Sub("ioc.bundle"), std::ios::trunc) << Signed(key_, "ioc", 2, "domain evil2.example\n");
  EXPECT_EQ((*w)->Scan(), 1u);
  EXPECT_EQ(sent_.Take(), (std::vector<std::string>{"prov-a ioc v2 indicator_list"}));
  EXPECT_FALSE(PublishDirWatcher::Start(dir.Sub("missing"), 1'000'000'000, *pub_, &log_).ok());
}

// With a Db, accepted bundles survive a restart: the next publisher (a restarted province)
// restores them, verified again, and serves origins that connect before anything new arrives.
TEST_F(PublisherTest, AcceptedBundlesAreRestoredAfterARestart) {
  testing::TempDir dir;
  storage::DbOptions o;
  o.path = dir.Sub("db");
  auto db = storage::Db::Open(o);
  ASSERT_TRUE(db.ok()) << db.error().message;
  {
    CounterRegistry reg;
    auto p = BundlePublisher::Create(Trust(key_), reg, &log_, db->get());
    ASSERT_TRUE(p.ok()) << p.error().message;
    ASSERT_EQ((*p)->Offer(Signed(key_, "ioc", 4, "ip 198.51.100.7\n"), "upstream"), BundleVerdict::kAccepted);
    ASSERT_EQ((*p)->Offer(Signed(key_, "ioc", 5, "ip 198.51.100.8\n"), "upstream"), BundleVerdict::kAccepted);
    EXPECT_EQ((*p)->Offer(intel_test::Tampered(Signed(key_, "x", 1, "ip 192.0.2.10\n"), "192.0.2.10", "192.0.2.11"),
                          "upstream"),
              BundleVerdict::kRefused);  // refused ones are not kept
  }
  CounterRegistry reg;
  auto p = BundlePublisher::Create(Trust(key_), reg, &log_, db->get());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ((*p)->bundles(), 1u);
  Sent s;
  (*p)->SetSender(s.Fn());
  (*p)->OnHello("prov-a/s1");
  EXPECT_EQ(s.Take(), (std::vector<std::string>{"prov-a/s1 ioc v5 indicator_list"}));
  EXPECT_EQ((*p)->Offer(Signed(key_, "ioc", 5, "ip 198.51.100.8\n"), "upstream"), BundleVerdict::kDuplicate);
  // A store read with other trusted keys: nothing restored.
  CounterRegistry reg2;
  auto other = BundlePublisher::Create(Trust(NewKey()), reg2, &log_, db->get());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)->bundles(), 0u);
  EXPECT_EQ(reg2.Total("intel.bundles.refused.untrusted_signer"), 1u);
}

}  // namespace
}  // namespace vigil::correlator
