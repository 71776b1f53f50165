#include "tools/synth/packet_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "tests/tools/synth/synth_test_util.h"

namespace vigil::synth {
namespace {

using testing::Decode;
using testing::L4ChecksumOk;

std::vector<uint8_t> Frame(const FlowPackets& p, size_t i) {
  auto s = p.frame(i);
  return {s.begin(), s.end()};
}

IpRoute Route(bool v6) {
  IpRoute r;
  r.src_mac.b = {2, 0, 0, 0, 0, 1};
  r.dst_mac.b = {2, 0, 0, 0, 0, 2};
  r.src = *IpAddress::Parse(v6 ? "fd00:20::10" : "10.20.0.10");
  r.dst = *IpAddress::Parse(v6 ? "2001:db8::80" : "93.184.216.34");
  r.ttl = 64;
  return r;
}

std::vector<uint8_t> Payload(size_t n) {
  std::vector<uint8_t> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(i * 7 + 3);
  return p;
}

class PacketBuilderTest : public ::testing::TestWithParam<std::tuple<bool, uint16_t>> {};

TEST_P(PacketBuilderTest, TcpFrameFieldsAndChecksums) {
  const auto [v6, vlan] = GetParam();
  PacketBuilder pb({vlan, true});
  FlowPackets out;
  TcpSegment seg{40000, 80, 0xFFFFFF00u, 12345, kTcpAck | kTcpPsh, 502, TcpOptionList::Timestamps(7, 9)};
  for (size_t len : {0, 1, 2, 3, 1000, 1447}) {
    out.Clear();
    const auto payload = Payload(len);
    const FrameCount fc = pb.Tcp(out, 1000, Route(v6), {77, true, 0x12345}, seg, payload);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(fc.frames, 1u);
    const auto f = Frame(out, 0);
    EXPECT_EQ(fc.bytes, f.size());
    EXPECT_GE(f.size(), kMinEthernetFrame);
    const auto d = Decode(f);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.vlan, vlan);
    EXPECT_EQ(d.ip_version, v6 ? 6 : 4);
    EXPECT_TRUE(d.ipv4_header_checksum_ok);
    EXPECT_FALSE(d.fragment);
    ASSERT_EQ(d.protocol, 6);
    ASSERT_EQ(d.l4_len, 32 + len);
    EXPECT_TRUE(L4ChecksumOk(d.ip_version, d.src, d.dst, 6, d.l4, d.l4_len)) << "len " << len;
    EXPECT_EQ(d.l4[12] >> 4, 8);  // data offset: 20 + 12 bytes of options
    EXPECT_EQ(d.l4[13], kTcpAck | kTcpPsh);
    if (len > 0) {
      EXPECT_EQ(0, std::memcmp(d.l4 + 32, payload.data(), len));
    }
    // Corrupting one payload byte must break the checksum (the check can fail).
    if (len > 0) {
      auto g = f;
      g[static_cast<size_t>(d.l4 - f.data()) + d.l4_len - 1] ^= 0x01;  // last payload byte
      const auto d2 = Decode(g);
      EXPECT_FALSE(L4ChecksumOk(d2.ip_version, d2.src, d2.dst, 6, d2.l4, d2.l4_len));
    }
  }
}

TEST_P(PacketBuilderTest, UdpChecksum) {
  const auto [v6, vlan] = GetParam();
  PacketBuilder pb({vlan, false});
  FlowPackets out;
  for (size_t len : {0, 5, 512, 1400}) {
    out.Clear();
    pb.Udp(out, 5, Route(v6), {1, false, 0}, 53000, 53, Payload(len));
    const auto f = Frame(out, 0);
    const auto d = Decode(f);
    ASSERT_TRUE(d.ok);
    ASSERT_EQ(d.protocol, 17);
    EXPECT_EQ(d.l4_len, 8 + len);
    EXPECT_EQ(((d.l4[4] << 8) | d.l4[5]), static_cast<int>(8 + len));
    EXPECT_TRUE(L4ChecksumOk(d.ip_version, d.src, d.dst, 17, d.l4, d.l4_len));
  }
}

TEST_P(PacketBuilderTest, FragmentsReassembleToTheSameDatagram) {
  const auto [v6, vlan] = GetParam();
  PacketBuilder pb({vlan, true});
  FlowPackets whole, frags;
  TcpSegment seg{40000, 443, 1, 2, kTcpAck, 100, {}};
  const auto payload = Payload(1200);
  pb.Tcp(whole, 10, Route(v6), {4242, true, 0}, seg, payload, 1);
  for (int pieces : {2, 3}) {
    frags.Clear();
    const FrameCount fc = pb.Tcp(frags, 10, Route(v6), {4242, true, 0}, seg, payload, pieces);
    ASSERT_EQ(frags.size(), static_cast<size_t>(pieces));
    EXPECT_EQ(fc.frames, static_cast<uint32_t>(pieces));
    EXPECT_EQ(fc.last_frame_len, frags.record(frags.size() - 1).length);
    std::vector<uint8_t> rebuilt;
    for (size_t i = 0; i < frags.size(); ++i) {
      const auto f = Frame(frags, i);
      const auto d = Decode(f);
      ASSERT_TRUE(d.ok);
      EXPECT_TRUE(d.fragment);
      EXPECT_TRUE(d.ipv4_header_checksum_ok);
      EXPECT_EQ(d.more_fragments, i + 1 < frags.size());
      EXPECT_EQ(d.frag_offset, rebuilt.size());
      EXPECT_EQ(d.frag_id, v6 ? 4242u : 4242u & 0xFFFF);
      if (i + 1 < frags.size()) {
        EXPECT_EQ(d.l4_len % 8, 0u);
      }
      rebuilt.insert(rebuilt.end(), d.l4, d.l4 + d.l4_len);
    }
    const auto w = Frame(whole, 0);
    const auto dw = Decode(w);
    ASSERT_EQ(rebuilt.size(), dw.l4_len);
    EXPECT_EQ(0, std::memcmp(rebuilt.data(), dw.l4, rebuilt.size()));
    EXPECT_TRUE(L4ChecksumOk(dw.ip_version, dw.src, dw.dst, 6, rebuilt.data(), rebuilt.size()));
  }
}

TEST_P(PacketBuilderTest, TinyDatagramIsNotFragmented) {
  const auto [v6, vlan] = GetParam();
  PacketBuilder pb({vlan, true});
  FlowPackets out;
  pb.Udp(out, 1, Route(v6), {1, false, 0}, 1000, 2000, Payload(4), 3);  // 12-byte datagram
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(Decode(Frame(out, 0)).fragment);
}

INSTANTIATE_TEST_SUITE_P(Families, PacketBuilderTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Values<uint16_t>(0, 100)));

TEST(TcpOptionList, SynLayouts) {
  const auto linux_syn = TcpOptionList::Syn(TcpStack::kLinux, 1460, 7, true, 0x01020304, 0);
  ASSERT_EQ(linux_syn.len, 20);
  const uint8_t expect_linux[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7};
  EXPECT_EQ(0, std::memcmp(linux_syn.bytes.data(), expect_linux, 20));
  const auto win = TcpOptionList::Syn(TcpStack::kWindows, 1460, 8, false, 0, 0);
  ASSERT_EQ(win.len, 12);
  const uint8_t expect_win[12] = {2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2};
  EXPECT_EQ(0, std::memcmp(win.bytes.data(), expect_win, 12));
  EXPECT_EQ(TcpOptionList::Timestamps(1, 2).len, 12);
}

TEST(FlowPackets, SortKeepsSendOrderForEqualTimes) {
  FlowPackets p;
  p.Append(30, 1)[0] = 'c';
  p.Append(10, 1)[0] = 'a';
  p.Append(30, 1)[0] = 'd';
  p.Append(20, 1)[0] = 'b';
  p.SortByTime();
  std::string order;
  for (size_t i = 0; i < p.size(); ++i) order += static_cast<char>(p.frame(i)[0]);
  EXPECT_EQ(order, "abcd");
}

}  // namespace
}  // namespace vigil::synth
