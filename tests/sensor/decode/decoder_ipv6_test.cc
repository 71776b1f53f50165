// IPv6: fixed header, extension header chains and their anomalies, fragments, jumbograms.
#include "tests/sensor/decode/decoder_fixture.h"

namespace vigil::sensor::test {
namespace {

constexpr const char* kSrc = "2001:db8::1";
constexpr const char* kDst = "2001:db8:ffff::2";

// Bodies (everything after next-header and length) of well-formed extension headers.
const Bytes kHbhBody = {5, 2, 0, 0, 0, 0};           // router alert + 2 x Pad1
const Bytes kDstBody = {4, 1, 4, 1, 1, 0};           // tunnel encap limit + PadN(1)
Bytes RhBody(uint8_t type) {                         // type, segments left, reserved, address
  Bytes b = {type, 1, 0, 0, 0, 0};
  auto a = V6("2001:db8::99");
  b.insert(b.end(), a.begin(), a.end());
  return b;
}
const Bytes kAhBody = {0, 0, 0, 0, 1, 0, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

Bytes TcpSeg() { return Tcp(5555, 22, tcp_flag::kSyn); }

// IPv6 packet whose payload is `exts` followed by a TCP header.
Bytes V6Chain(uint8_t first, const Bytes& exts) {
  Ip6Opt o;
  o.upper_offset = exts.size();
  o.upper_proto = 6;
  return Ipv6(kSrc, kDst, first, Cat({exts, TcpSeg()}), o);
}

TEST_F(DecoderTest, Ipv6Fields) {
  Bytes ip = Ipv6(kSrc, kDst, 6, TcpSeg());
  ip[0] = 0x6b;  // traffic class 0xb8
  ip[1] = 0x80;
  const Packet& p = Decode(Eth(0x86dd, ip));
  ASSERT_TRUE(p.decoded);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.src.ToString(), kSrc);
  EXPECT_EQ(p.dst.ToString(), kDst);
  EXPECT_EQ(p.ttl, 64);
  EXPECT_EQ(p.ip_tos, 0xb8);
  EXPECT_EQ(p.l3_len, 60u);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_FALSE(p.checksum_bad);
  EXPECT_NO_EVENTS();
  EXPECT_EQ(Counter("decoder.ipv6"), 1u);
}

TEST_F(DecoderTest, Ipv6FullExtensionChain) {
  // HBH -> DST -> RH(type 2) -> AH -> DST -> TCP: every header legal, in RFC 8200 order.
  Bytes exts = Cat({ExtHdr(60, kHbhBody), ExtHdr(43, kDstBody), ExtHdr(51, RhBody(2)),
                    ExtHdr(60, kAhBody, /*ah=*/true), ExtHdr(6, kDstBody)});
  Bytes f = Eth(0x86dd, V6Chain(0, exts));
  f.resize(f.size() + 10, 0);  // link padding after the payload length is dropped
  const Packet& p = Decode(f);
  ASSERT_TRUE(p.decoded);
  EXPECT_TRUE(p.is_tcp()) << Events();
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.l4, frame_.data() + 14 + 40 + exts.size());
  EXPECT_EQ(p.sport, 5555);
  EXPECT_FALSE(p.checksum_bad);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, Ipv6HeaderAnomalies) {
  Decode(Bytes(39, 0x60), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6PktTooSmall);
  Bytes ip = Ipv6(kSrc, kDst, 6, TcpSeg());
  ip[0] = 0x40;
  Decode(Eth(0x86dd, ip));
  EXPECT_EVENT(DecodeEvent::kIpv6WrongIpVersion);
  ip = Ipv6(kSrc, kDst, 6, TcpSeg());
  ip.pop_back();
  Decode(ip, link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6TruncPkt);
  EXPECT_FALSE(packet_.decoded);
  EXPECT_EQ(Counter("decoder.invalid"), 3u);
}

struct ChainCase {
  const char* what;
  uint8_t first;
  Bytes exts;
  DecodeEvent event;
  bool reaches_tcp;
};

TEST_F(DecoderTest, Ipv6ExtensionHeaderAnomalies) {
  const ChainCase cases[] = {
      {"two fragment headers", 44,
       Cat({FragHdr(44, 0, false, 1), FragHdr(6, 0, false, 2)}), DecodeEvent::kIpv6ExthdrDuplFh, true},
      {"two routing headers", 43, Cat({ExtHdr(43, RhBody(2)), ExtHdr(6, RhBody(2))}),
       DecodeEvent::kIpv6ExthdrDuplRh, true},
      {"two hop-by-hop headers", 0, Cat({ExtHdr(0, kHbhBody), ExtHdr(6, kHbhBody)}),
       DecodeEvent::kIpv6ExthdrDuplHh, true},
      {"hop-by-hop not first", 60, Cat({ExtHdr(0, kDstBody), ExtHdr(6, kHbhBody)}),
       DecodeEvent::kIpv6HopoptsNotFirst, true},
      {"two dst opts without routing header between", 60,
       Cat({ExtHdr(60, kDstBody), ExtHdr(6, kDstBody)}), DecodeEvent::kIpv6ExthdrDuplDh, true},
      {"two AH", 51, Cat({ExtHdr(51, kAhBody, true), ExtHdr(6, kAhBody, true)}),
       DecodeEvent::kIpv6ExthdrDuplAh, true},
      {"AH reserved not zero", 51,
       ExtHdr(6, Bytes{0, 1, 0, 0, 1, 0, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, true),
       DecodeEvent::kIpv6ExthdrAhResNotNull, true},
      {"option overruns header", 0, ExtHdr(6, Bytes{5, 9, 0, 0, 0, 0}),
       DecodeEvent::kIpv6ExthdrInvalidOptlen, true},
      {"router alert wrong length", 0, ExtHdr(6, Bytes{5, 3, 0, 0, 0, 0}),
       DecodeEvent::kIpv6ExthdrInvalidOptlen, true},
      {"unknown hop-by-hop option", 0, ExtHdr(6, Bytes{0x1e, 2, 0, 0, 0, 0}),
       DecodeEvent::kIpv6HopoptsUnknownOpt, true},
      {"hop-by-hop only padding", 0, ExtHdr(6, Bytes{1, 4, 0, 0, 0, 0}),
       DecodeEvent::kIpv6HopoptsOnlyPadding, true},
      {"unknown dst option", 60, ExtHdr(6, Bytes{0x1e, 2, 0, 0, 0, 0}),
       DecodeEvent::kIpv6DstoptsUnknownOpt, true},
      {"dst opts only padding", 60, ExtHdr(6, Bytes{0, 0, 0, 0, 0, 0}),
       DecodeEvent::kIpv6DstoptsOnlyPadding, true},
      {"routing header type 0", 43, ExtHdr(6, RhBody(0)), DecodeEvent::kIpv6RhType0, true},
      {"PadN of length 0", 0, ExtHdr(6, Bytes{5, 2, 0, 0, 1, 0}), DecodeEvent::kIpv6ZeroLenPadn,
       true},
      {"fragment header reserved bits", 44, Bytes{6, 0x80, 0, 0, 0, 0, 0, 9},
       DecodeEvent::kIpv6FhNonZeroReservedField, true},
      {"atomic fragment", 44, FragHdr(6, 0, false, 9), DecodeEvent::kIpv6ExthdrUselessFh, true},
      {"jumbo option with a payload length", 0, ExtHdr(6, Bytes{0xc2, 4, 0, 1, 0, 0}),
       DecodeEvent::kIpv6Jumbogram, true},
      {"truncated extension header", 0, Bytes{6, 3, 0, 0, 0, 0, 0, 0},
       DecodeEvent::kIpv6TruncExthdr, false},
  };
  for (const ChainCase& c : cases) {
    const Packet& p = Decode(V6Chain(c.first, c.exts), link_type::kIpv6);
    EXPECT_TRUE(p.decoded) << c.what;
    EXPECT_EQ(p.is_tcp(), c.reaches_tcp) << c.what << " events: " << Events();
    EXPECT_TRUE(p.has_event(c.event)) << c.what << " wants " << DecodeEventName(c.event)
                                      << " got: " << Events();
    EXPECT_FALSE(p.checksum_bad) << c.what;
  }
}

TEST_F(DecoderTest, Ipv6NothingAfterAnExtensionHeaderIsATruncatedChain) {
  // An atomic fragment header naming TCP with no byte after it (as Suricata: trunc_exthdr, not
  // tcp.pkt_too_small).
  const Packet& p = Decode(Ipv6(kSrc, kDst, 44, FragHdr(6, 0, false, 9)), link_type::kIpv6);
  EXPECT_TRUE(p.decoded);
  EXPECT_EVENT(DecodeEvent::kIpv6ExthdrUselessFh);
  EXPECT_EVENT(DecodeEvent::kIpv6TruncExthdr);
  EXPECT_FALSE(p.has_event(DecodeEvent::kTcpPktTooSmall));
  // No Next Header after an extension header with nothing after it is fine.
  Decode(Ipv6(kSrc, kDst, 60, ExtHdr(59, kDstBody)), link_type::kIpv6);
  EXPECT_FALSE(packet_.has_event(DecodeEvent::kIpv6TruncExthdr));
}

TEST_F(DecoderTest, Ipv6DestinationOptionsBeforeAndAfterRoutingHeader) {
  Decode(V6Chain(60, Cat({ExtHdr(43, kDstBody), ExtHdr(60, RhBody(2)), ExtHdr(6, kDstBody)})),
         link_type::kIpv6);
  EXPECT_TRUE(packet_.is_tcp());
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, Ipv6TooManyExtensionHeaders) {
  cfg_.max_ipv6_ext_headers = 2;
  const Packet& p = Decode(
      V6Chain(0, Cat({ExtHdr(60, kHbhBody), ExtHdr(43, kDstBody), ExtHdr(6, RhBody(2))})),
      link_type::kIpv6);
  EXPECT_TRUE(p.decoded);
  EXPECT_FALSE(p.is_tcp());
  EXPECT_EVENT(DecodeEvent::kIpv6ExthdrTooMany);
  EXPECT_EQ(Counter("decoder.invalid"), 1u);
}

TEST_F(DecoderTest, Ipv6Fragment) {
  // HBH (unfragmentable) then a first fragment carrying 24 bytes of TCP.
  Bytes data(24, 'd');
  Bytes payload = Cat({ExtHdr(44, kHbhBody), FragHdr(6, 0, true, 0xdeadbeef), data});
  const Packet& p = Decode(Eth(0x86dd, Ipv6(kSrc, kDst, 0, payload)));
  ASSERT_TRUE(p.decoded);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.is_tcp());
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.frag.id, 0xdeadbeefu);
  EXPECT_EQ(p.frag.offset, 0u);
  EXPECT_TRUE(p.frag.more_fragments);
  EXPECT_EQ(p.frag.next_proto, 6);
  EXPECT_EQ(p.frag.ip_header, frame_.data() + 14);
  EXPECT_EQ(p.frag.ip_header_len, 48);  // IPv6 header + hop-by-hop
  EXPECT_EQ(p.frag.data, frame_.data() + 14 + 56);
  EXPECT_EQ(p.frag.data_len, 24u);
  EXPECT_NO_EVENTS();
  EXPECT_EQ(Counter("decoder.ipv6_frag"), 1u);

  Decode(Ipv6(kSrc, kDst, 44, Cat({FragHdr(17, 8, true, 1), Bytes(13, 0)})), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6FragInvalidLength);
  Decode(Ipv6(kSrc, kDst, 44, Cat({FragHdr(17, 65528, false, 1), Bytes(16, 0)})),
         link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6FragPktTooLarge);
  EXPECT_EQ(packet_.frag.offset, 65528u);
}

TEST_F(DecoderTest, Ipv6NoNextHeaderEspAndIcmpv4) {
  Decode(Ipv6(kSrc, kDst, 59, Bytes{}), link_type::kIpv6);
  EXPECT_TRUE(packet_.decoded);
  EXPECT_NO_EVENTS();
  Decode(Ipv6(kSrc, kDst, 59, Bytes(8, 1)), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6DataAfterNoneHeader);
  Decode(Ipv6(kSrc, kDst, 50, Bytes(32, 1)), link_type::kIpv6);
  EXPECT_EQ(packet_.ip_proto, 50);
  EXPECT_EQ(packet_.l4, nullptr);
  EXPECT_NO_EVENTS();
  Decode(Ipv6(kSrc, kDst, 1, Icmp(8, 0, 1, 1)), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6Icmpv4);
  EXPECT_FALSE(packet_.is_icmp());
}

TEST_F(DecoderTest, Ipv6JumbogramRejected) {
  // Payload length 0 with a hop-by-hop header holding a Jumbo Payload option.
  Bytes ip = Ipv6(kSrc, kDst, 0, Cat({ExtHdr(6, Bytes{0xc2, 4, 0, 0, 0, 68}), TcpSeg()}));
  Put16(ip, 4, 0);
  const Packet& p = Decode(ip, link_type::kIpv6);
  EXPECT_FALSE(p.decoded);
  EXPECT_EVENT(DecodeEvent::kIpv6Jumbogram);
  EXPECT_EQ(Counter("decoder.invalid"), 1u);
}

}  // namespace
}  // namespace vigil::sensor::test
