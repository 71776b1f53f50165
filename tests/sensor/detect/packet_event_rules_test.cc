// decode-event, ipopts, tcp.flags and the igmp/sctp/tcp-pkt header protocols evaluated by the
// detection engine on hand-made packets.
#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

bool Has(const std::vector<uint32_t>& sids, uint32_t sid) {
  return std::find(sids.begin(), sids.end(), sid) != sids.end();
}

TEST(DecodeEventRules, MatchOnlyPacketsCarryingTheEvent) {
  Harness h(
      "alert pkthdr any any -> any any (decode-event:ipv6.frag_invalid_length; sid:1;)\n"
      "alert tcp any any -> any any (decode-event:decoder.tcp.pkt_too_small; sid:2;)\n"
      "alert ip any any -> any any (decode-event:ipv4.opt_unknown; decode-event:ipv4.opt_duplicate; sid:3;)\n");
  ASSERT_TRUE(h.engine);
  EXPECT_EQ(h.engine->stats().rules_compiled, 3u);

  auto p = MakePacket(6, "10.0.0.1", 0, "10.0.0.2", 0, "");
  EXPECT_TRUE(h.Run(p->pkt, true, false, nullptr, false).empty());
  p->pkt.add_event(DecodeEvent::kTcpPktTooSmall);
  auto sids = h.Run(p->pkt, true, false, nullptr, false);
  EXPECT_TRUE(Has(sids, 2));
  EXPECT_FALSE(Has(sids, 1));

  // Every decode-event of a rule must be present.
  auto q = MakePacket(17, "10.0.0.1", 1, "10.0.0.2", 2, "x");
  q->pkt.add_event(DecodeEvent::kIpv4OptUnknown);
  EXPECT_FALSE(Has(h.Run(q->pkt), 3));
  q->pkt.add_event(DecodeEvent::kIpv4OptDuplicate);
  EXPECT_TRUE(Has(h.Run(q->pkt), 3));
}

TEST(DecodeEventRules, UnknownEventNameSkipsTheRule) {
  Harness h("alert ip any any -> any any (decode-event:ipv4.no_such_event; sid:1;)");
  ASSERT_TRUE(h.engine);
  EXPECT_EQ(h.engine->stats().rules_compiled, 0u);
  EXPECT_EQ(h.engine->stats().rules_skipped, 1u);
}

TEST(IpoptsRules, NamedOptionAndAny) {
  Harness h(
      "alert ip any any -> any any (ipopts:rr; sid:1;)\n"
      "alert ip any any -> any any (ipopts:any; sid:2;)\n");
  ASSERT_TRUE(h.engine);
  auto p = MakePacket(17, "10.0.0.1", 1, "10.0.0.2", 2, "x");
  EXPECT_TRUE(h.Run(p->pkt).empty());
  p->pkt.ipv4_opts = static_cast<uint16_t>(1u << Ipv4OptionBit(68));  // timestamp
  auto sids = h.Run(p->pkt);
  EXPECT_FALSE(Has(sids, 1));
  EXPECT_TRUE(Has(sids, 2));
  p->pkt.ipv4_opts = static_cast<uint16_t>(p->pkt.ipv4_opts | (1u << Ipv4OptionBit(7)));
  EXPECT_TRUE(Has(h.Run(p->pkt), 1));
  p->pkt.ip_version = 6;  // IPv6 packets have no IPv4 options
  EXPECT_TRUE(h.Run(p->pkt).empty());
}

TEST(HeaderProtocols, IgmpAndSctpMatchOnlyTheirProtocol) {
  Harness h(
      "alert igmp any any -> any any (ttl:1; sid:1;)\n"
      "alert sctp any any -> any any (ttl:1; sid:2;)\n");
  ASSERT_TRUE(h.engine);
  auto igmp = MakePacket(2, "10.0.0.1", 0, "224.0.0.1", 0, "");
  igmp->pkt.ttl = 1;
  auto sids = h.Run(igmp->pkt, true, false, nullptr, false);
  EXPECT_TRUE(Has(sids, 1));
  EXPECT_FALSE(Has(sids, 2));
  auto sctp = MakePacket(132, "10.0.0.1", 5, "10.0.0.2", 6, "");
  sctp->pkt.ttl = 1;
  sids = h.Run(sctp->pkt, true, false, nullptr, false);
  EXPECT_FALSE(Has(sids, 1));
  EXPECT_TRUE(Has(sids, 2));
}

TEST(HeaderProtocols, SctpPortsAreMatched) {
  Harness h("alert sctp any any -> any 7 (sid:1;)");
  ASSERT_TRUE(h.engine);
  auto p = MakePacket(132, "10.0.0.1", 7, "10.0.0.2", 7, "");
  EXPECT_TRUE(Has(h.Run(p->pkt, true, false, nullptr, false), 1));
  p->pkt.dport = 8;
  EXPECT_FALSE(Has(h.Run(p->pkt, true, false, nullptr, false), 1));
}

TEST(TcpFlagsRules, DottedSpellingMatchesFlags) {
  Harness h("alert tcp any any -> any any (tcp.flags:S; sid:1;)");
  ASSERT_TRUE(h.engine);
  auto p = MakePacket(6, "10.0.0.1", 1, "10.0.0.2", 2, "");
  p->pkt.tcp.flags = tcp_flag::kSyn;
  EXPECT_TRUE(Has(h.Run(p->pkt), 1));
  p->pkt.tcp.flags = tcp_flag::kSyn | tcp_flag::kAck;
  EXPECT_FALSE(Has(h.Run(p->pkt), 1));
}

}  // namespace
}  // namespace vigil::sensor::testing
