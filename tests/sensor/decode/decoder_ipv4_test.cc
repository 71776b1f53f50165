// IPv4: lengths, options, fragments, header checksum.
#include "tests/sensor/decode/decoder_fixture.h"

namespace vigil::sensor::test {
namespace {

Bytes V4Tcp(const Ip4Opt& o = {}, const Bytes& payload = {}) {
  return Ipv4("192.0.2.1", "198.51.100.2", 6, Tcp(40000, 443, tcp_flag::kAck, {}, payload), o);
}

// Re-computes the IPv4 header checksum after a test edited the header.
void FixIpv4Checksum(Bytes& ip) {
  const size_t hlen = (ip[0] & 0x0f) * 4u;
  ip[10] = ip[11] = 0;
  StoreChecksum(ip, 10, ChecksumAdd(ip.data(), std::min(hlen, ip.size())));
}

TEST_F(DecoderTest, Ipv4Fields) {
  Ip4Opt o;
  o.ttl = 17;
  o.id = 0xbeef;
  o.tos = 0xb8;
  o.frag = 0x4000;  // DF: not a fragment
  const Packet& p = Decode(V4Tcp(o, Bytes(100, 'x')), link_type::kRaw);
  ASSERT_TRUE(p.decoded);
  EXPECT_EQ(p.ttl, 17);
  EXPECT_EQ(p.ip_id, 0xbeef);
  EXPECT_EQ(p.ip_tos, 0xb8);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.l3_len, 140u);
  EXPECT_EQ(p.payload_len, 100u);
  EXPECT_EQ(p.payload[0], 'x');
  EXPECT_FALSE(p.is_fragment);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, Ipv4LengthAnomalies) {
  Decode(Bytes{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6}, link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIpv4PktTooSmall);

  Bytes ip = V4Tcp();
  ip[0] = 0x44;  // IHL 4
  Decode(ip, link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIpv4HlenTooSmall);
  EXPECT_FALSE(packet_.decoded);

  ip = V4Tcp();
  Put16(ip, 2, 16);
  FixIpv4Checksum(ip);
  Decode(ip, link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIpv4IplenSmallerThanHlen);

  ip = V4Tcp();
  Put16(ip, 2, static_cast<uint16_t>(ip.size() + 1));
  FixIpv4Checksum(ip);
  Decode(ip, link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIpv4TruncPkt);
  EXPECT_FALSE(packet_.decoded);

  ip = V4Tcp();
  ip.resize(30);  // truncated inside the TCP header: total length overruns
  Decode(ip, link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIpv4TruncPkt);

  ip = V4Tcp();
  ip[0] = 0x46;  // IHL 6 -> 24 bytes but total length stays 40: header eats TCP
  Decode(Eth(0x0800, ip));
  EXPECT_TRUE(packet_.decoded);  // header accepted; TCP is now 16 bytes
  EXPECT_EVENT(DecodeEvent::kTcpPktTooSmall);

  ip = V4Tcp();
  ip[0] = 0x65;  // version 6 under the IPv4 ethertype
  Decode(Eth(0x0800, ip));
  EXPECT_EVENT(DecodeEvent::kIpv4WrongIpVersion);
  EXPECT_EQ(Counter("decoder.invalid"), 7u);
}

TEST_F(DecoderTest, Ipv4HeaderChecksum) {
  Bytes ip = V4Tcp();
  ip[8] = 1;  // TTL changed, checksum not updated
  const Packet& p = Decode(ip, link_type::kIpv4);
  EXPECT_TRUE(p.decoded);
  EXPECT_TRUE(p.checksum_bad);
  EXPECT_EVENT(DecodeEvent::kIpv4ChecksumBad);
  EXPECT_EQ(Counter("decoder.checksum_bad"), 1u);
  EXPECT_EQ(Counter("decoder.event.ipv4.checksum_bad"), 1u);

  cfg_.checksums = *ParseChecksumMode("none");  // -k none
  Decode(ip, link_type::kIpv4);
  EXPECT_FALSE(packet_.checksum_bad);
  EXPECT_NO_EVENTS();
  EXPECT_EQ(Counter("decoder.checksum_bad"), 1u);
  EXPECT_FALSE(ParseChecksumMode("sometimes").ok());
}

TEST_F(DecoderTest, Ipv4ValidOptions) {
  Ip4Opt o;
  // NOP, record route (len 7, ptr 4, one slot), router alert, quick-start, EOL + zero padding.
  o.options = {1, 7, 7, 4, 0, 0, 0, 0, 148, 4, 0, 0, 25, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const Packet& p = Decode(V4Tcp(o), link_type::kIpv4);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_NO_EVENTS();
  // Timestamp option (len 12, ptr 5, flags 0, two slots), security, stream id, LSRR and SSRR,
  // each well-formed (40 bytes: the most an IPv4 header holds).
  o.options = {68, 12, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // TS
               130, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0,    // SEC
               136, 4, 0, 1,                          // SID
               131, 7, 4, 10, 0, 0, 1,                // LSRR
               137, 3, 4,                             // SSRR (empty route)
               1, 1, 1};
  ASSERT_EQ(o.options.size() % 4, 0u);
  Decode(V4Tcp(o), link_type::kIpv4);
  EXPECT_TRUE(packet_.is_tcp());
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, Ipv4OptionsSeenAreRecordedForIpopts) {
  Ip4Opt o;
  // NOP, record route, router alert, EOL + padding.
  o.options = {1, 7, 7, 4, 0, 0, 0, 0, 148, 4, 0, 0, 0, 0, 0, 0};
  const Packet& p = Decode(V4Tcp(o), link_type::kIpv4);
  ASSERT_TRUE(p.is_tcp());
  for (uint8_t type : {1, 7, 148, 0}) EXPECT_TRUE(p.has_ipv4_option(type)) << int{type};
  for (uint8_t type : {68, 130, 131, 133, 137, 136}) EXPECT_FALSE(p.has_ipv4_option(type)) << int{type};

  // Extended security (RFC 1108, type 133) is known: no opt_unknown.
  o.options = {133, 4, 1, 2};
  Decode(V4Tcp(o), link_type::kIpv4);
  EXPECT_TRUE(packet_.has_ipv4_option(133));
  EXPECT_NO_EVENTS();

  // An unknown type sets only the "unknown" bit, which no named option matches.
  o.options = {0x9e, 4, 0, 0};
  Decode(V4Tcp(o), link_type::kIpv4);
  EXPECT_EQ(packet_.ipv4_opts, kIpv4OptionUnknownBit);
  EXPECT_EVENT(DecodeEvent::kIpv4OptUnknown);

  // A header without options.
  Decode(V4Tcp(), link_type::kIpv4);
  EXPECT_EQ(packet_.ipv4_opts, 0);
  EXPECT_FALSE(packet_.has_ipv4_option(1));
}

struct OptCase {
  Bytes options;
  DecodeEvent event;
};

TEST_F(DecoderTest, Ipv4OptionAnomalies) {
  const OptCase cases[] = {
      {{7, 8, 4, 0, 0, 0, 0, 0}, DecodeEvent::kIpv4OptInvalidLen},  // RR len not 3+4n
      {{7, 7, 2, 0, 0, 0, 0, 0}, DecodeEvent::kIpv4OptInvalid},     // RR pointer < 4
      {{68, 12, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0}, DecodeEvent::kIpv4OptInvalid},  // TS ptr < 5
      {{68, 3, 5, 0}, DecodeEvent::kIpv4OptInvalidLen},
      {{136, 5, 0, 1, 0, 0, 0, 0}, DecodeEvent::kIpv4OptInvalidLen},  // SID len 4 only
      {{148, 3, 0, 0}, DecodeEvent::kIpv4OptInvalidLen},              // RTRALT len 4 only
      {{25, 6, 0, 0, 0, 0, 0, 0}, DecodeEvent::kIpv4OptInvalidLen},   // QS len 8 only
      {{130, 2, 0, 0}, DecodeEvent::kIpv4OptInvalidLen},              // SEC too short
      {{134, 4, 0, 0}, DecodeEvent::kIpv4OptInvalidLen},              // CIPSO too short
      {{148, 4, 0, 0, 148, 4, 0, 0}, DecodeEvent::kIpv4OptDuplicate},
      {{0x9e, 4, 0, 0}, DecodeEvent::kIpv4OptUnknown},
      {{148, 1, 0, 0}, DecodeEvent::kIpv4OptInvalidLen},  // len < 2
      {{148, 12, 0, 0}, DecodeEvent::kIpv4OptMalformed},  // runs past the header
      {{1, 1, 1, 148}, DecodeEvent::kIpv4OptMalformed},   // no room for the length byte
      {{0, 0, 5, 0}, DecodeEvent::kIpv4OptPadRequired},   // non-zero after EOL
  };
  for (const OptCase& c : cases) {
    Ip4Opt o;
    o.options = c.options;
    const Packet& p = Decode(V4Tcp(o), link_type::kIpv4);
    EXPECT_TRUE(p.is_tcp()) << DecodeEventName(c.event);  // options anomalies are not fatal
    EXPECT_TRUE(p.has_event(c.event)) << DecodeEventName(c.event) << " got: " << Events();
  }
  EXPECT_EQ(Counter("decoder.invalid"), 0u);
}

TEST_F(DecoderTest, Ipv4Fragments) {
  Ip4Opt first;
  first.frag = 0x2000;  // MF, offset 0
  first.id = 77;
  const Packet& p = Decode(Eth(0x0800, V4Tcp(first, Bytes(16, 'a'))));
  ASSERT_TRUE(p.decoded);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.is_tcp());  // L4 waits for reassembly
  EXPECT_EQ(p.l4, nullptr);
  EXPECT_EQ(p.frag.id, 77u);
  EXPECT_EQ(p.frag.offset, 0u);
  EXPECT_TRUE(p.frag.more_fragments);
  EXPECT_EQ(p.frag.next_proto, 6);
  EXPECT_EQ(p.frag.ip_header, frame_.data() + 14);
  EXPECT_EQ(p.frag.ip_header_len, 20);
  EXPECT_EQ(p.frag.data, frame_.data() + 34);
  EXPECT_EQ(p.frag.data_len, 36u);
  EXPECT_NO_EVENTS();

  Ip4Opt last;
  last.frag = 185;  // offset 1480, last fragment
  Decode(Ipv4("192.0.2.1", "198.51.100.2", 17, Bytes(100, 0), last), link_type::kIpv4);
  EXPECT_TRUE(packet_.is_fragment);
  EXPECT_EQ(packet_.frag.offset, 1480u);
  EXPECT_FALSE(packet_.frag.more_fragments);
  EXPECT_EQ(Counter("decoder.ipv4_frag"), 2u);

  Ip4Opt huge;
  huge.frag = 0x1fff;  // offset 65528 + 100 bytes > 65535
  Decode(Ipv4("192.0.2.1", "198.51.100.2", 17, Bytes(100, 0), huge), link_type::kIpv4);
  EXPECT_EVENT(DecodeEvent::kIpv4FragPktTooLarge);
}

TEST_F(DecoderTest, Ipv4CarryingIcmpv6) {
  const Packet& p =
      Decode(Ipv4("192.0.2.1", "198.51.100.2", 58, Icmp(128, 0, 1, 1)), link_type::kIpv4);
  EXPECT_TRUE(p.decoded);
  EXPECT_EQ(p.ip_proto, 58);
  EXPECT_FALSE(p.is_icmp());
  EXPECT_EVENT(DecodeEvent::kIpv4Icmpv6);
}

TEST_F(DecoderTest, OtherProtocolsKeepIpProtoWithoutL4) {
  const Packet& p = Decode(Ipv4("192.0.2.1", "198.51.100.2", 89, Bytes(28, 0)), link_type::kIpv4);
  EXPECT_TRUE(p.decoded);
  EXPECT_EQ(p.ip_proto, 89);  // OSPF (SCTP now has its common header decoded: decoder_l4_test)
  EXPECT_EQ(p.l4, nullptr);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, EventListOverflowIsCounted) {
  Ip4Opt o;
  // Ten unknown options: more events than the per-packet list holds.
  for (int i = 0; i < 10; ++i) {
    for (uint8_t b : {0x9e, 4, 0, 0}) o.options.push_back(b);
  }
  const Packet& p = Decode(V4Tcp(o), link_type::kIpv4);
  EXPECT_EQ(p.event_count, kMaxDecodeEvents);
  EXPECT_EQ(Counter("decoder.event.ipv4.opt_unknown"), 10u);
  EXPECT_EQ(Counter("decoder.events_overflow"), 10u - kMaxDecodeEvents);
}

}  // namespace
}  // namespace vigil::sensor::test
