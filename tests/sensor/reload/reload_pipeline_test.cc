// Hot reload through the real packet path.
//  - A flowbit set before a reload is still seen by the new rules (carried by name), with the
//    reload made at an exact packet.
//  - Acceptance (issue #8): traffic replayed continuously through a FIFO into a workers-mode
//    pipeline, the rules reloaded ten times from another thread; no packet is lost, every marker
//    packet raises the alert of the rule present in every rule set (exact count), and between
//    any two reloads that rule keeps alerting while the generation-specific rule shows the new
//    rules went live.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "sensor/pipeline/pipeline.h"
#include "sensor/reload/rule_reloader.h"
#include "tests/sensor/reload/reload_test_util.h"

namespace vigil::sensor {
namespace {

using reload_test::AlertCounter;
using reload_test::FifoReplay;
using reload_test::MakeConfig;
using reload_test::TempDir;
using reload_test::WriteFile;

// Forwards everything to the real plugin; before the packet with pcap_cnt `at` reaches it,
// runs `hook` (a reload, made on the worker thread only so the test knows the exact packet).
class HookAt final : public WorkerPlugin {
 public:
  HookAt(std::unique_ptr<WorkerPlugin> inner, uint64_t at, std::function<void()> hook)
      : inner_(std::move(inner)), at_(at), hook_(std::move(hook)) {}
  void OnPacket(const Packet& p, const PacketContext& ctx) override {
    if (p.pcap_cnt == at_ && hook_) hook_();
    inner_->OnPacket(p, ctx);
  }
  void OnStreamPacket(const Packet* p) override { inner_->OnStreamPacket(p); }
  void OnStreamData(const Flow& f, StreamDirection d, std::span<const uint8_t> b,
                    uint64_t off) override {
    inner_->OnStreamData(f, d, b, off);
  }
  void OnStreamGap(const Flow& f, StreamDirection d, uint64_t off, uint64_t len) override {
    inner_->OnStreamGap(f, d, off, len);
  }
  void OnStreamEnd(const Flow& f, StreamDirection d, EndReason r) override {
    inner_->OnStreamEnd(f, d, r);
  }
  void OnFlowEnd(Flow& f, const FlowStreamStats& s) override { inner_->OnFlowEnd(f, s); }
  void OnFinish() override { inner_->OnFinish(); }
  std::string_view FlowAppProto(const Flow& f) const override { return inner_->FlowAppProto(f); }

 private:
  std::unique_ptr<WorkerPlugin> inner_;
  uint64_t at_;
  std::function<void()> hook_;
};

TEST(ReloadPipelineTest, FlowbitSetBeforeTheReloadIsSeenByTheNewRules) {
  TempDir dir;
  const std::string pcap = dir / "t.pcap";
  uint64_t ack_after_login = 0;
  {
    inspect_test::PcapBuilder b(pcap);
    inspect_test::TcpConn c(b, "10.0.0.1", "10.0.0.2", 40000, 80);
    c.Handshake();
    c.ToServer("LOGIN user");
    ack_after_login = b.count();
    c.ToServer("SECRET data");
    c.Close();
  }
  const std::string rules = dir / "local.rules";
  WriteFile(rules,
            "alert tcp any any -> any 80 (msg:\"login\"; content:\"LOGIN\"; flowbits:set,auth; "
            "flowbits:noalert; sid:10;)\n"
            "alert tcp any any -> any 80 (msg:\"secret old\"; content:\"SECRET\"; "
            "flowbits:isset,auth; sid:11;)\n");
  const std::string new_rules =
      "alert tcp any any -> any 80 (msg:\"other\"; content:\"ZZZ\"; flowbits:set,aaa; "
      "flowbits:set,abc; flowbits:noalert; sid:20;)\n"
      "alert tcp any any -> any 80 (msg:\"secret new\"; content:\"SECRET\"; "
      "flowbits:isset,auth; sid:21;)\n";
  SensorConfig config = MakeConfig({"runmode=single", "stats.enabled=no"});
  config.capture.inputs = {pcap};
  RuleSources sources{.replace = true, .files = {rules}, .texts = {}};
  auto initial = LoadInspectContext(config, sources);
  ASSERT_TRUE(initial.ok()) << initial.error().message;
  const int64_t auth_old = (*initial)->engine->FlowbitId("auth");
  RuleReloader reloader(config, sources, *initial);

  std::string reload_error;
  PipelineOptions options;
  options.plugins = [&](uint32_t w, EventWriter& out) -> std::unique_ptr<WorkerPlugin> {
    return std::make_unique<HookAt>(reloader.PluginFactory()(w, out), ack_after_login, [&] {
      WriteFile(rules, new_rules);
      auto r = reloader.ReloadNow(RuleSource::Files());
      if (!r.ok()) reload_error = r.error().message;
    });
  };
  AlertCounter sink;
  auto summary = RunOffline(config, sink, options);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(reload_error, "");
  EXPECT_EQ(reloader.Live().generation, 2u);
  const int64_t auth_new = reloader.slot()->Load()->engine->FlowbitId("auth");
  EXPECT_NE(auth_old, auth_new) << "the test needs the flowbit's id to change";
  EXPECT_EQ(sink.Count(21), 1u);  // the new rule, with the bit set under the old rules
  EXPECT_EQ(sink.Count(11), 0u);  // the old rule is gone
}

TEST(ReloadPipelineTest, TenReloadsUnderContinuousTrafficLoseNothing) {
  TempDir dir;
  const std::string rules = dir / "local.rules";
  // sid 1 is in every generation; sid 1000+g only in generation g.
  auto rules_for = [](uint64_t gen) {
    return "alert udp any any -> any 9999 (msg:\"always\"; content:\"VIGILMARK\"; sid:1;)\n"
           "alert udp any any -> any 9999 (msg:\"generation\"; content:\"VIGILMARK\"; sid:" +
           std::to_string(1000 + gen) + ";)\n";
  };
  WriteFile(rules, rules_for(1));
  SensorConfig config = MakeConfig({"runmode=workers", "threads=2", "stats.enabled=no",
                                    "outputs.eve.batch-size=4kb"});
  FifoReplay replay(dir / "replay.pcap");
  config.capture.inputs = {replay.path()};
  RuleSources sources{.replace = true, .files = {rules}, .texts = {}};
  auto initial = LoadInspectContext(config, sources);
  ASSERT_TRUE(initial.ok()) << initial.error().message;

  std::mutex mu;
  std::condition_variable cv;
  std::vector<Result<RulesetInfo>> results;
  RuleReloaderOptions ropts;
  ropts.on_reload = [&](const Result<RulesetInfo>& r) {
    std::lock_guard lock(mu);
    results.push_back(r);
    cv.notify_all();
  };
  RuleReloader reloader(config, sources, *initial, ropts);
  initial->reset();  // the slot holds it now

  AlertCounter sink;
  PipelineOptions options;
  options.plugins = reloader.PluginFactory();
  auto pipeline = Pipeline::Create(config, sink, options);  // the reader opens the FIFO in Run
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  replay.Start();
  Result<RunSummary> summary = Error(ErrorCode::kInternal, "not run");
  std::thread runner([&] { summary = (*pipeline)->Run(); });
  // However the test ends: the replay closes the FIFO, the pipeline reads to EOF and returns.
  struct Finish {
    FifoReplay& replay;
    std::thread& runner;
    ~Finish() {
      replay.Stop();
      replay.Join();
      if (runner.joinable()) runner.join();
    }
  } finish{replay, runner};

  constexpr uint64_t kReloads = 10;
  constexpr uint64_t kPerInterval = 300;  // alerts of the live generation's own rule
  const auto kWait = std::chrono::seconds(20);
  std::vector<uint64_t> always_at;  // sid 1 alerts seen when each generation was confirmed live
  ASSERT_TRUE(sink.WaitFor(1001, kPerInterval, kWait));
  always_at.push_back(sink.Count(1));
  for (uint64_t g = 2; g <= kReloads + 1; ++g) {
    WriteFile(rules, rules_for(g));
    ASSERT_TRUE(reloader.Request(RuleSource::Files()).ok());
    {
      std::unique_lock lock(mu);
      ASSERT_TRUE(cv.wait_for(lock, kWait, [&] { return results.size() == g - 1; }));
      ASSERT_TRUE(results.back().ok()) << results.back().error().message;
      EXPECT_EQ(results.back()->generation, g);
    }
    ASSERT_TRUE(sink.WaitFor(1000 + g, kPerInterval, kWait)) << "generation " << g;
    always_at.push_back(sink.Count(1));
  }
  replay.Stop();
  replay.Join();
  runner.join();
  ASSERT_TRUE(summary.ok()) << summary.error().message;

  // Between two reloads the rule present in both sets kept alerting.
  for (size_t i = 1; i < always_at.size(); ++i) {
    EXPECT_GE(always_at[i] - always_at[i - 1], kPerInterval) << "interval " << i;
  }
  // Nothing lost: every packet written was processed, every one alerted sid 1, once.
  const uint64_t written = replay.packets();
  EXPECT_EQ(summary->Counter("capture.packets"), written);
  EXPECT_EQ(summary->Counter("pipeline.packets"), written);
  for (const auto& [name, value] : summary->counters) {
    if (name.find("drop") != std::string::npos) {
      EXPECT_EQ(value, 0u) << name;
    }
  }
  EXPECT_EQ(sink.Count(1), written);
  // Each generation's own rule alerted (it went live) and the sum of them is every packet too:
  // each packet was inspected by exactly one generation.
  uint64_t by_generation = 0;
  for (uint64_t g = 1; g <= kReloads + 1; ++g) {
    EXPECT_GE(sink.Count(1000 + g), kPerInterval) << "generation " << g;
    by_generation += sink.Count(1000 + g);
  }
  EXPECT_EQ(by_generation, written);
  EXPECT_EQ(reloader.reloads(), kReloads);
  EXPECT_EQ(reloader.failures(), 0u);
  EXPECT_EQ(sink.bad_lines(), 0u);
  std::fprintf(stderr, "reload acceptance: %llu packets, %llu reloads\n",
               static_cast<unsigned long long>(written),
               static_cast<unsigned long long>(reloader.reloads()));
}

}  // namespace
}  // namespace vigil::sensor
