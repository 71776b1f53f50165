#include "tools/synth/synth_config.h"

#include <gtest/gtest.h>

namespace vigil::synth {
namespace {

TEST(ParseByteSize, UnitsAndFractions) {
  EXPECT_EQ(*ParseByteSize("100MB"), 100'000'000u);
  EXPECT_EQ(*ParseByteSize("100mb"), 100'000'000u);
  EXPECT_EQ(*ParseByteSize("1.5GB"), 1'500'000'000u);
  EXPECT_EQ(*ParseByteSize("64KiB"), 65536u);
  EXPECT_EQ(*ParseByteSize("2MiB"), 2u * 1024 * 1024);
  EXPECT_EQ(*ParseByteSize("1234"), 1234u);
  EXPECT_EQ(*ParseByteSize(" 10 k "), 10'000u);
}

TEST(ParseByteSize, RejectsGarbage) {
  EXPECT_FALSE(ParseByteSize(""));
  EXPECT_FALSE(ParseByteSize("MB"));
  EXPECT_FALSE(ParseByteSize("10XB"));
  EXPECT_FALSE(ParseByteSize("-5MB"));
  EXPECT_EQ(ParseByteSize("10XB").error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseMix, WeightsAndErrors) {
  auto m = ParseMix("http=60, dns=20,tls=15,udp=5");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->http, 60u);
  EXPECT_EQ(m->dns, 20u);
  EXPECT_EQ(m->tls, 15u);
  EXPECT_EQ(m->udp, 5u);
  auto only_dns = ParseMix("dns=1");
  ASSERT_TRUE(only_dns);
  EXPECT_EQ(only_dns->http, 0u);
  EXPECT_EQ(only_dns->dns, 1u);
  EXPECT_FALSE(ParseMix("smtp=3"));
  EXPECT_FALSE(ParseMix("http"));
  EXPECT_FALSE(ParseMix("http=x"));
}

TEST(ParseImpairments, ProbabilitiesInRange) {
  auto i = ParseImpairments("reorder=0.05,retransmit=0.1,overlap=0,fragment=1");
  ASSERT_TRUE(i);
  EXPECT_DOUBLE_EQ(i->reorder, 0.05);
  EXPECT_DOUBLE_EQ(i->retransmit, 0.1);
  EXPECT_DOUBLE_EQ(i->overlap, 0.0);
  EXPECT_DOUBLE_EQ(i->fragment, 1.0);
  EXPECT_FALSE(ParseImpairments("reorder=1.5"));
  EXPECT_FALSE(ParseImpairments("drop=0.1"));
  auto e = ParseImpairments("reorder=abc");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("reorder"), std::string::npos);
}

TEST(ValidateConfig, NamesTheBadField) {
  SynthConfig c;
  EXPECT_FALSE(ValidateConfig(c));  // no out path
  c.out_path = "/tmp/x.pcap";
  auto st = ValidateConfig(c);  // no stop condition
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("--flows"), std::string::npos);
  c.flows = 10;
  EXPECT_TRUE(ValidateConfig(c));
  c.vlan = 5000;
  EXPECT_FALSE(ValidateConfig(c));
  c.vlan = 10;
  c.mss = 20;
  EXPECT_FALSE(ValidateConfig(c));
  c.mss = 1460;
  c.ipv6_fraction = 1.5;
  EXPECT_FALSE(ValidateConfig(c));
  c.ipv6_fraction = 0.5;
  c.mix = TrafficMix{0, 0, 0, 0};
  EXPECT_FALSE(ValidateConfig(c));
}

}  // namespace
}  // namespace vigil::synth
