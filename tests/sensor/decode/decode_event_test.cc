#include "sensor/decode/decode_event.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/counters.h"
#include "sensor/decode/decoder_counters.h"

namespace vigil::sensor {
namespace {

TEST(DecodeEventTest, EveryEventHasAUniqueNameCounterAndHelp) {
  std::set<std::string_view> names;
  for (size_t i = 0; i < kDecodeEventCount; ++i) {
    auto e = static_cast<DecodeEvent>(i);
    std::string_view name = DecodeEventName(e);
    ASSERT_FALSE(name.empty()) << i;
    EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
    EXPECT_EQ(DecodeEventCounterName(e), "decoder.event." + std::string(name));
    EXPECT_FALSE(DecodeEventHelp(e).empty()) << name;
    // "<layer>.<what>", lower_snake.
    EXPECT_NE(name.find('.'), std::string_view::npos) << name;
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.') << name;
    auto back = DecodeEventFromName(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, e);
  }
  EXPECT_EQ(DecodeEventName(DecodeEvent::kCount), "");
  EXPECT_FALSE(DecodeEventFromName("ipv4.no_such_event").has_value());
}

TEST(DecodeEventTest, SuricataNamesAreKept) {
  EXPECT_EQ(DecodeEventName(DecodeEvent::kIpv4TruncPkt), "ipv4.trunc_pkt");
  EXPECT_EQ(DecodeEventName(DecodeEvent::kIpv4HlenTooSmall), "ipv4.hlen_too_small");
  EXPECT_EQ(DecodeEventName(DecodeEvent::kTcpHlenTooSmall), "tcp.hlen_too_small");
  EXPECT_EQ(DecodeEventName(DecodeEvent::kIpv6ExthdrDuplFh), "ipv6.exthdr_dupl_fh");
  EXPECT_EQ(DecodeEventName(DecodeEvent::kGreVersion1NoKey), "gre.version1_no_key");
  EXPECT_EQ(DecodeEventName(DecodeEvent::kNullUnsupportedType), "ltnull.unsupported_type");
  EXPECT_EQ(DecodeEventName(DecodeEvent::kIpv6Ipv6InIpv6WrongVersion), "ipv6.ipv6_in_ipv6_wrong_version");
  EXPECT_EQ(DecodeEventName(DecodeEvent::kIpv6FragOverlap), "ipv6.frag_overlap");
  EXPECT_EQ(DecodeEventName(DecodeEvent::kIpv4FragOverlap), "ipv4.frag_overlap");
  EXPECT_EQ(DecodeEventName(DecodeEvent::kSctpPktTooSmall), "sctp.pkt_too_small");
}

TEST(DecoderCountersTest, RegistersOnceWithExpectedNames) {
  CounterRegistry reg;
  auto ids = RegisterDecoderCounters(reg);
  ASSERT_TRUE(ids.ok()) << ids.error().ToString();
  EXPECT_EQ(reg.size(), kDecoderCounterCount + kDecodeEventCount);
  CounterBlock* block = reg.NewBlock("w0");
  block->Add((*ids)[DecoderCounter::kTcp], 3);
  block->Add((*ids)[DecodeEvent::kIpv4TruncPkt]);
  EXPECT_EQ(reg.Total("decoder.tcp"), 3u);
  EXPECT_EQ(reg.Total("decoder.event.ipv4.trunc_pkt"), 1u);
  for (const char* name : {"decoder.pkts", "decoder.bytes", "decoder.invalid", "decoder.ethernet",
                           "decoder.vlan", "decoder.vlan_qinq", "decoder.ipv4", "decoder.ipv6",
                           "decoder.tcp", "decoder.udp", "decoder.icmpv4", "decoder.icmpv6",
                           "decoder.gre", "decoder.vxlan", "decoder.sll", "decoder.null",
                           "decoder.raw", "decoder.checksum_bad"}) {
    bool found = false;
    for (const auto& d : reg.defs()) found |= d.name == name;
    EXPECT_TRUE(found) << name;
  }
  // A second registration of the same names fails.
  CounterRegistry reg2;
  ASSERT_TRUE(RegisterDecoderCounters(reg2).ok());
  EXPECT_FALSE(RegisterDecoderCounters(reg2).ok());
}

}  // namespace
}  // namespace vigil::sensor
