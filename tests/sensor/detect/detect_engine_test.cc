// Engine-level semantics: header matching, flow keywords, header keywords, flowbits,
// thresholds, suppress, pass, alert queue bounds, app-layer buffers and stream inspection.
#include <gtest/gtest.h>

#include "rules/signature/threshold_config.h"
#include "sensor/detect/stream_window.h"
#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(Header, AddressesPortsAndDirection) {
  Harness h(R"(alert tcp 10.0.0.0/8 any -> 192.168.0.0/16 80 (content:"x"; sid:1;)
alert tcp 10.0.0.0/8 any <> 192.168.0.0/16 80 (content:"y"; sid:2;))");
  auto fwd = MakePacket(6, "10.0.0.1", 1234, "192.168.1.1", 80, "x y");
  EXPECT_THAT(h.Run(fwd->pkt), ElementsAre(1u, 2u));
  auto other_port = MakePacket(6, "10.0.0.1", 1234, "192.168.1.1", 81, "x y");
  EXPECT_THAT(h.Run(other_port->pkt), IsEmpty());
  auto other_net = MakePacket(6, "11.0.0.1", 1234, "192.168.1.1", 80, "x y");
  EXPECT_THAT(h.Run(other_net->pkt), IsEmpty());
  auto rev = MakePacket(6, "192.168.1.1", 80, "10.0.0.1", 1234, "x y");
  EXPECT_THAT(h.Run(rev->pkt, false), ElementsAre(2u));  // only the <> rule
}

TEST(Header, PortGroupsAndAnyGroupBothApply) {
  Harness h(R"(alert tcp any any -> any [80,8080] (content:"abc"; sid:1;)
alert tcp any [80,8080] -> any any (content:"abc"; sid:2;)
alert tcp any any -> any any (content:"abc"; sid:3;))");
  EXPECT_GE(h.engine->stats().port_groups, 2u);
  auto p = MakePacket(6, "1.1.1.1", 5555, "2.2.2.2", 8080, "abc");
  EXPECT_THAT(h.Run(p->pkt), ElementsAre(1u, 3u));
  auto q = MakePacket(6, "2.2.2.2", 80, "1.1.1.1", 5555, "abc");
  EXPECT_THAT(h.Run(q->pkt, false), ElementsAre(2u, 3u));
}

TEST(Flow, DirectionAndState) {
  Harness h(R"(alert udp any any -> any any (flow:to_server; content:"a"; sid:1;)
alert udp any any -> any any (flow:to_client; content:"a"; sid:2;)
alert udp any any -> any any (flow:established; content:"a"; sid:3;)
alert udp any any -> any any (flow:not_established; content:"a"; sid:4;))");
  auto p = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "a");
  EXPECT_THAT(h.Run(p->pkt, true, true), ElementsAre(1u, 3u));
  EXPECT_THAT(h.Run(p->pkt, false, false), ElementsAre(2u, 4u));
}

TEST(HeaderKeywords, DsizeFlagsTtlIcmp) {
  Harness h(R"(alert udp any any -> any any (dsize:>3; sid:1;)
alert tcp any any -> any any (flags:S; sid:2;)
alert tcp any any -> any any (flags:!R; ttl:<65; sid:3;)
alert icmp any any -> any any (itype:8; icode:0; icmp_id:7; icmp_seq:1; sid:4;)
alert ip any any -> any any (ip_proto:1; sid:5;))");
  EXPECT_THAT(h.Run(MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "abcd")->pkt), ElementsAre(1u));
  EXPECT_THAT(h.Run(MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "abc")->pkt), IsEmpty());
  auto syn = MakePacket(6, "1.1.1.1", 1, "2.2.2.2", 2, "");
  syn->pkt.tcp.flags = tcp_flag::kSyn;
  EXPECT_THAT(h.Run(syn->pkt), ElementsAre(2u, 3u));
  syn->pkt.tcp.flags = tcp_flag::kSyn | tcp_flag::kAck;
  EXPECT_THAT(h.Run(syn->pkt), ElementsAre(3u));
  syn->pkt.tcp.flags = tcp_flag::kRst;
  EXPECT_THAT(h.Run(syn->pkt), IsEmpty());
  auto icmp = MakePacket(1, "1.1.1.1", 0, "2.2.2.2", 0, "ping");
  icmp->pkt.icmp = {8, 0, 7, 1};
  EXPECT_THAT(h.Run(icmp->pkt), ElementsAre(4u, 5u));
  icmp->pkt.icmp = {8, 0, 8, 1};
  EXPECT_THAT(h.Run(icmp->pkt), ElementsAre(5u));
  icmp->pkt.icmp = {0, 0, 7, 1};  // echo reply: itype fails
  EXPECT_THAT(h.Run(icmp->pkt), ElementsAre(5u));
}

TEST(Flowbits, AcrossPacketsOfAFlow) {
  Harness h(R"(alert udp any any -> any any (content:"login"; flowbits:set,logged; flowbits:noalert; sid:1;)
alert udp any any -> any any (content:"cmd"; flowbits:isset,logged; sid:2;)
alert udp any any -> any any (content:"cmd"; flowbits:isnotset,logged; sid:3;)
alert udp any any -> any any (content:"logout"; flowbits:unset,logged; sid:4;)
alert udp any any -> any any (content:"flip"; flowbits:toggle,x; sid:5;)
alert udp any any -> any any (content:"both"; flowbits:isset,logged&x; sid:6;)
alert udp any any -> any any (content:"either"; flowbits:isset,nope|x; sid:7;))");
  auto pkt = [](const char* s) { return MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, s); };
  EXPECT_THAT(h.Run(pkt("cmd")->pkt), ElementsAre(3u));
  EXPECT_THAT(h.Run(pkt("login")->pkt), IsEmpty());  // noalert
  EXPECT_THAT(h.Run(pkt("cmd")->pkt), ElementsAre(2u));
  EXPECT_THAT(h.Run(pkt("both")->pkt), IsEmpty());
  EXPECT_THAT(h.Run(pkt("flip")->pkt), ElementsAre(5u));
  EXPECT_THAT(h.Run(pkt("both either")->pkt), ElementsAre(6u, 7u));
  EXPECT_THAT(h.Run(pkt("logout")->pkt), ElementsAre(4u));
  EXPECT_THAT(h.Run(pkt("cmd")->pkt), ElementsAre(3u));
  EXPECT_THAT(h.Run(pkt("flip")->pkt), ElementsAre(5u));
  EXPECT_THAT(h.Run(pkt("either")->pkt), IsEmpty());
  // Without a flow, isset is false and isnotset true.
  EXPECT_THAT(h.Run(pkt("cmd")->pkt, true, true, nullptr, false), ElementsAre(3u));
  // A setter and a checker in the same packet: the setter is evaluated first.
  Harness same(R"(alert udp any any -> any any (content:"b"; flowbits:isset,f; sid:1;)
alert udp any any -> any any (content:"a"; flowbits:set,f; sid:2;))");
  EXPECT_THAT(same.Run(pkt("ab")->pkt), ElementsAre(2u, 1u));
}

struct ThresholdCase {
  const char* option;
  std::vector<int> alert_at;  // 1-based match numbers that alert, over 7 matches in 7 s
};

TEST(Threshold, TypesAtTheBoundary) {
  const ThresholdCase cases[] = {
      {"threshold: type limit, track by_src, count 2, seconds 60;", {1, 2}},
      {"threshold: type threshold, track by_src, count 3, seconds 60;", {3, 6}},
      {"threshold: type both, track by_src, count 3, seconds 60;", {3}},
      {"detection_filter: track by_src, count 3, seconds 60;", {4, 5, 6, 7}},
      {"threshold: type limit, track by_rule, count 1, seconds 3;", {1, 4, 7}},
      {"threshold: type backoff, track by_flow, count 1, multiplier 2;", {1, 2, 4}},
      {"threshold: type backoff, track by_src, count 3, multiplier 2;", {3, 6}},
      {"threshold: type limit, track by_flow, count 2, seconds 60;", {1, 2}},
      {"detection_filter: track by_flow, count 5, seconds 60;", {6, 7}},
  };
  for (const auto& c : cases) {
    Harness h(std::string("alert udp any any -> any any (content:\"a\"; ") + c.option + " sid:1;)");
    std::vector<int> got;
    for (int i = 1; i <= 7; ++i) {
      auto p = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "a");
      p->pkt.ts = Timestamp::FromSeconds(1000 + i - 1);
      if (!h.Run(p->pkt).empty()) got.push_back(i);
    }
    EXPECT_EQ(got, c.alert_at) << c.option;
  }
}

TEST(Threshold, TrackedPerAddressAndWindowExpiry) {
  Harness h(R"(alert udp any any -> any any (content:"a"; threshold: type limit, track by_dst, count 1, seconds 60; sid:1;))");
  auto a = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "a");
  auto b = MakePacket(17, "1.1.1.1", 1, "3.3.3.3", 2, "a");
  EXPECT_EQ(h.Run(a->pkt).size(), 1u);
  EXPECT_EQ(h.Run(b->pkt).size(), 1u);  // other destination: its own entry
  EXPECT_EQ(h.Run(a->pkt).size(), 0u);
  a->pkt.ts = Timestamp::FromSeconds(1059);
  EXPECT_EQ(h.Run(a->pkt).size(), 0u);  // still inside the 60 s window
  a->pkt.ts = Timestamp::FromSeconds(1060);
  EXPECT_EQ(h.Run(a->pkt).size(), 1u);  // a new window
  EXPECT_EQ(h.thread->local(DetectCounters::kAlertsSuppressed), 2u);
}

TEST(Threshold, ByFlowCountsEachFlowAndByBothIsSymmetric) {
  Harness h(R"(alert udp any any -> any any (content:"a"; threshold: type limit, track by_flow, count 1, seconds 60; sid:1;)
alert udp any any -> any any (content:"b"; threshold: type limit, track by_both, count 1, seconds 60; sid:2;))");
  auto a = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "a");
  EXPECT_EQ(h.Run(a->pkt).size(), 1u);
  EXPECT_EQ(h.Run(a->pkt).size(), 0u);  // same flow
  FlowDetectState other;
  std::swap(h.flow, other);
  EXPECT_EQ(h.Run(a->pkt).size(), 1u);  // a new flow has its own count
  auto fwd = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "b");
  auto rev = MakePacket(17, "2.2.2.2", 2, "1.1.1.1", 1, "b");
  EXPECT_EQ(h.Run(fwd->pkt).size(), 1u);
  EXPECT_EQ(h.Run(rev->pkt, false).size(), 0u);  // the same pair the other way round
}

TEST(ThresholdConfig, SuppressAndOverride) {
  auto th = rules::ThresholdConfig::Parse(
      "suppress gen_id 1, sig_id 1, track by_src, ip 10.0.0.1\n"
      "suppress gen_id 1, sig_id 2\n"
      "threshold gen_id 1, sig_id 3, type limit, track by_rule, count 1, seconds 60\n",
      "threshold.config", rules::RuleVariables::SuricataDefaults());
  ASSERT_TRUE(th.ok()) << th.error().ToString();
  Harness h(R"(alert udp any any -> any any (content:"a"; sid:1;)
alert udp any any -> any any (content:"a"; sid:2;)
alert udp any any -> any any (content:"a"; threshold: type limit, track by_src, count 5, seconds 60; sid:3;))",
            {}, &*th);
  auto from1 = MakePacket(17, "10.0.0.1", 1, "2.2.2.2", 2, "a");
  auto from3 = MakePacket(17, "10.0.0.3", 1, "2.2.2.2", 2, "a");
  EXPECT_THAT(h.Run(from1->pkt), ElementsAre(3u));
  EXPECT_THAT(h.Run(from3->pkt), ElementsAre(1u));  // sid 3 limited to 1 by threshold.config
}

TEST(Actions, PassStopsThePacketAndFlow) {
  Harness h(R"(alert udp any any -> any any (content:"a"; sid:1;)
pass udp any any -> any any (content:"ok"; sid:2;))");
  auto pkt = [](const char* s) { return MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, s); };
  EXPECT_THAT(h.Run(pkt("a")->pkt), ElementsAre(1u));
  EXPECT_THAT(h.Run(pkt("a ok")->pkt), IsEmpty());
  EXPECT_TRUE(h.flow.pass);
  EXPECT_THAT(h.Run(pkt("a")->pkt), IsEmpty());
}

TEST(Actions, DropInIdsModeAlertsAsAllowed) {
  rules::ClassificationConfig cls;
  cls.Add({"trojan-activity", "A Network Trojan was detected", 1});
  auto e = BuildEngine(R"(drop udp any any -> any any (msg:"m"; content:"a"; classtype:trojan-activity; rev:4; sid:9;))",
                       {}, nullptr, &cls);
  ASSERT_TRUE(e);
  DetectThread t(*e);
  auto p = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "a");
  BufferSet b;
  b.Set(BufferId::kPacket, p->pkt.payload_span());
  AlertQueue q;
  InspectInput in{.packet = &p->pkt, .buffers = &b};
  ASSERT_EQ(t.Inspect(in, &q), 1u);
  const Alert& a = q.alerts()[0];
  EXPECT_EQ(a.action_name, "allowed");
  EXPECT_EQ(a.action, rules::Action::kDrop);
  EXPECT_EQ(a.msg, "m");
  EXPECT_EQ(a.rev, 4u);
  EXPECT_EQ(a.severity, 1u);
  EXPECT_EQ(a.category, "A Network Trojan was detected");
}

TEST(Alerts, QueueIsBoundedKeepingPriorityOrder) {
  std::string text;
  for (int i = 1; i <= 20; ++i)
    text += "alert udp any any -> any any (content:\"a\"; sid:" + std::to_string(i) + ";)\n";
  Harness h(text);
  auto s = h.Run(MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "a")->pkt);
  ASSERT_EQ(s.size(), 15u);
  EXPECT_EQ(s.front(), 1u);
  EXPECT_EQ(s.back(), 15u);
  EXPECT_EQ(h.q.overflow(), 5u);
  EXPECT_EQ(h.thread->local(DetectCounters::kAlertQueueOverflow), 5u);
}

TEST(AppLayer, BuffersAndProtocol) {
  Harness h(R"(alert http any any -> any any (flow:to_server; http.method; content:"POST"; http.uri; content:"/gate.php"; fast_pattern; sid:1;)
alert dns any any -> any any (dns.query; content:"evil.example"; nocase; sid:2;)
alert http any any -> any any (content:"/gate"; http_uri; urilen:<20; sid:3;))");
  auto p = MakePacket(6, "1.1.1.1", 4444, "2.2.2.2", 80, "");
  BufferSet b;
  b.Set(BufferId::kHttpMethod, std::string_view("POST"));
  b.Set(BufferId::kHttpUri, std::string_view("/gate.php?id=1"));
  InspectInput in{.packet = &p->pkt, .buffers = &b, .to_server = true, .established = true,
                  .app_proto = "http"};
  AlertQueue q;
  h.thread->Inspect(in, &q);
  EXPECT_THAT(Sids(q), ElementsAre(1u, 3u));
  in.app_proto = "tls";
  h.thread->Inspect(in, &q);
  EXPECT_THAT(Sids(q), IsEmpty());
  auto d = MakePacket(17, "1.1.1.1", 5353, "2.2.2.2", 53, "");
  BufferSet db;
  db.Set(BufferId::kDnsQuery, std::string_view("www.EVIL.example"));
  InspectInput din{.packet = &d->pkt, .buffers = &db, .app_proto = "dns"};
  h.thread->Inspect(din, &q);
  EXPECT_THAT(Sids(q), ElementsAre(2u));
}

TEST(Stream, PatternSplitAcrossSegmentsMatchesOnce) {
  Harness h(R"(alert tcp any any -> any any (flow:established,to_server; content:"MALWARE"; sid:1;)
alert tcp any any -> any any (flow:established,to_server; content:"AB"; content:"CD"; distance:0; sid:2;))");
  StreamWindow w(h.engine->config().stream_window_bytes, h.engine->config().stream_depth_bytes);
  auto pkt = MakePacket(6, "1.1.1.1", 1234, "2.2.2.2", 80, "");
  auto feed = [&](std::string_view chunk) {
    StreamView v = w.Feed({reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()});
    BufferSet b;
    b.Set(BufferId::kPacket, v.data);
    InspectInput in{.packet = &pkt->pkt, .buffers = &b, .flow = &h.flow,
                    .kind = InspectKind::kStream, .to_server = true, .established = true,
                    .tcp_stream_inspected = true, .stream_new_offset = v.new_offset};
    h.thread->Inspect(in, &h.q);
    return Sids(h.q);
  };
  EXPECT_THAT(feed("xxMAL"), IsEmpty());
  EXPECT_THAT(feed("WAREyy AB"), ElementsAre(1u));
  EXPECT_THAT(feed("zz"), IsEmpty());          // MALWARE is in already-inspected bytes
  EXPECT_THAT(feed("--CD MALWARE"), ElementsAre(1u, 2u));  // new occurrence; AB..CD across chunks
  // The packet call on a stream-inspected TCP flow does not evaluate pkt_data rules again.
  auto seg = MakePacket(6, "1.1.1.1", 1234, "2.2.2.2", 80, "MALWARE");
  BufferSet b;
  b.Set(BufferId::kPacket, seg->pkt.payload_span());
  InspectInput in{.packet = &seg->pkt, .buffers = &b, .flow = &h.flow, .to_server = true,
                  .established = true, .tcp_stream_inspected = true};
  h.thread->Inspect(in, &h.q);
  EXPECT_THAT(Sids(h.q), IsEmpty());
}

TEST(Stream, DepthBoundsInspection) {
  StreamWindow w(4, 10);
  std::string a = "0123456789ABCDEF";
  StreamView v1 = w.Feed({reinterpret_cast<const uint8_t*>(a.data()), 6});
  EXPECT_EQ(v1.data.size(), 6u);
  EXPECT_EQ(v1.new_offset, 0u);
  StreamView v2 = w.Feed({reinterpret_cast<const uint8_t*>(a.data() + 6), 10});
  EXPECT_TRUE(v2.depth_reached);
  EXPECT_EQ(v2.new_offset, 4u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(v2.data.data()), v2.data.size()), "23456789");
  StreamView v3 = w.Feed({reinterpret_cast<const uint8_t*>(a.data()), 3});
  EXPECT_TRUE(v3.data.empty());
}

TEST(Stream, TcpPacketCallsScanOnlyThePacketOnlyDatabase) {
  Harness h(R"(alert tcp any any -> any any (content:"STREAMONLY"; sid:1;)
alert tcp any any -> any any (content:"SMALLPKT"; dsize:<100; sid:2;)
alert tcp any any -> any any (content:"NOSTREAM"; flow:no_stream; sid:3;)
alert udp any any -> any any (content:"STREAMONLY"; sid:4;))");
  ASSERT_TRUE(h.engine);
  // The groups holding tcp rules get a packet-only pkt_data database with sids 2 and 3 only.
  size_t with_packet_db = 0;
  for (const RuleGroup& g : h.engine->groups()) {
    for (const RuleGroup::BufferDb& db : g.tcp_packet_dbs) {
      ++with_packet_db;
      EXPECT_EQ(db.buffer, BufferId::kPacket);
      for (uint32_t ri : db.rule_ids) {
        const uint32_t sid = h.engine->rules()[ri].rule->meta.sid;
        EXPECT_TRUE(sid == 2 || sid == 3) << sid;
      }
    }
  }
  EXPECT_GT(with_packet_db, 0u);
  const std::string payload = "STREAMONLY SMALLPKT NOSTREAM";
  auto index_of = [&](uint32_t sid) {
    for (size_t i = 0; i < h.engine->rules().size(); ++i)
      if (h.engine->rules()[i].rule->meta.sid == sid) return i;
    return size_t{0};
  };
  // Stream-inspected TCP packet: dsize / no_stream rules alert, the stream rule is not even a
  // prefilter candidate (its literal is not in the packet-only database).
  StreamInspectedSegment seg(h, payload);
  InspectInput& in = seg.in;
  h.thread->Inspect(in, &h.q);
  EXPECT_THAT(Sids(h.q), UnorderedElementsAre(2u, 3u));
  EXPECT_EQ(h.thread->profile()[index_of(1)].prefilter_hits, 0u);
  // Untracked TCP (no stream inspection) and UDP packets still scan the whole database.
  in.tcp_stream_inspected = false;
  h.thread->Inspect(in, &h.q);
  EXPECT_THAT(Sids(h.q), UnorderedElementsAre(1u, 2u, 3u));
  auto udp = MakePacket(17, "1.1.1.1", 1234, "2.2.2.2", 80, payload);
  EXPECT_THAT(h.Run(udp->pkt), ElementsAre(4u));
}

TEST(Stream, GapDropsTheKeptTailAndCountsTowardDepth) {
  StreamWindow w(8, 20);
  const std::string a = "abcdefghij";
  auto bytes = [&](size_t off, size_t n) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(a.data() + off), n);
  };
  auto text = [](const StreamView& v) {
    return std::string(reinterpret_cast<const char*>(v.data.data()), v.data.size());
  };
  EXPECT_EQ(text(w.Feed(bytes(0, 4))), "abcd");
  w.Gap(6);  // 10 of 20 used
  StreamView v = w.Feed(bytes(4, 3));
  EXPECT_EQ(text(v), "efg") << "nothing before the gap is kept";
  EXPECT_EQ(v.new_offset, 0u);
  EXPECT_EQ(w.consumed(), 13u);
  StreamView v2 = w.Feed(bytes(0, 10));
  EXPECT_TRUE(v2.depth_reached);
  EXPECT_EQ(text(v2), "efgabcdefg") << "7 of the 10 bytes fit under the depth";
  w.Gap(100);
  EXPECT_EQ(w.consumed(), 20u);
  EXPECT_TRUE(w.Feed(bytes(0, 1)).data.empty());
}

TEST(Unsupported, SkippedAndCountedByReason) {
  auto e = BuildEngine(R"(alert udp any any -> any any (content:"a"; sid:1;)
alert udp any any -> any any (xbits:set,x,track tx; sid:2;)
alert tls any any -> any any (ssl_state:client_hello; sid:3;)
alert tls any any -> any any (ssl_state:server_hello; sid:4;))");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->stats().rules_compiled, 1u);
  EXPECT_EQ(e->stats().rules_skipped, 3u);
  EXPECT_EQ(e->stats().skipped_by_reason.at("xbits track tx"), 1u);
  EXPECT_EQ(e->stats().skipped_by_reason.at("ssl_state (TLS state not passed to detection)"), 2u);
}

}  // namespace
}  // namespace vigil::sensor::testing

namespace vigil::sensor::testing {
namespace {

TEST(IpOnly, ReputationRulesAreIndexedByAddress) {
  Harness h(R"(alert ip [1.2.3.4,5.6.7.0/24] any -> $HOME_NET any (msg:"rep a"; sid:1;)
alert ip $HOME_NET any -> [9.9.9.9] any (msg:"rep b"; sid:2;)
alert ip [5.6.0.0/16] any <> any any (msg:"rep c"; sid:3;)
alert tcp any any -> any any (flags:S; sid:4;))");
  EXPECT_EQ(h.engine->stats().ip_only_rules, 3u);
  EXPECT_EQ(h.engine->stats().always_check_rules, 1u);  // sid 4: no address to index on
  auto p = [](const char* s, const char* d) { return MakePacket(17, s, 1, d, 2, "x"); };
  EXPECT_THAT(h.Run(p("1.2.3.4", "10.0.0.1")->pkt), ElementsAre(1u));
  EXPECT_THAT(h.Run(p("5.6.7.9", "10.0.0.1")->pkt), ElementsAre(1u, 3u));
  EXPECT_THAT(h.Run(p("1.2.3.5", "10.0.0.1")->pkt), IsEmpty());
  EXPECT_THAT(h.Run(p("10.0.0.1", "9.9.9.9")->pkt), ElementsAre(2u));
  EXPECT_THAT(h.Run(p("10.0.0.1", "5.6.1.1")->pkt), ElementsAre(3u));  // <> either way
  EXPECT_THAT(h.Run(p("9.9.9.9", "10.0.0.1")->pkt), IsEmpty());          // wrong direction
  // Only the indexed rules covering the addresses are checked, not all of them.
  uint64_t before = h.thread->local(DetectCounters::kRulesChecked);
  h.Run(p("8.8.8.8", "10.0.0.1")->pkt);
  EXPECT_EQ(h.thread->local(DetectCounters::kRulesChecked), before);
}

}  // namespace
}  // namespace vigil::sensor::testing
