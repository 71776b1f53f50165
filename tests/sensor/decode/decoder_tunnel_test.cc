// Tunnels: GRE (v0 with key/seq/checksum/routing, v1 PPTP), VXLAN, IP-in-IP; depth limits.
#include "tests/sensor/decode/decoder_fixture.h"

namespace vigil::sensor::test {
namespace {

Bytes InnerV4() { return Ipv4("172.16.0.1", "172.16.0.2", 6, Tcp(1111, 2222, tcp_flag::kSyn)); }
Bytes InnerV6() { return Ipv6("fd00::a", "fd00::b", 17, Udp(3333, 4444, Bytes(4, 'u'))); }
Bytes OuterV4(uint8_t proto, const Bytes& payload) {
  return Ipv4("203.0.113.1", "203.0.113.2", proto, payload);
}
Bytes Key(uint32_t key) {
  Bytes b;
  Push32(b, key);
  return b;
}

void ExpectInnerV4(const Packet& p) {
  ASSERT_TRUE(p.decoded);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src.ToString(), "172.16.0.1");
  EXPECT_EQ(p.dst.ToString(), "172.16.0.2");
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.sport, 1111);
  EXPECT_EQ(p.dport, 2222);
}

TEST_F(DecoderTest, GreKeySeqCarryingIpv4) {
  const Packet& p =
      Decode(Eth(0x0800, OuterV4(47, Gre(0x3000, 0x0800, Cat({Key(0xabcdef01), Key(5)}), InnerV4()))));
  ExpectInnerV4(p);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.tunnel.kind, TunnelInfo::kGre);
  EXPECT_TRUE(p.tunnel.has_key);
  EXPECT_EQ(p.tunnel.key, 0xabcdef01u);
  EXPECT_EQ(p.l3, frame_.data() + 14 + 20 + 12);  // the inner IP header (GRE: 4 + key + seq)
  EXPECT_NO_EVENTS();
  EXPECT_EQ(Counter("decoder.gre"), 1u);
  EXPECT_EQ(Counter("decoder.ipv4"), 2u);
  EXPECT_EQ(Counter("decoder.tcp"), 1u);
}

TEST_F(DecoderTest, GreCarryingIpv6AndEthernet) {
  const Packet& p = Decode(OuterV4(47, Gre(0x0000, 0x86dd, {}, InnerV6())), link_type::kIpv4);
  ASSERT_TRUE(p.is_udp());
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.sport, 3333);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_FALSE(p.tunnel.has_key);
  // Transparent Ethernet bridging with a VLAN inside; checksum bit adds 4 bytes.
  Decode(OuterV4(47, Gre(0x8000, 0x6558, Bytes(4, 0), Eth(0x8100, Vlan(42, 0x0800, InnerV4())))),
         link_type::kIpv4);
  ExpectInnerV4(packet_);
  EXPECT_EQ(packet_.vlan_count, 1);
  EXPECT_EQ(packet_.vlan[0], 42);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, GreSourceRoutes) {
  // RFC 1701 routing: checksum+offset word, one IPv4 SRE of 4 bytes, then the null SRE.
  Bytes fields = {0, 0, 0, 0, 0x08, 0x00, 0, 4, 10, 0, 0, 1, 0, 0, 0, 0};
  ExpectInnerV4(Decode(OuterV4(47, Gre(0x4000, 0x0800, fields, InnerV4())), link_type::kIpv4));
  EXPECT_NO_EVENTS();
  Bytes no_end = {0, 0, 0, 0, 0x08, 0x00, 0, 200, 10, 0, 0, 1};
  Decode(OuterV4(47, Gre(0x4000, 0x0800, no_end, {})), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kGreVersion0MalformedSreHdr);
}

TEST_F(DecoderTest, GreVersion1Pptp) {
  // K, S and A set; key = payload length + call id; PPP with address/control bytes.
  Bytes ppp = Cat({Bytes{0xff, 0x03, 0x00, 0x21}, InnerV4()});
  Bytes fields = {0, static_cast<uint8_t>(ppp.size()), 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0};
  const Packet& p = Decode(OuterV4(47, Gre(0x3081, 0x880b, fields, ppp)), link_type::kIpv4);
  ExpectInnerV4(p);
  EXPECT_EQ(p.tunnel.key, 0x1234u);  // call id
  EXPECT_NO_EVENTS();
  // Ack-only packet: no payload, nothing more to decode, no anomaly.
  Decode(OuterV4(47, Gre(0x2081, 0x880b, Bytes{0, 0, 0x12, 0x34, 0, 0, 0, 1}, {})), link_type::kIpv4);
  EXPECT_EQ(packet_.ip_proto, 47);
  EXPECT_NO_EVENTS();
}

struct GreCase {
  const char* what;
  uint16_t flags;
  uint16_t proto;
  Bytes fields;
  DecodeEvent event;
};

TEST_F(DecoderTest, GreAnomalies) {
  const GreCase cases[] = {
      {"wrong version", 0x0002, 0x0800, {}, DecodeEvent::kGreWrongVersion},
      {"v0 recursion", 0x0100, 0x0800, {}, DecodeEvent::kGreVersion0Recur},
      {"v0 reserved flags", 0x0040, 0x0800, {}, DecodeEvent::kGreVersion0Flags},
      {"v0 key past packet", 0x2000, 0x0800, {0, 0}, DecodeEvent::kGreVersion0HdrTooBig},
      {"v1 checksum", 0xa001, 0x880b, Bytes(8, 0), DecodeEvent::kGreVersion1Chksum},
      {"v1 routing", 0x6001, 0x880b, Bytes(8, 0), DecodeEvent::kGreVersion1Route},
      {"v1 strict source route", 0x2801, 0x880b, Bytes(8, 0), DecodeEvent::kGreVersion1Ssr},
      {"v1 recursion", 0x2101, 0x880b, Bytes(8, 0), DecodeEvent::kGreVersion1Recur},
      {"v1 reserved flags", 0x2009, 0x880b, Bytes(8, 0), DecodeEvent::kGreVersion1Flags},
      {"v1 no key", 0x0001, 0x880b, Bytes(8, 0), DecodeEvent::kGreVersion1NoKey},
      {"v1 not PPP", 0x2001, 0x0800, Bytes(8, 0), DecodeEvent::kGreVersion1WrongProtocol},
      {"v1 header past packet", 0x3001, 0x880b, Bytes(6, 0), DecodeEvent::kGreVersion1HdrTooBig},
  };
  for (const GreCase& c : cases) {
    const Packet& p = Decode(OuterV4(47, Gre(c.flags, c.proto, c.fields, {})), link_type::kIpv4);
    EXPECT_TRUE(p.decoded) << c.what;
    EXPECT_EQ(p.tunnel_depth, 0) << c.what;
    EXPECT_TRUE(p.has_event(c.event)) << c.what << " got: " << Events();
  }
  Decode(OuterV4(47, Bytes{0, 0, 8}), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kGrePktTooSmall);
}

TEST_F(DecoderTest, GreWithBrokenInnerPacketDescribesTheOuterOne) {
  const Packet& p = Decode(OuterV4(47, Gre(0, 0x0800, {}, Bytes(12, 0x45))), link_type::kIpv4);
  EXPECT_TRUE(p.decoded);
  EXPECT_EQ(p.tunnel_depth, 0);
  EXPECT_EQ(p.src.ToString(), "203.0.113.1");
  EXPECT_EQ(p.ip_proto, 47);
  EXPECT_EVENT(DecodeEvent::kIpv4PktTooSmall);
  EXPECT_EQ(Counter("decoder.invalid"), 1u);
}

TEST_F(DecoderTest, GreDecodingCanBeSwitchedOff) {
  cfg_.decode_gre = false;
  const Packet& p = Decode(OuterV4(47, Gre(0, 0x0800, {}, InnerV4())), link_type::kIpv4);
  EXPECT_EQ(p.tunnel_depth, 0);
  EXPECT_EQ(p.ip_proto, 47);
  EXPECT_EQ(Counter("decoder.gre"), 0u);
}

Bytes VxlanFrame(uint16_t port, const Bytes& inner_frame, uint8_t flags = 0x08) {
  return Eth(0x0800, OuterV4(17, Udp(49152, port, Vxlan(0x123456, inner_frame, flags))));
}

TEST_F(DecoderTest, VxlanInnerPacket) {
  const Packet& p = Decode(VxlanFrame(4789, Eth(0x0800, InnerV4())));
  ExpectInnerV4(p);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.tunnel.kind, TunnelInfo::kVxlan);
  EXPECT_EQ(p.tunnel.key, 0x123456u);
  EXPECT_NO_EVENTS();
  EXPECT_EQ(Counter("decoder.vxlan"), 1u);
  EXPECT_EQ(Counter("decoder.udp"), 1u);
  EXPECT_EQ(Counter("decoder.ethernet"), 2u);
  // Over IPv6, with an IPv6 inner packet.
  Decode(Eth(0x86dd, Ipv6("2001:db8::1", "2001:db8::2", 17,
                          Udp(1, 4789, Vxlan(7, Eth(0x86dd, InnerV6()))))));
  EXPECT_TRUE(packet_.is_udp());
  EXPECT_EQ(packet_.sport, 3333);
  EXPECT_EQ(packet_.tunnel.key, 7u);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, VxlanEdgeCases) {
  // Too short for VXLAN + Ethernet: stays a UDP packet, with an anomaly.
  Decode(Eth(0x0800, OuterV4(17, Udp(1, 4789, Bytes(10, 0x08)))));
  EXPECT_TRUE(packet_.is_udp());
  EXPECT_EQ(packet_.dport, 4789);
  EXPECT_EVENT(DecodeEvent::kVxlanPktTooSmall);
  // Without the I flag it is some other protocol on the port: plain UDP, no anomaly.
  Decode(VxlanFrame(4789, Eth(0x0800, InnerV4()), /*flags=*/0x00));
  EXPECT_TRUE(packet_.is_udp());
  EXPECT_EQ(packet_.tunnel_depth, 0);
  EXPECT_NO_EVENTS();
  // Ports are configurable (Linux's old default 8472 here); 4789 is then plain UDP.
  cfg_.vxlan_ports = {8472, 0, 0, 0};
  ExpectInnerV4(Decode(VxlanFrame(8472, Eth(0x0800, InnerV4()))));
  Decode(VxlanFrame(4789, Eth(0x0800, InnerV4())));
  EXPECT_EQ(packet_.tunnel_depth, 0);
  cfg_.decode_vxlan = false;
  Decode(VxlanFrame(8472, Eth(0x0800, InnerV4())));
  EXPECT_EQ(packet_.tunnel_depth, 0);
  EXPECT_TRUE(packet_.is_udp());
}

TEST_F(DecoderTest, IpInIp) {
  ExpectInnerV4(Decode(OuterV4(4, InnerV4()), link_type::kIpv4));
  EXPECT_EQ(packet_.tunnel.kind, TunnelInfo::kIpInIp);
  EXPECT_EQ(packet_.tunnel_depth, 1);
  Decode(OuterV4(41, InnerV6()), link_type::kIpv4);  // 6in4
  EXPECT_TRUE(packet_.is_udp());
  EXPECT_EQ(packet_.ip_version, 6);
  ExpectInnerV4(Decode(Ipv6("2001:db8::1", "2001:db8::2", 4, InnerV4()), link_type::kIpv6));
  EXPECT_EQ(Counter("decoder.ipip"), 3u);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, BrokenInnerHeaderOverIpv6NamesTheTunnel) {
  Bytes inner = InnerV6();
  inner[0] = static_cast<uint8_t>(0x40 | (inner[0] & 0x0f));  // version 4 in an IPv6 header
  Decode(Ipv6("2001:db8::1", "2001:db8::2", 41, inner), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6Ipv6InIpv6WrongVersion);
  EXPECT_FALSE(packet_.has_event(DecodeEvent::kIpv6WrongIpVersion));
  EXPECT_TRUE(packet_.decoded);  // the outer IPv6 packet stays
  EXPECT_EQ(packet_.ip_proto, 41);
  EXPECT_EQ(packet_.tunnel_depth, 0);
  EXPECT_EQ(Counter("decoder.invalid"), 1u);
  EXPECT_EQ(Counter("decoder.ipv6"), 1u);

  Decode(Ipv6("2001:db8::1", "2001:db8::2", 41, Bytes(39, 0x60)), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6Ipv6InIpv6TooSmall);

  Bytes v4 = InnerV4();
  v4[0] = 0x65;
  Decode(Ipv6("2001:db8::1", "2001:db8::2", 4, v4), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6Ipv4InIpv6WrongVersion);
  Decode(Ipv6("2001:db8::1", "2001:db8::2", 4, Bytes(19, 0x45)), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6Ipv4InIpv6TooSmall);

  // Over IPv4 the inner header's own events stay.
  Decode(OuterV4(41, inner), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIpv6WrongIpVersion);
}

TEST_F(DecoderTest, TunnelDepthLimit) {
  // GRE in GRE in GRE with room for two tunnels: the third is left undecoded.
  cfg_.max_tunnel_depth = 2;
  Bytes l3 = InnerV4();
  Bytes pkt = Ipv4("10.0.0.3", "10.0.0.4", 47, Gre(0, 0x0800, {}, l3));
  pkt = Ipv4("10.0.0.2", "10.0.0.3", 47, Gre(0, 0x0800, {}, pkt));
  pkt = Ipv4("10.0.0.1", "10.0.0.2", 47, Gre(0, 0x0800, {}, pkt));
  const Packet& p = Decode(pkt, link_type::kIpv4);
  EXPECT_TRUE(p.decoded);
  EXPECT_EQ(p.tunnel_depth, 2);
  EXPECT_EQ(p.src.ToString(), "10.0.0.3");
  EXPECT_EQ(p.ip_proto, 47);
  EXPECT_EVENT(DecodeEvent::kTooManyLayers);
  cfg_.max_tunnel_depth = 3;
  ExpectInnerV4(Decode(pkt, link_type::kIpv4));
  EXPECT_EQ(packet_.tunnel_depth, 3);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, OuterChecksumFailureStaysOnTheInnerPacket) {
  Bytes pkt = OuterV4(47, Gre(0, 0x0800, {}, InnerV4()));
  pkt[8] ^= 1;  // outer TTL: header checksum now wrong
  const Packet& p = Decode(pkt, link_type::kIpv4);
  ExpectInnerV4(p);
  EXPECT_TRUE(p.checksum_bad);
  EXPECT_EVENT(DecodeEvent::kIpv4ChecksumBad);
}

}  // namespace
}  // namespace vigil::sensor::test
