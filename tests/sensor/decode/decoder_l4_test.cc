// TCP, UDP, ICMPv4, ICMPv6: headers, options, lengths, checksums.
#include "tests/sensor/decode/decoder_fixture.h"

namespace vigil::sensor::test {
namespace {

Bytes V4(uint8_t proto, const Bytes& l4) { return Ipv4("10.1.1.1", "10.2.2.2", proto, l4); }
Bytes V6(uint8_t proto, const Bytes& l4, uint8_t hop_limit = 64) {
  Ip6Opt o;
  o.hop_limit = hop_limit;
  return Ipv6("fd00::1", "fd00::2", proto, l4, o);
}

// ---- TCP ----

TEST_F(DecoderTest, TcpHeaderAndOptions) {
  // MSS 1460, SACK permitted, timestamps, NOP, window scale 7 (a Linux SYN).
  const Bytes opts = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7};
  const Packet& p = Decode(Eth(0x0800, V4(6, Tcp(33000, 8080, tcp_flag::kSyn | tcp_flag::kEce |
                                                                 tcp_flag::kCwr,
                                                 opts, Bytes{'h', 'i'}, 0x11223344, 0))));
  ASSERT_TRUE(p.is_tcp());
  const TcpInfo& t = p.tcp;
  EXPECT_EQ(t.seq, 0x11223344u);
  EXPECT_EQ(t.ack, 0u);
  EXPECT_EQ(t.flags, tcp_flag::kSyn | tcp_flag::kEce | tcp_flag::kCwr);
  EXPECT_EQ(t.window, 65535);
  EXPECT_EQ(t.header_len, 40);
  EXPECT_TRUE(t.has_mss);
  EXPECT_EQ(t.mss, 1460);
  EXPECT_TRUE(t.has_sack_permitted);
  EXPECT_TRUE(t.has_timestamp);
  EXPECT_EQ(t.ts_val, 1u);
  EXPECT_EQ(t.ts_ecr, 2u);
  EXPECT_TRUE(t.has_wscale);
  EXPECT_EQ(t.wscale, 7);
  EXPECT_EQ(p.payload_len, 2u);
  EXPECT_EQ(p.payload[0], 'h');
  EXPECT_EQ(p.l4_len, 42u);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, TcpSackBlocks) {
  Bytes opts = {1, 1, 5, 18};  // two blocks
  for (int i = 0; i < 16; ++i) opts.push_back(static_cast<uint8_t>(i));
  const Packet& p = Decode(V4(6, Tcp(1, 2, tcp_flag::kAck, opts)), link_type::kIpv4);
  EXPECT_EQ(p.tcp.sack_blocks, 2);
  EXPECT_NO_EVENTS();
  // An empty SACK option (length 2, no block) is allowed.
  Decode(V4(6, Tcp(1, 2, tcp_flag::kAck, {1, 1, 5, 2})), link_type::kIpv4);
  EXPECT_EQ(packet_.tcp.sack_blocks, 0);
  EXPECT_NO_EVENTS();
}

struct TcpOptCase {
  const char* what;
  Bytes options;  // multiple of 4
  DecodeEvent event;
};

TEST_F(DecoderTest, TcpOptionAnomalies) {
  const TcpOptCase cases[] = {
      {"MSS length 3", {2, 3, 5, 0}, DecodeEvent::kTcpOptInvalidLen},
      {"wscale length 4", {3, 4, 7, 0}, DecodeEvent::kTcpOptInvalidLen},
      {"SACK permitted length 3", {4, 3, 0, 0}, DecodeEvent::kTcpOptInvalidLen},
      {"SACK length 6", {5, 6, 0, 0, 0, 0, 0, 0}, DecodeEvent::kTcpOptInvalidLen},
      {"timestamp length 8", {8, 8, 0, 0, 0, 0, 0, 0}, DecodeEvent::kTcpOptInvalidLen},
      {"length below 2", {2, 1, 0, 0}, DecodeEvent::kTcpOptInvalidLen},
      {"length past header", {1, 1, 19, 18}, DecodeEvent::kTcpOptInvalidLen},
      {"no room for length", {1, 1, 1, 2}, DecodeEvent::kTcpOptInvalidLen},
      {"MSS twice", {2, 4, 1, 0, 2, 4, 2, 0}, DecodeEvent::kTcpOptDuplicate},
  };
  for (const TcpOptCase& c : cases) {
    const Packet& p = Decode(V4(6, Tcp(1, 2, tcp_flag::kSyn, c.options)), link_type::kIpv4);
    EXPECT_TRUE(p.is_tcp()) << c.what;  // option anomalies are not fatal
    EXPECT_TRUE(p.has_event(c.event)) << c.what << " got: " << Events();
  }
  // The first MSS stands when the option is repeated.
  Decode(V4(6, Tcp(1, 2, tcp_flag::kSyn, {2, 4, 1, 0, 2, 4, 2, 0})), link_type::kIpv4);
  EXPECT_EQ(packet_.tcp.mss, 256);
}

TEST_F(DecoderTest, TcpLengthAnomalies) {
  Decode(V4(6, Bytes(19, 0)), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kTcpPktTooSmall);
  EXPECT_TRUE(packet_.decoded);
  EXPECT_FALSE(packet_.is_tcp());
  Bytes seg = Tcp(1, 2, 0);
  seg[12] = 0x40;  // data offset 4
  Decode(V4(6, seg), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kTcpHlenTooSmall);
  seg = Tcp(1, 2, 0);
  seg[12] = 0x60;  // data offset 6 but only 20 bytes
  Decode(V4(6, seg), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kTcpPktTooSmall);
  EXPECT_EQ(Counter("decoder.invalid"), 3u);
  EXPECT_EQ(Counter("decoder.tcp"), 0u);
}

TEST_F(DecoderTest, TcpChecksum) {
  Bytes ip = V4(6, Tcp(1, 2, tcp_flag::kAck, {}, Bytes(101, 'z')));  // odd length
  Decode(ip, link_type::kIpv4);
  EXPECT_FALSE(packet_.checksum_bad);
  ip.back() ^= 0x40;
  Decode(ip, link_type::kIpv4);
  EXPECT_TRUE(packet_.checksum_bad);
  EXPECT_TRUE(packet_.is_tcp());  // still decoded, just not to be inspected
  EXPECT_EVENT(DecodeEvent::kTcpChecksumBad);
  Bytes ip6 = V6(6, Tcp(1, 2, tcp_flag::kAck, {}, Bytes(7, 'z')));
  Decode(ip6, link_type::kIpv6);
  EXPECT_FALSE(packet_.checksum_bad);
  ip6[8] ^= 1;  // source address changes the pseudo header
  Decode(ip6, link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kTcpChecksumBad);
  EXPECT_EQ(Counter("decoder.checksum_bad"), 2u);
  cfg_.checksums = ChecksumMode::kNone;
  Decode(ip6, link_type::kIpv6);
  EXPECT_FALSE(packet_.checksum_bad);
}

// ---- UDP ----

TEST_F(DecoderTest, UdpV4AndV6) {
  const Packet& p = Decode(Eth(0x0800, V4(17, Udp(5353, 53, Bytes(12, 'q')))));
  ASSERT_TRUE(p.is_udp());
  EXPECT_EQ(p.sport, 5353);
  EXPECT_EQ(p.dport, 53);
  EXPECT_EQ(p.payload_len, 12u);
  EXPECT_EQ(p.l4_len, 20u);
  EXPECT_NO_EVENTS();
  Decode(Eth(0x86dd, V6(17, Udp(1, 2, Bytes(3, 'a')))));
  EXPECT_TRUE(packet_.is_udp());
  EXPECT_FALSE(packet_.checksum_bad);
  EXPECT_NO_EVENTS();
  EXPECT_EQ(Counter("decoder.udp"), 2u);
}

TEST_F(DecoderTest, UdpChecksums) {
  Bytes ip = V4(17, Udp(1, 2, Bytes(9, 'a')));
  ip.back() ^= 1;
  Decode(ip, link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kUdpChecksumBad);
  EXPECT_TRUE(packet_.checksum_bad);
  // IPv4: a zero checksum means none was computed.
  Ip4Opt no_sum;
  no_sum.l4_checksum = false;
  Decode(Ipv4("10.1.1.1", "10.2.2.2", 17, Udp(1, 2, Bytes(9, 'a')), no_sum), link_type::kIpv4);
  EXPECT_FALSE(packet_.checksum_bad);
  EXPECT_NO_EVENTS();
  // IPv6: zero is an anomaly, not a failed checksum.
  Ip6Opt no_sum6;
  no_sum6.l4_checksum = false;
  Decode(Ipv6("fd00::1", "fd00::2", 17, Udp(1, 2, Bytes(9, 'a')), no_sum6), link_type::kIpv6);
  EXPECT_FALSE(packet_.checksum_bad);
  EXPECT_EVENT(DecodeEvent::kUdpIpv6ZeroChecksum);
  // A datagram whose checksum computes to 0 is sent as 0xffff (RFC 768); both encodings of
  // one's complement zero validate.
  Bytes dg = Udp(1, 2, Bytes(2, 0));
  bool found = false;
  for (uint32_t v = 0; v <= 0xffff && !found; ++v) {
    Put16(dg, 8, static_cast<uint16_t>(v));
    Bytes probe = V4(17, dg);
    if (probe[20 + 6] == 0 && probe[20 + 7] == 0) {
      found = true;
      probe[20 + 6] = probe[20 + 7] = 0xff;
      Decode(probe, link_type::kIpv4);
      EXPECT_FALSE(packet_.checksum_bad) << Events();
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(DecoderTest, SctpCommonHeader) {
  // Ports 2905 -> 2944, verification tag, checksum, then one chunk header.
  const Bytes sctp = {0x0b, 0x59, 0x0b, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 4};
  const Packet& p = Decode(V4(132, sctp), link_type::kIpv4);
  EXPECT_TRUE(p.decoded);
  EXPECT_EQ(p.ip_proto, 132);
  EXPECT_EQ(p.sport, 2905);
  EXPECT_EQ(p.dport, 2944);
  EXPECT_EQ(p.payload_len, 0u);
  EXPECT_NO_EVENTS();
  EXPECT_EQ(Counter("decoder.sctp"), 1u);

  Decode(V6(132, Bytes(11, 0)), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kSctpPktTooSmall);
  EXPECT_EQ(packet_.ip_proto, 132);
  EXPECT_EQ(packet_.sport, 0);
  EXPECT_EQ(Counter("decoder.invalid"), 1u);
}

TEST_F(DecoderTest, UdpLengthAnomalies) {
  Decode(V4(17, Bytes(7, 0)), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kUdpHlenTooSmall);
  Bytes dg = Udp(1, 2, Bytes(10, 'a'));
  Put16(dg, 4, 7);
  Decode(V4(17, dg), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kUdpLenInvalid);
  dg = Udp(1, 2, Bytes(10, 'a'));
  Put16(dg, 4, 19);
  Decode(V4(17, dg), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kUdpPktTooSmall);
  EXPECT_FALSE(packet_.is_udp());
  EXPECT_EQ(Counter("decoder.invalid"), 3u);
  dg = Udp(1, 2, Bytes(10, 'a'));
  Put16(dg, 4, 12);  // 4 bytes of the IP payload are not UDP data
  const Packet& p = Decode(V4(17, dg), link_type::kIpv4);
  EXPECT_TRUE(p.is_udp());
  EXPECT_EVENT(DecodeEvent::kUdpHlenInvalid);
  EXPECT_EQ(p.payload_len, 4u);
  EXPECT_EQ(p.l4_len, 12u);
}

// ---- ICMPv4 ----

TEST_F(DecoderTest, Icmpv4Echo) {
  const Packet& p = Decode(Eth(0x0800, V4(1, Icmp(8, 0, 0x1234, 7, Bytes(56, 'p')))));
  ASSERT_TRUE(p.is_icmp());
  EXPECT_EQ(p.icmp.type, 8);
  EXPECT_EQ(p.icmp.code, 0);
  EXPECT_EQ(p.icmp.id, 0x1234);
  EXPECT_EQ(p.icmp.seq, 7);
  EXPECT_EQ(p.sport, 0);
  EXPECT_EQ(p.payload_len, 56u);
  EXPECT_NO_EVENTS();
  EXPECT_EQ(Counter("decoder.icmpv4"), 1u);
}

TEST_F(DecoderTest, Icmpv4Anomalies) {
  Decode(V4(1, Bytes{8, 0, 0, 0}), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIcmpv4PktTooSmall);
  EXPECT_FALSE(packet_.is_icmp());
  Decode(V4(1, Icmp(99, 0)), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIcmpv4UnknownType);
  Decode(V4(1, Icmp(3, 16)), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIcmpv4UnknownCode);
  Decode(V4(1, Icmp(8, 1)), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIcmpv4UnknownCode);
  // A destination unreachable quoting a proper IPv4 header + 8 bytes is clean.
  Bytes quoted = Ipv4("10.2.2.2", "10.9.9.9", 17, Udp(1000, 53));
  Decode(V4(1, Icmp(3, 3, 0, 0, quoted)), link_type::kIpv4);
  EXPECT_TRUE(packet_.is_icmp());
  EXPECT_NO_EVENTS();
  Decode(V4(1, Icmp(11, 0, 0, 0, Bytes(quoted.begin(), quoted.begin() + 12))), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIcmpv4Ipv4TruncPkt);
  quoted[0] = 0x65;
  Decode(V4(1, Icmp(3, 1, 0, 0, quoted)), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIcmpv4Ipv4UnknownVer);
  Bytes ip = V4(1, Icmp(0, 0, 1, 2, Bytes(5, 1)));
  ip.back() = 9;
  Decode(ip, link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIcmpv4ChecksumBad);
  EXPECT_TRUE(packet_.checksum_bad);
}

// ---- ICMPv6 ----

TEST_F(DecoderTest, Icmpv6Echo) {
  const Packet& p = Decode(Eth(0x86dd, V6(58, Icmp(129, 0, 42, 3, Bytes(8, 'e')))));
  ASSERT_TRUE(p.is_icmp());
  EXPECT_EQ(p.icmp.type, 129);
  EXPECT_EQ(p.icmp.id, 42);
  EXPECT_EQ(p.icmp.seq, 3);
  EXPECT_FALSE(p.checksum_bad);
  EXPECT_NO_EVENTS();
  EXPECT_EQ(Counter("decoder.icmpv6"), 1u);
  // Neighbour solicitation: known type, no id/seq.
  Decode(V6(58, Icmp(135, 0, 0, 0, Bytes(16, 0)), 255), link_type::kIpv6);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, Icmpv6Anomalies) {
  Decode(V6(58, Bytes{128, 0, 0, 0, 0}), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIcmpv6PktTooSmall);
  Decode(V6(58, Icmp(42, 0)), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIcmpv6UnknownType);
  Decode(V6(58, Icmp(3, 2)), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIcmpv6UnknownCode);
  Bytes quoted = Ipv6("fd00::2", "fd00::9", 17, Udp(1, 2));
  Decode(V6(58, Icmp(1, 4, 0, 0, quoted)), link_type::kIpv6);
  EXPECT_NO_EVENTS();
  Decode(V6(58, Icmp(2, 0, 0, 1280, Bytes(quoted.begin(), quoted.begin() + 30))),
         link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIcmpv6Ipv6TruncPkt);
  quoted[0] = 0x45;
  Decode(V6(58, Icmp(4, 0, 0, 0, quoted)), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIcmpv6Ipv6UnknownVersion);
  Decode(V6(58, Icmp(143, 0, 0, 0, Bytes(20, 0)), /*hop_limit=*/64), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIcmpv6MldMessageWithInvalidHl);
  Decode(V6(58, Icmp(143, 0, 0, 0, Bytes(20, 0)), /*hop_limit=*/1), link_type::kIpv6);
  EXPECT_NO_EVENTS();
  Bytes ip = V6(58, Icmp(128, 0, 1, 1));
  ip[24] ^= 0x80;  // destination address: pseudo header no longer matches
  Decode(ip, link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIcmpv6ChecksumBad);
  EXPECT_TRUE(packet_.checksum_bad);
}

}  // namespace
}  // namespace vigil::sensor::test
