// The sensor's bundle admission (IntelUpdater over IntelStore): tampered, unsigned, untrusted
// and older bundles are refused, counted by reason and change nothing; accepted bundles swap the
// live indicator set atomically; rules go to the reload handler (or are counted as not applied).
#include "sensor/intel/intel_updater.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <vector>

#include "core/log.h"
#include "sensor/intel/intel_config.h"
#include "tests/intel/intel_test_util.h"
#include "tests/storage/temp_dir.h"

namespace vigil::sensor {
namespace {

using intel_test::NewKey;
using intel_test::Signed;
using intel_test::Trust;
using rules::BundleVerdict;

IpAddress Ip(const char* s) { return *IpAddress::Parse(s); }

class IntelUpdaterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = NewKey();
    auto u = IntelUpdater::Create(store_, Trust(key_), &log_);
    ASSERT_TRUE(u.ok()) << u.error().message;
    up_ = std::move(*u);
  }
  uint64_t Count(std::string_view name) const { return store_.registry().Total(name); }

  Logger log_{LogLevel::kError};
  IntelStore store_;
  rules::SigningKey key_;
  std::unique_ptr<IntelUpdater> up_;
};

TEST_F(IntelUpdaterTest, TamperedBundleIsRefusedAndCounted) {
  const std::string good = Signed(key_, "national-intel", 7, "ip 198.51.100.7\ndomain evil.example\n");
  const std::string bad = intel_test::Tampered(good, "198.51.100.7", "198.51.100.8");
  EXPECT_EQ(up_->Offer(bad, "test"), BundleVerdict::kRefused);
  EXPECT_EQ(Count("intel.bundles.refused.bad_signature"), 1u);
  EXPECT_EQ(Count("intel.bundles.accepted"), 0u);
  EXPECT_EQ(store_.Current(), nullptr);  // nothing applied
  EXPECT_EQ(store_.generation(), 0u);

  EXPECT_EQ(up_->Offer(intel_test::Unsigned(good), "test"), BundleVerdict::kRefused);
  EXPECT_EQ(Count("intel.bundles.refused.unsigned"), 1u);
  EXPECT_EQ(up_->Offer(Signed(NewKey(), "national-intel", 8, "ip 192.0.2.1\n"), "test"),
            BundleVerdict::kRefused);
  EXPECT_EQ(Count("intel.bundles.refused.untrusted_signer"), 1u);
  EXPECT_EQ(up_->Offer("garbage", "test"), BundleVerdict::kRefused);
  EXPECT_EQ(Count("intel.bundles.refused.malformed"), 1u);
  EXPECT_EQ(store_.generation(), 0u);

  // The genuine one is accepted afterwards.
  EXPECT_EQ(up_->Offer(good, "test"), BundleVerdict::kAccepted);
  auto snap = store_.Current();
  ASSERT_NE(snap, nullptr);
  EXPECT_NE(snap->set.MatchIp(Ip("198.51.100.7")), nullptr);
  EXPECT_EQ(snap->set.MatchIp(Ip("198.51.100.8")), nullptr);
  EXPECT_EQ(Count("intel.indicators.loaded"), 2u);
}

TEST_F(IntelUpdaterTest, NewerVersionSwapsOlderAndDuplicateAreNotApplied) {
  ASSERT_EQ(up_->Offer(Signed(key_, "ioc", 2, "domain old.example\n"), "t"), BundleVerdict::kAccepted);
  IntelView view(store_);
  const IntelSnapshot* first = view.Get();
  ASSERT_NE(first, nullptr);
  EXPECT_NE(first->set.MatchDomain("a.old.example"), nullptr);

  ASSERT_EQ(up_->Offer(Signed(key_, "ioc", 3, "domain new.example\n"), "t"), BundleVerdict::kAccepted);
  const IntelSnapshot* second = view.Get();
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second, first);
  EXPECT_EQ(second->set.MatchDomain("a.old.example"), nullptr);  // replaced, not added
  EXPECT_NE(second->set.MatchDomain("a.new.example"), nullptr);
  ASSERT_EQ(second->bundles.size(), 1u);
  EXPECT_EQ(second->bundles[0].version, 3u);

  const uint64_t gen = store_.generation();
  EXPECT_EQ(up_->Offer(Signed(key_, "ioc", 2, "domain old.example\n"), "t"), BundleVerdict::kStale);
  EXPECT_EQ(up_->Offer(Signed(key_, "ioc", 3, "domain new.example\n"), "t"), BundleVerdict::kDuplicate);
  EXPECT_EQ(store_.generation(), gen);
  EXPECT_EQ(Count("intel.bundles.refused.stale"), 1u);
  EXPECT_EQ(Count("intel.bundles.duplicate"), 1u);

  // A second list adds to the first.
  ASSERT_EQ(up_->Offer(Signed(key_, "other", 1, "cidr 203.0.113.0/24\n"), "t"), BundleVerdict::kAccepted);
  const IntelSnapshot* third = view.Get();
  EXPECT_NE(third->set.MatchDomain("new.example"), nullptr);
  const rules::IndicatorHit* h = third->set.MatchIp(Ip("203.0.113.77"));
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(third->bundles[h->bundle].name, "other");
}

TEST_F(IntelUpdaterTest, RulesGoToTheHandlerOrAreCountedAsNotApplied) {
  const std::string rules_text = "alert tcp any any -> any 80 (msg:\"x\"; sid:1;)\n";
  ASSERT_EQ(up_->Offer(Signed(key_, "r", 1, "", rules_text), "t"), BundleVerdict::kAccepted);
  EXPECT_EQ(Count("intel.rules.not_applied"), 1u);
  std::string got;
  up_->set_rule_handler([&](const rules::Bundle& b) {
    got = b.rules;
    return Ok();
  });
  ASSERT_EQ(up_->Offer(Signed(key_, "r", 2, "", rules_text), "t"), BundleVerdict::kAccepted);
  EXPECT_EQ(got, rules_text);
  EXPECT_EQ(Count("intel.rules.not_applied"), 1u);
}

// OfferLater applies on the updater's thread, in order; a full queue is refused (the transport
// then leaves the control message unacknowledged and it comes again later).
TEST_F(IntelUpdaterTest, OfferLaterQueuesInOrderAndRefusesWhenFull) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::vector<uint64_t> applied;
  up_->set_rule_handler([&](const rules::Bundle& b) {
    std::unique_lock lock(mu);
    applied.push_back(b.version);
    cv.notify_all();
    cv.wait(lock, [&] { return release; });  // hold the updater's thread
    return Ok();
  });
  const std::string rule = "alert ip any any -> any any (sid:1;)\n";
  ASSERT_TRUE(up_->OfferLater(Signed(key_, "r", 1, "", rule), "t").ok());
  {  // the first one is being applied: the queue is empty again
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return !applied.empty(); });
  }
  for (uint64_t v = 2; v < 2 + IntelUpdater::kMaxQueued; ++v) {
    ASSERT_TRUE(up_->OfferLater(Signed(key_, "r", v, "", rule), "t").ok()) << v;
  }
  auto full = up_->OfferLater(Signed(key_, "r", 99, "", rule), "t");
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::kLimit);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  up_->WaitIdle();
  std::vector<uint64_t> want;
  for (uint64_t v = 1; v < 2 + IntelUpdater::kMaxQueued; ++v) want.push_back(v);
  EXPECT_EQ(applied, want);
  EXPECT_EQ(Count("intel.bundles.accepted"), want.size());
}

TEST_F(IntelUpdaterTest, BadIndicatorLinesAreSkippedAndCounted) {
  ASSERT_EQ(up_->Offer(Signed(key_, "x", 1, "ip 198.51.100.7\nip not-an-ip\nbogus x\n"), "t"),
            BundleVerdict::kAccepted);
  EXPECT_EQ(Count("intel.indicators.loaded"), 1u);
  EXPECT_EQ(Count("intel.indicators.bad_lines"), 2u);
}

TEST(IntelConfigTest, LoadsTheDirectoryAtStartAndRefusesBadFiles) {
  testing::TempDir dir;
  const rules::SigningKey k = NewKey();
  ASSERT_TRUE(rules::WriteSigningKeyFiles(k, dir.Sub("national.sign")).ok());
  std::filesystem::create_directory(dir.Sub("bundles"));
  std::ofstream(dir.Sub("bundles/a.bundle")) << Signed(k, "a", 1, "ip 198.51.100.7\n");
  std::ofstream(dir.Sub("bundles/b.bundle"))
      << intel_test::Tampered(Signed(k, "b", 1, "ip 192.0.2.10\n"), "192.0.2.10", "192.0.2.11");
  std::ofstream(dir.Sub("bundles/notes.txt")) << "ignored";
  IntelConfig c{.trusted_keys = {dir.Sub("national.sign.pub")}, .bundles_dir = dir.Sub("bundles")};
  IntelStore store;
  Logger log(LogLevel::kError);
  auto up = StartIntel(c, store, &log);
  ASSERT_TRUE(up.ok()) << up.error().message;
  ASSERT_NE(*up, nullptr);
  EXPECT_EQ(store.registry().Total("intel.bundles.accepted"), 1u);
  EXPECT_EQ(store.registry().Total("intel.bundles.refused.bad_signature"), 1u);
  ASSERT_NE(store.Current(), nullptr);
  EXPECT_NE(store.Current()->set.MatchIp(Ip("198.51.100.7")), nullptr);

  // Off without keys; a missing directory or key file is an error.
  IntelStore s2;
  auto off = StartIntel(IntelConfig{}, s2, &log);
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(*off, nullptr);
  EXPECT_FALSE(StartIntel({.trusted_keys = {dir.Sub("nope.pub")}}, s2, &log).ok());
  IntelStore s3;
  EXPECT_FALSE(StartIntel({.trusted_keys = {dir.Sub("national.sign.pub")}, .bundles_dir = dir.Sub("nope")},
                          s3, &log)
                   .ok());

  // The same checks through the config keys, as vigil-sensor -T runs them.
  ConfigSchema schema;
  DeclareIntelConfig(schema);
  auto check = [&](std::vector<std::string> sets) {
    auto cfg = Config::LoadString("", "test", schema, sets);
    EXPECT_TRUE(cfg.ok());
    return cfg.ok() && CheckIntelConfig(*cfg).ok();
  };
  EXPECT_TRUE(check({}));
  EXPECT_TRUE(check({"intel.trusted-keys=" + dir.Sub("national.sign.pub"), "intel.bundles=" + dir.Sub("bundles")}));
  EXPECT_FALSE(check({"intel.trusted-keys=" + dir.Sub("nope.pub")}));
  EXPECT_FALSE(check({"intel.trusted-keys=" + dir.Sub("national.sign.pub"), "intel.bundles=" + dir.Sub("nope")}));
  EXPECT_FALSE(check({"intel.bundles=" + dir.Sub("bundles")}));  // bundles nobody could verify
}

}  // namespace
}  // namespace vigil::sensor
