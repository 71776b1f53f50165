// Exception policies: resolution of Suricata's keys (master switch, per-target policies, IDS vs
// IPS, midstream) and their effect on the packet path (pass-flow: parsed but never inspected;
// bypass / drop-flow: only counted).
#include <gtest/gtest.h>

#include "sensor/output/memory_sink.h"
#include "sensor/pipeline/exception_policy.h"
#include "tests/sensor/pipeline/pipeline_test_util.h"

namespace vigil::sensor {
namespace {

using namespace pipeline_test;

constexpr uint32_t kClient = 0x0a000001;  // 10.0.0.1
constexpr uint32_t kServer = 0x0a000002;  // 10.0.0.2

ExceptionPolicies Resolve(ExceptionPolicySettings s, bool ips, bool midstream) {
  auto r = ResolveExceptionPolicies(s, ips, midstream);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExceptionPolicies{};
}

TEST(ExceptionPolicyResolve, DefaultsIgnoreInIdsAndDropFlowsInIps) {
  const ExceptionPolicies ids = Resolve({}, false, false);
  EXPECT_EQ(ids.midstream, ExceptionPolicy::kIgnore);
  EXPECT_EQ(ids.stream_memcap, ExceptionPolicy::kIgnore);
  const ExceptionPolicies ips = Resolve({}, true, false);
  EXPECT_EQ(ips.midstream, ExceptionPolicy::kDropFlow);
  EXPECT_EQ(ips.stream_memcap, ExceptionPolicy::kDropFlow);
  EXPECT_EQ(ips.flow_memcap, ExceptionPolicy::kDropPacket);  // packet-only target
  // With midstream pick-up on, the midstream default is ignore even in IPS mode.
  EXPECT_EQ(Resolve({}, true, true).midstream, ExceptionPolicy::kIgnore);
}

TEST(ExceptionPolicyResolve, MasterSwitchAutoAndOverrides) {
  ExceptionPolicySettings s;
  s.master = "auto";
  EXPECT_EQ(Resolve(s, false, false).midstream, ExceptionPolicy::kIgnore);
  EXPECT_EQ(Resolve(s, true, false).midstream, ExceptionPolicy::kDropFlow);
  EXPECT_EQ(Resolve(s, true, true).midstream, ExceptionPolicy::kIgnore);
  s.master = "bypass";
  EXPECT_EQ(Resolve(s, false, true).midstream, ExceptionPolicy::kBypass);
  EXPECT_EQ(Resolve(s, false, true).defrag_memcap, ExceptionPolicy::kIgnore);  // no flow to bypass
  s.master = "drop-flow";  // IDS cannot drop: the master switch becomes ignore
  EXPECT_EQ(Resolve(s, false, false).stream_memcap, ExceptionPolicy::kIgnore);
  EXPECT_EQ(Resolve(s, true, false).stream_memcap, ExceptionPolicy::kDropFlow);
  s.master = "ignore";
  s.midstream = "pass-flow";  // a policy set directly wins over the master switch
  EXPECT_EQ(Resolve(s, true, false).midstream, ExceptionPolicy::kPassFlow);
  EXPECT_EQ(Resolve(s, true, false).stream_memcap, ExceptionPolicy::kIgnore);
  s.flow_memcap = "pass-flow";
  EXPECT_EQ(Resolve(s, true, false).flow_memcap, ExceptionPolicy::kPassPacket);
}

TEST(ExceptionPolicyResolve, InvalidValuesAndCombinationsAreErrors) {
  ExceptionPolicySettings s;
  s.master = "drop-everything";
  EXPECT_FALSE(ResolveExceptionPolicies(s, false, false).ok());
  s = {};
  s.midstream = "bypass";  // with midstream pick-up on only ignore and pass-flow are valid
  EXPECT_FALSE(ResolveExceptionPolicies(s, false, true).ok());
  EXPECT_TRUE(ResolveExceptionPolicies(s, false, false).ok());
  s.midstream = "drop-flow";  // IDS mode cannot drop a flow
  EXPECT_FALSE(ResolveExceptionPolicies(s, false, false).ok());
  EXPECT_TRUE(ResolveExceptionPolicies(s, true, false).ok());
  s.midstream = "pass-packet";  // a midstream pick-up concerns the whole flow
  EXPECT_FALSE(ResolveExceptionPolicies(s, true, false).ok());
}

TEST(ExceptionPolicyResolve, EffectsFollowTheMode) {
  EXPECT_FALSE(EffectOf(ExceptionPolicy::kIgnore, true).packet_no_detect);
  const ExceptionEffect pass = EffectOf(ExceptionPolicy::kPassFlow, false);
  EXPECT_TRUE(pass.flow_no_detect && pass.flow_pass && !pass.flow_no_process);
  const ExceptionEffect bypass = EffectOf(ExceptionPolicy::kBypass, false);
  EXPECT_TRUE(bypass.flow_bypass && bypass.flow_no_process && !bypass.flow_drop);
  const ExceptionEffect reject_ids = EffectOf(ExceptionPolicy::kReject, false);
  EXPECT_TRUE(reject_ids.packet_no_detect && !reject_ids.flow_no_process);
  const ExceptionEffect reject_ips = EffectOf(ExceptionPolicy::kReject, true);
  EXPECT_TRUE(reject_ips.flow_drop && reject_ips.flow_no_process);
}

TEST(ExceptionPolicyResolve, SensorConfigReadsTheKeys) {
  const SensorConfig c = MakeConfig({"x.pcap"}, {"simulate-ips=true", "exception-policy=auto",
                                                 "stream.reassembly.memcap-policy=bypass"});
  EXPECT_TRUE(c.ips);
  EXPECT_EQ(c.exception_policies.midstream, ExceptionPolicy::kDropFlow);
  EXPECT_EQ(c.exception_policies.reassembly_memcap, ExceptionPolicy::kBypass);
  const std::vector<std::string> bad = {"stream.midstream-policy=nope"};
  auto cfg = Config::LoadString("", "test", SensorConfigSchema(), bad);
  ASSERT_TRUE(cfg.ok());
  EXPECT_FALSE(BuildSensorConfig(*cfg).ok());
}

// Records what the worker hands the plugin.
struct Seen {
  int packets = 0;
  int no_detect_packets = 0;
  uint64_t stream_bytes = 0;
};

class Recorder final : public WorkerPlugin {
 public:
  explicit Recorder(Seen& s) : s_(s) {}
  void OnPacket(const Packet&, const PacketContext& ctx) override {
    ++s_.packets;
    if (ctx.no_detect) ++s_.no_detect_packets;
  }
  void OnStreamData(const Flow&, StreamDirection, std::span<const uint8_t> b, uint64_t) override {
    s_.stream_bytes += b.size();
  }

 private:
  Seen& s_;
};

struct PolicyRun : OfflineRun {
  Seen seen;
};

void RunPolicy(const std::string& pcap, std::vector<std::string> sets, PolicyRun& out) {
  Seen* seen = &out.seen;
  RunOfflinePcap(pcap, std::move(sets),
                 [seen](uint32_t, EventWriter&) { return std::make_unique<Recorder>(*seen); }, out);
}

class MidstreamPolicy : public ::testing::Test {
 protected:
  void SetUp() override {
    pcap_ = dir_ / "mid.pcap";
    ASSERT_TRUE(WritePcap(
        pcap_, {TcpFrame(kClient, kServer, 40003, 80, 101, 501, tcp_flag::kAck | tcp_flag::kPsh, "abc"),
                TcpFrame(kServer, kClient, 80, 40003, 501, 104, tcp_flag::kAck | tcp_flag::kPsh, "xyz")}));
  }
  TempDir dir_;
  std::string pcap_;
};

TEST_F(MidstreamPolicy, IgnoreInspectsEveryPacket) {
  PolicyRun r;
  RunPolicy(pcap_, {"stream.midstream=true"}, r);
  EXPECT_EQ(r.seen.packets, 2);
  EXPECT_EQ(r.seen.no_detect_packets, 0);
  EXPECT_EQ(r.seen.stream_bytes, 6u);
  ASSERT_EQ(r.eve.flows.size(), 1u);
  EXPECT_EQ(r.eve.flows[0].action, "");
}

TEST_F(MidstreamPolicy, PassFlowKeepsReassemblyButNoDetection) {
  PolicyRun r;
  RunPolicy(pcap_, {"stream.midstream=true", "stream.midstream-policy=pass-flow"}, r);
  EXPECT_EQ(r.seen.packets, 2);
  EXPECT_EQ(r.seen.no_detect_packets, 2);
  EXPECT_EQ(r.seen.stream_bytes, 6u);
  EXPECT_EQ(r.summary.Counter("exception_policy.tcp.midstream.pass_flow"), 1u);
  ASSERT_EQ(r.eve.flows.size(), 1u);
  EXPECT_EQ(r.eve.flows[0].action, "pass");
}

TEST_F(MidstreamPolicy, BypassStopsEverythingAndTheFlowSaysBypassed) {
  PolicyRun r;
  RunPolicy(pcap_, {"stream.midstream-policy=bypass"}, r);
  EXPECT_EQ(r.seen.packets, 0);
  EXPECT_EQ(r.seen.stream_bytes, 0u);
  EXPECT_EQ(r.summary.Counter("exception_policy.tcp.midstream.bypass"), 1u);
  EXPECT_EQ(r.summary.Counter("exception_policy.skipped_packets"), 1u);
  ASSERT_EQ(r.eve.flows.size(), 1u);
  EXPECT_EQ(r.eve.flows[0].state, "bypassed");
  EXPECT_EQ(r.eve.flows[0].pkts_toserver + r.eve.flows[0].pkts_toclient, 2u);  // still counted
}

TEST_F(MidstreamPolicy, IpsModeDropsMidstreamFlowsByDefault) {
  PolicyRun r;
  RunPolicy(pcap_, {"simulate-ips=true"}, r);
  EXPECT_EQ(r.seen.packets, 0);
  EXPECT_EQ(r.summary.Counter("exception_policy.tcp.midstream.drop_flow"), 1u);
  ASSERT_EQ(r.eve.flows.size(), 1u);
  EXPECT_EQ(r.eve.flows[0].action, "drop");
  PolicyRun with_midstream;
  RunPolicy(pcap_, {"simulate-ips=true", "stream.midstream=true"}, with_midstream);
  EXPECT_EQ(with_midstream.seen.packets, 2);
  EXPECT_EQ(with_midstream.seen.no_detect_packets, 0);
}

TEST_F(MidstreamPolicy, AHandshakeIsNotAMidstreamPickup) {
  const std::string pcap = dir_ / "hs.pcap";
  ASSERT_TRUE(WritePcap(pcap, {TcpFrame(kClient, kServer, 40004, 80, 100, 0, tcp_flag::kSyn),
                               TcpFrame(kServer, kClient, 80, 40004, 500, 101, tcp_flag::kSyn | tcp_flag::kAck),
                               TcpFrame(kClient, kServer, 40004, 80, 101, 501, tcp_flag::kAck)}));
  PolicyRun r;
  RunPolicy(pcap, {"simulate-ips=true", "exception-policy=drop-flow"}, r);
  EXPECT_EQ(r.seen.packets, 3);
  EXPECT_EQ(r.summary.Counter("exception_policy.tcp.midstream.drop_flow"), 0u);
}

}  // namespace
}  // namespace vigil::sensor
