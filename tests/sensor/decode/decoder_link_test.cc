// Link layers: Ethernet, VLAN/QinQ, PPPoE, Linux SLL/SLL2, BSD loopback, raw IP.
#include <pcap/dlt.h>

#include "tests/sensor/decode/decoder_fixture.h"

namespace vigil::sensor::test {
namespace {

static_assert(link_type::kEthernet == DLT_EN10MB);
static_assert(link_type::kNull == DLT_NULL);
static_assert(link_type::kLoop == DLT_LOOP);
static_assert(link_type::kRaw == DLT_RAW);
static_assert(link_type::kLinuxSll == DLT_LINUX_SLL);
static_assert(link_type::kLinuxSll2 == DLT_LINUX_SLL2);
static_assert(link_type::kIpv4 == DLT_IPV4);
static_assert(link_type::kIpv6 == DLT_IPV6);

Bytes TcpV4() { return Ipv4("10.0.0.1", "10.0.0.2", 6, Tcp(1234, 80, tcp_flag::kSyn)); }
Bytes TcpV6() { return Ipv6("2001:db8::1", "2001:db8::2", 6, Tcp(1234, 80, tcp_flag::kSyn)); }

void ExpectTcpV4(const Packet& p) {
  ASSERT_TRUE(p.decoded);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src.ToString(), "10.0.0.1");
  EXPECT_EQ(p.dst.ToString(), "10.0.0.2");
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.sport, 1234);
  EXPECT_EQ(p.dport, 80);
  EXPECT_FALSE(p.checksum_bad);
}

TEST_F(DecoderTest, EthernetIpv4Tcp) {
  const Packet& p = Decode(Eth(0x0800, TcpV4()));
  ExpectTcpV4(p);
  EXPECT_NO_EVENTS();
  EXPECT_EQ(p.l3, frame_.data() + 14);  // points into the frame, no copy
  EXPECT_EQ(p.l4, frame_.data() + 34);
  EXPECT_EQ(p.tunnel_depth, 0);
  EXPECT_EQ(p.vlan_count, 0);
  EXPECT_EQ(Counter("decoder.pkts"), 1u);
  EXPECT_EQ(Counter("decoder.bytes"), frame_.size());
  EXPECT_EQ(Counter("decoder.ethernet"), 1u);
  EXPECT_EQ(Counter("decoder.ipv4"), 1u);
  EXPECT_EQ(Counter("decoder.tcp"), 1u);
  EXPECT_EQ(Counter("decoder.invalid"), 0u);
}

TEST_F(DecoderTest, EthernetPaddingIsTrimmed) {
  // A 40-byte IPv4/TCP packet padded to Ethernet's 60-byte minimum.
  Bytes f = Eth(0x0800, TcpV4());
  f.resize(60, 0);
  const Packet& p = Decode(f);
  ExpectTcpV4(p);
  EXPECT_EQ(p.l3_len, 40u);
  EXPECT_EQ(p.l4_len, 20u);
  EXPECT_EQ(p.payload_len, 0u);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, EthernetTooSmall) {
  const Packet& p = Decode(Bytes(13, 0));
  EXPECT_FALSE(p.decoded);
  EXPECT_EVENT(DecodeEvent::kEthernetPktTooSmall);
  EXPECT_EQ(Counter("decoder.invalid"), 1u);
  EXPECT_EQ(Counter("decoder.event.ethernet.pkt_too_small"), 1u);
}

TEST_F(DecoderTest, ArpAndUnknownEthertypeAreCountedNotInvalid) {
  Decode(Eth(0x0806, Bytes(28, 0)));
  EXPECT_FALSE(packet_.decoded);
  EXPECT_NO_EVENTS();
  Decode(Eth(0x88cc, Bytes(30, 0)));  // LLDP
  EXPECT_EQ(Counter("decoder.arp"), 1u);
  EXPECT_EQ(Counter("decoder.unknown_ethertype"), 1u);
  EXPECT_EQ(Counter("decoder.invalid"), 0u);
}

TEST_F(DecoderTest, Vlan8021q) {
  const Packet& p = Decode(Eth(0x8100, Vlan(100, 0x0800, TcpV4())));
  ExpectTcpV4(p);
  EXPECT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan[0], 100);
  EXPECT_EQ(Counter("decoder.vlan"), 1u);
  EXPECT_EQ(Counter("decoder.vlan_qinq"), 0u);
}

TEST_F(DecoderTest, QinQ8021ad) {
  const Packet& p = Decode(Eth(0x88a8, Vlan(10, 0x8100, Vlan(20, 0x86dd, TcpV6()))));
  ASSERT_TRUE(p.decoded);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.vlan_count, 2);
  EXPECT_EQ(p.vlan[0], 10);  // outer first
  EXPECT_EQ(p.vlan[1], 20);
  EXPECT_EQ(p.vlan_extra, 0);
  EXPECT_EQ(Counter("decoder.vlan"), 1u);
  EXPECT_EQ(Counter("decoder.vlan_qinq"), 1u);
}

TEST_F(DecoderTest, ThirdVlanTagIsCountedNotStored) {
  const Packet& p =
      Decode(Eth(0x88a8, Vlan(1, 0x8100, Vlan(2, 0x9100, Vlan(3, 0x0800, TcpV4())))));
  ExpectTcpV4(p);
  EXPECT_EQ(p.vlan_count, 2);
  EXPECT_EQ(p.vlan_extra, 1);
  EXPECT_EQ(Counter("decoder.vlan_qinqinq"), 1u);
  EXPECT_NO_EVENTS();
}

TEST_F(DecoderTest, TooManyVlanTags) {
  cfg_.max_vlan_tags = 2;
  const Packet& p =
      Decode(Eth(0x88a8, Vlan(1, 0x8100, Vlan(2, 0x8100, Vlan(3, 0x0800, TcpV4())))));
  EXPECT_FALSE(p.decoded);
  EXPECT_EVENT(DecodeEvent::kVlanTooManyLayers);
}

TEST_F(DecoderTest, VlanTruncated) {
  const Packet& p = Decode(Eth(0x8100, Bytes{0x00, 0x64, 0x08}));
  EXPECT_FALSE(p.decoded);
  EXPECT_EVENT(DecodeEvent::kVlanHeaderTooSmall);
}

TEST_F(DecoderTest, PppoeSessionIpv4AndIpv6) {
  Bytes f = Eth(0x8864, Pppoe(0x0021, TcpV4()));
  f.resize(f.size() + 6, 0);  // trailing padding is cut by the PPPoE length
  ExpectTcpV4(Decode(f));
  EXPECT_NO_EVENTS();
  const Packet& p = Decode(Eth(0x8864, Pppoe(0x0057, TcpV6())));
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(Counter("decoder.pppoe"), 2u);
}

TEST_F(DecoderTest, PppoeAnomalies) {
  Decode(Eth(0x8864, Bytes{0x11, 0x00, 0x12}));
  EXPECT_EVENT(DecodeEvent::kPppoePktTooSmall);
  Decode(Eth(0x8864, Pppoe(0x0021, TcpV4(), /*code=*/0x09)));
  EXPECT_EVENT(DecodeEvent::kPppoeWrongCode);
  Bytes f = Eth(0x8864, Pppoe(0x0021, TcpV4()));
  f.resize(f.size() - 10);  // PPPoE length now overruns the frame
  Decode(f);
  EXPECT_EVENT(DecodeEvent::kPppoePktTooSmall);
  Decode(Eth(0x8864, Pppoe(0x0281, Bytes(20, 0))));  // MPLS over PPP: not decoded
  EXPECT_EVENT(DecodeEvent::kPppUnsupProto);
  Decode(Eth(0x8864, Pppoe(0xc021, Bytes(20, 0))));  // LCP: fine, nothing to inspect
  EXPECT_NO_EVENTS();
  EXPECT_FALSE(packet_.decoded);
  Decode(Eth(0x8864, Bytes{0x11, 0x00, 0x12, 0x34, 0x00, 0x00}));  // empty PPP frame
  EXPECT_EVENT(DecodeEvent::kPppPktTooSmall);
}

TEST_F(DecoderTest, LinuxSll) {
  ExpectTcpV4(Decode(Sll(0x0800, TcpV4()), link_type::kLinuxSll));
  EXPECT_EQ(Counter("decoder.sll"), 1u);
  Decode(Bytes(15, 0), link_type::kLinuxSll);
  EXPECT_EVENT(DecodeEvent::kSllPktTooSmall);
}

TEST_F(DecoderTest, LinuxSll2) {
  const Packet& p = Decode(Sll2(0x86dd, TcpV6()), link_type::kLinuxSll2);
  EXPECT_TRUE(p.is_tcp());
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(Counter("decoder.sll2"), 1u);
  Decode(Bytes(19, 0), link_type::kLinuxSll2);
  EXPECT_EVENT(DecodeEvent::kSll2PktTooSmall);
}

TEST_F(DecoderTest, BsdLoopbackBothByteOrders) {
  ExpectTcpV4(Decode(Null(2, /*big_endian=*/false, TcpV4()), link_type::kNull));
  ExpectTcpV4(Decode(Null(2, /*big_endian=*/true, TcpV4()), link_type::kNull));
  ExpectTcpV4(Decode(Null(2, /*big_endian=*/true, TcpV4()), link_type::kLoop));
  for (uint32_t af6 : {10u, 24u, 28u, 30u}) {
    for (bool be : {false, true}) {
      const Packet& p = Decode(Null(af6, be, TcpV6()), link_type::kNull);
      EXPECT_TRUE(p.is_tcp()) << af6 << " " << be;
      EXPECT_EQ(p.ip_version, 6);
    }
  }
  EXPECT_EQ(Counter("decoder.null"), 11u);
  Decode(Null(7, false, TcpV4()), link_type::kNull);
  EXPECT_EVENT(DecodeEvent::kNullUnsupportedType);
  Decode(Bytes{2, 0, 0}, link_type::kNull);
  EXPECT_EVENT(DecodeEvent::kNullPktTooSmall);
}

TEST_F(DecoderTest, RawIp) {
  ExpectTcpV4(Decode(TcpV4(), link_type::kRaw));
  ExpectTcpV4(Decode(TcpV4(), link_type::kRawLinktype));
  ExpectTcpV4(Decode(TcpV4(), link_type::kIpv4));
  EXPECT_TRUE(Decode(TcpV6(), link_type::kRaw).is_tcp());
  EXPECT_TRUE(Decode(TcpV6(), link_type::kIpv6).is_tcp());
  EXPECT_EQ(Counter("decoder.raw"), 5u);
  Bytes bad = TcpV4();
  bad[0] = 0x55;
  Decode(bad, link_type::kRaw);
  EXPECT_EVENT(DecodeEvent::kRawInvalidIpVersion);
  Decode(Bytes{}, link_type::kRaw);
  EXPECT_EVENT(DecodeEvent::kRawInvalidIpVersion);
  // LINKTYPE_IPV6 with an IPv4 packet inside.
  Decode(TcpV4(), link_type::kIpv6);
  EXPECT_EVENT(DecodeEvent::kIpv6WrongIpVersion);
}

TEST_F(DecoderTest, UnsupportedDatalink) {
  const Packet& p = Decode(TcpV4(), /*DLT_IEEE802_11=*/105);
  EXPECT_FALSE(p.decoded);
  EXPECT_EVENT(DecodeEvent::kUnsupportedDatalink);
  EXPECT_FALSE(DecoderSupportsLinkType(105));
  EXPECT_TRUE(DecoderSupportsLinkType(link_type::kLinuxSll2));
}

TEST_F(DecoderTest, NullDataWithLengthIsSafe) {
  packet_ = Packet{};
  packet_.caplen = 100;  // a capture bug must not make the decoder read through nullptr
  packet_.datalink = link_type::kEthernet;
  Decoder dec(cfg_, ids_, block_);
  EXPECT_FALSE(dec.Decode(packet_));
  EXPECT_EVENT(DecodeEvent::kEthernetPktTooSmall);
}

TEST_F(DecoderTest, DecodeResetsAReusedPacket) {
  Decode(Eth(0x8100, Vlan(7, 0x0800, Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 0), Ip4Opt{.frag = 0x2000}))));
  EXPECT_TRUE(packet_.is_fragment);
  // Reuse the same Packet object for a different frame, as a capture ring does.
  frame_ = Eth(0x0806, Bytes(28, 0));
  packet_.data = frame_.data();
  packet_.caplen = static_cast<uint32_t>(frame_.size());
  Decoder dec(cfg_, ids_, block_);
  EXPECT_FALSE(dec.Decode(packet_));
  EXPECT_FALSE(packet_.is_fragment);
  EXPECT_EQ(packet_.vlan_count, 0);
  EXPECT_EQ(packet_.ip_version, 0);
  EXPECT_EQ(packet_.l3, nullptr);
  EXPECT_EQ(packet_.event_count, 0);
}

TEST_F(DecoderTest, TooManyLayers) {
  cfg_.max_layers = 3;  // Ethernet, VLAN, VLAN: the IPv4 header is one too many
  const Packet& p = Decode(Eth(0x8100, Vlan(1, 0x8100, Vlan(2, 0x0800, TcpV4()))));
  EXPECT_FALSE(p.decoded);
  EXPECT_EVENT(DecodeEvent::kTooManyLayers);
  EXPECT_EQ(Counter("decoder.invalid"), 1u);
}

}  // namespace
}  // namespace vigil::sensor::test
