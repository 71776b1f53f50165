// RuleReloader: reload from files and from a bundle, what is reported as live, failures keeping
// the old rules, the async path, and the old context freed once every worker has moved on.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/sha256.h"
#include "sensor/output/memory_sink.h"
#include "sensor/reload/rule_reloader.h"
#include "tests/sensor/reload/reload_test_util.h"

namespace vigil::sensor {
namespace {

using reload_test::MakeConfig;
using reload_test::TempDir;
using reload_test::WriteFile;

constexpr char kRuleA[] = "alert udp any any -> any any (msg:\"a\"; content:\"A\"; sid:1;)\n";
constexpr char kRuleB[] = "alert udp any any -> any any (msg:\"b\"; content:\"B\"; sid:2;)\n";

struct Fixture {
  TempDir dir;
  std::string rules = dir / "local.rules";
  SensorConfig config = MakeConfig({});
  RuleSources sources;
  std::shared_ptr<const InspectContext> initial;

  explicit Fixture(const std::string& text) {
    WriteFile(rules, text);
    sources.replace = true;
    sources.files = {rules};
    auto ctx = LoadInspectContext(config, sources);
    EXPECT_TRUE(ctx.ok());
    if (ctx.ok()) initial = *ctx;
  }
};

TEST(RuleReloaderTest, StartRulesAreGenerationOneWithHashAndFilesVersion) {
  Fixture f(kRuleA);
  RuleReloader r(f.config, f.sources, f.initial);
  const RulesetInfo live = r.Live();
  EXPECT_EQ(live.generation, 1u);
  EXPECT_EQ(live.version, "files");
  EXPECT_EQ(live.rules, 1u);
  EXPECT_EQ(live.hash.size(), 64u);
  EXPECT_GT(live.loaded_at.ns, 0);
  EXPECT_EQ(r.slot()->Load(), f.initial);
  EXPECT_NE(live.Describe().find("generation 1 live: 1 rules, version files"), std::string::npos)
      << live.Describe();
}

TEST(RuleReloaderTest, HashIsTheDigestOfEachPathAndItsBytesThenTheBundle) {
  Fixture f(kRuleA);
  auto digest = [](std::string_view text) {
    Sha256 h;
    h.Update({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
    return h.FinishHex();
  };
  const std::string framed = f.rules + std::string(1, '\0') + kRuleA + std::string(1, '\0');
  EXPECT_EQ(MakeRulesetInfo(*f.initial, {}, {}, {}, 1).hash, digest(framed));
  EXPECT_EQ(MakeRulesetInfo(*f.initial, kRuleB, "v", "b", 1).hash, digest(framed + kRuleB));
}

TEST(RuleReloaderTest, FilesReloadReadsTheEditedFileAndPublishes) {
  Fixture f(kRuleA);
  RuleReloader r(f.config, f.sources, f.initial);
  const std::string hash1 = r.Live().hash;
  auto same = r.ReloadNow(RuleSource::Files());
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->hash, hash1);  // same bytes, same hash
  EXPECT_EQ(same->generation, 2u);

  WriteFile(f.rules, std::string(kRuleA) + kRuleB);
  auto info = r.ReloadNow(RuleSource::Files());
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->generation, 3u);
  EXPECT_EQ(info->rules, 2u);
  EXPECT_NE(info->hash, hash1);
  EXPECT_EQ(r.Live().generation, 3u);
  EXPECT_EQ(r.slot()->generation(), 3u);
  EXPECT_EQ(r.slot()->Load()->engine->rules().size(), 2u);
  EXPECT_EQ(r.reloads(), 2u);
  EXPECT_EQ(r.failures(), 0u);
  EXPECT_EQ(r.counters().Total("detect.ruleset.generation"), 3u);
  EXPECT_EQ(r.counters().Total("detect.ruleset.rules"), 2u);
}

TEST(RuleReloaderTest, FailedReloadKeepsTheOldRulesAndIsCounted) {
  Fixture f(kRuleA);
  RuleReloader r(f.config, f.sources, f.initial);
  std::filesystem::remove(f.rules);
  auto info = r.ReloadNow(RuleSource::Files());
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.error().message.find("does not exist"), std::string::npos);
  EXPECT_EQ(r.failures(), 1u);
  EXPECT_EQ(r.counters().Total("detect.ruleset.reload_failures"), 1u);
  EXPECT_EQ(r.Live().generation, 1u);
  EXPECT_EQ(r.slot()->generation(), 1u);
  EXPECT_EQ(r.slot()->Load(), f.initial);
}

TEST(RuleReloaderTest, BundleAddsToTheFilesAndNamesItsVersion) {
  Fixture f(kRuleA);
  RuleReloader r(f.config, f.sources, f.initial);
  auto info = r.ReloadNow(RuleSource::Bundle(kRuleB, "national", "2026.11.24-1"));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->version, "2026.11.24-1");
  EXPECT_EQ(info->bundle_id, "national");
  EXPECT_EQ(info->rules, 2u);
  const auto texts = r.StatsTexts();
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts[1].first, "detect.ruleset.version");
  EXPECT_EQ(texts[1].second, "2026.11.24-1");
  // A files reload (SIGHUP) keeps the bundle.
  auto again = r.ReloadNow(RuleSource::Files());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, "2026.11.24-1");
  EXPECT_EQ(again->rules, 2u);
  EXPECT_EQ(again->hash, info->hash);
  // A newer bundle replaces the older one.
  auto next = r.ReloadNow(RuleSource::Bundle("", "national", "2026.11.24-2"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->rules, 1u);
  EXPECT_EQ(next->version, "2026.11.24-2");
}

TEST(RuleReloaderTest, RequestBuildsOnTheReloaderThreadAndReportsThroughTheCallback) {
  Fixture f(kRuleA);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Result<RulesetInfo>> results;
  std::thread::id built_on;
  RuleReloaderOptions options;
  options.on_reload = [&](const Result<RulesetInfo>& r) {
    std::lock_guard lock(mu);
    results.push_back(r);
    built_on = std::this_thread::get_id();
    cv.notify_all();
  };
  RuleReloader r(f.config, f.sources, f.initial, options);
  WriteFile(f.rules, kRuleB);
  ASSERT_TRUE(r.Request(RuleSource::Files()).ok());
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return !results.empty(); }));
  ASSERT_TRUE(results[0].ok());
  EXPECT_EQ(results[0]->generation, 2u);
  EXPECT_NE(built_on, std::this_thread::get_id());
}

TEST(RuleReloaderTest, OldContextIsFreedOnceEveryWorkerTookTheNewOneAndNotByAWorker) {
  Fixture f(kRuleA);
  // The start context behind a deleter that says when and on which thread it ran.
  struct Freed {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    std::thread::id on;
  };
  auto freed = std::make_shared<Freed>();
  const InspectContext* raw = f.initial.get();
  std::shared_ptr<const InspectContext> tracked(
      raw, [keep = std::move(f.initial), freed](const InspectContext*) mutable {
        keep.reset();
        std::lock_guard lock(freed->mu);
        freed->done = true;
        freed->on = std::this_thread::get_id();
        freed->cv.notify_all();
      });
  RuleReloader r(f.config, f.sources, std::move(tracked));
  MemorySink sink;
  EventWriter w0(sink, {}, {}, nullptr), w1(sink, {}, {}, nullptr);
  auto p0 = r.PluginFactory()(0, w0);  // this thread plays both workers
  auto p1 = r.PluginFactory()(1, w1);
  Packet none;  // not decoded: the plugin only passes its packet boundary
  p0->OnPacket(none, PacketContext{});
  p1->OnPacket(none, PacketContext{});
  ASSERT_TRUE(r.ReloadNow(RuleSource::Files()).ok());
  r.slot()->Collect();
  p0->OnPacket(none, PacketContext{});  // worker 0 switches
  r.slot()->Collect();
  {
    std::lock_guard lock(freed->mu);
    EXPECT_FALSE(freed->done);  // worker 1 still uses it
  }
  p1->OnPacket(none, PacketContext{});  // worker 1 switches: nobody holds it now
  std::unique_lock lock(freed->mu);
  ASSERT_TRUE(freed->cv.wait_for(lock, std::chrono::seconds(10), [&] { return freed->done; }));
  EXPECT_NE(freed->on, std::this_thread::get_id());  // freed by the reloader's thread
  EXPECT_EQ(static_cast<InspectPlugin*>(p0.get())->reloads_adopted(), 1u);
  EXPECT_EQ(static_cast<InspectPlugin*>(p1.get())->reloads_adopted(), 1u);
}

}  // namespace
}  // namespace vigil::sensor
