#include "sensor/flow/flow_key.h"

#include <gtest/gtest.h>

#include <array>
#include <random>

namespace vigil::sensor {
namespace {

Packet Pkt(const char* src, const char* dst, uint16_t sport, uint16_t dport, uint8_t proto = 6) {
  Packet p;
  p.src = *IpAddress::Parse(src);
  p.dst = *IpAddress::Parse(dst);
  p.ip_version = p.src.family;
  p.ip_proto = proto;
  p.sport = sport;
  p.dport = dport;
  p.decoded = true;
  return p;
}

Packet Reverse(Packet p) {
  std::swap(p.src, p.dst);
  std::swap(p.sport, p.dport);
  return p;
}

void ExpectSymmetric(const Packet& p) {
  bool a1 = false, a2 = false;
  FlowKey k1 = FlowKey::FromPacket(p, &a1);
  FlowKey k2 = FlowKey::FromPacket(Reverse(p), &a2);
  EXPECT_TRUE(k1 == k2);
  EXPECT_EQ(k1.Hash(), k2.Hash());
  EXPECT_EQ(k1.Hash(1234), k2.Hash(1234));
  EXPECT_NE(a1, a2) << "exactly one direction has its source as endpoint a";
}

TEST(FlowKeyTest, SymmetricIpv4) {
  ExpectSymmetric(Pkt("192.0.2.1", "198.51.100.7", 40000, 80));
  ExpectSymmetric(Pkt("198.51.100.7", "192.0.2.1", 80, 40000, 17));
  // Same host on both sides: the ports decide the order.
  ExpectSymmetric(Pkt("127.0.0.1", "127.0.0.1", 5000, 6000));
  ExpectSymmetric(Pkt("10.0.0.1", "10.0.0.2", 0, 0, 47));  // GRE: no ports
}

TEST(FlowKeyTest, SymmetricIpv6) {
  ExpectSymmetric(Pkt("2001:db8::1", "2001:db8::ff", 1234, 443));
  ExpectSymmetric(Pkt("fe80::2", "2001:db8::1", 53, 53, 17));
}

TEST(FlowKeyTest, VlanIsPartOfTheKey) {
  Packet p = Pkt("192.0.2.1", "192.0.2.2", 1, 2);
  p.vlan_count = 2;
  p.vlan = {100, 200};
  ExpectSymmetric(p);
  Packet q = p;
  q.vlan = {100, 201};
  EXPECT_FALSE(FlowKey::FromPacket(p) == FlowKey::FromPacket(q));
  EXPECT_NE(FlowKey::FromPacket(p).Hash(), FlowKey::FromPacket(q).Hash());
  Packet r = p;
  r.vlan_count = 1;  // only the outer tag counts; a stale inner value is ignored
  Packet s = p;
  s.vlan_count = 1;
  s.vlan[1] = 999;
  EXPECT_TRUE(FlowKey::FromPacket(r) == FlowKey::FromPacket(s));
}

TEST(FlowKeyTest, KeyFieldsAndEndpoints) {
  Packet p = Pkt("198.51.100.7", "192.0.2.1", 80, 40000);
  bool src_is_a = true;
  FlowKey k = FlowKey::FromPacket(p, &src_is_a);
  EXPECT_FALSE(src_is_a);
  EXPECT_EQ(k.a().ToString(), "192.0.2.1");
  EXPECT_EQ(k.b().ToString(), "198.51.100.7");
  EXPECT_EQ(k.port_a, 40000);
  EXPECT_EQ(k.port_b, 80);
  EXPECT_EQ(k.proto, 6);
  EXPECT_EQ(k.family, 4);
  Packet other_proto = p;
  other_proto.ip_proto = 17;
  EXPECT_FALSE(FlowKey::FromPacket(p) == FlowKey::FromPacket(other_proto));
}

TEST(FlowKeyTest, IcmpEchoRequestAndReplyShareAKey) {
  Packet req = Pkt("192.0.2.1", "192.0.2.9", 0, 0, 1);
  req.icmp.type = 8;
  req.icmp.id = 0x1234;
  Packet rep = Reverse(req);
  rep.icmp.type = 0;
  EXPECT_TRUE(FlowKey::FromPacket(req) == FlowKey::FromPacket(rep));
  EXPECT_EQ(FlowKey::FromPacket(req).port_a, 0x1234);
  Packet other_id = req;
  other_id.icmp.id = 0x1235;
  EXPECT_FALSE(FlowKey::FromPacket(req) == FlowKey::FromPacket(other_id));

  Packet req6 = Pkt("2001:db8::1", "2001:db8::2", 0, 0, 58);
  req6.icmp.type = 128;
  req6.icmp.id = 7;
  Packet rep6 = Reverse(req6);
  rep6.icmp.type = 129;
  EXPECT_TRUE(FlowKey::FromPacket(req6) == FlowKey::FromPacket(rep6));

  // Other ICMP messages: (type, code) act as ports.
  Packet unreach = Pkt("192.0.2.9", "192.0.2.1", 0, 0, 1);
  unreach.icmp.type = 3;
  unreach.icmp.code = 1;
  FlowKey k = FlowKey::FromPacket(unreach);
  EXPECT_EQ(k.port_a, 1);  // 192.0.2.1 (dst) is endpoint a: its "port" is the code
  EXPECT_EQ(k.port_b, 3);
}

TEST(FlowKeyTest, HashSpreadsOverWorkers) {
  std::mt19937 rng(7);
  constexpr int kWorkers = 6;
  std::array<int, kWorkers> per{};
  constexpr int kFlows = 60000;
  for (int i = 0; i < kFlows; ++i) {
    Packet p;
    p.ip_version = 4;
    p.src = IpAddress::V4(static_cast<uint32_t>(0x0a000000u + (rng() & 0xffff)));
    p.dst = IpAddress::V4(0xc0000201u);
    p.sport = static_cast<uint16_t>(1024 + rng() % 60000);
    p.dport = 443;
    p.ip_proto = 6;
    ++per[FlowKey::FromPacket(p).Hash() % kWorkers];
  }
  for (int n : per) {
    EXPECT_GT(n, kFlows / kWorkers * 9 / 10);
    EXPECT_LT(n, kFlows / kWorkers * 11 / 10);
  }
}

}  // namespace
}  // namespace vigil::sensor
