// decode-event, ipopts and the Suricata 7/8 TCP keyword spellings (tcp.flags, tcp.seq, tcp.ack):
// option parsing and whole rules.
#include <gtest/gtest.h>

#include "rules/signature/event_option.h"
#include "rules/signature/header_options.h"
#include "rules/signature/rule_parser.h"

namespace vigil::rules {
namespace {

TEST(DecodeEventOption, NamesArePlainOrDecoderPrefixed) {
  auto e = ParseDecodeEvent("ipv4.trunc_pkt");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "ipv4.trunc_pkt");
  e = ParseDecodeEvent(" decoder.ipv6.exthdr_dupl_fh ");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "ipv6.exthdr_dupl_fh");
  e = ParseDecodeEvent("\"tcp.pkt_too_small\"");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "tcp.pkt_too_small");
}

TEST(DecodeEventOption, MalformedNamesAreErrors) {
  for (const char* bad : {"", "decoder.", "trunc_pkt", ".x", "ipv4.", "ipv4.Trunc", "ipv4.a b",
                          "ipv4.a;b"}) {
    EXPECT_FALSE(ParseDecodeEvent(bad).ok()) << bad;
  }
}

TEST(IpOptsOption, SuricataNamesGiveOptionTypes) {
  const std::pair<const char*, uint8_t> cases[] = {
      {"rr", 7},     {"lsrr", 131}, {"ssrr", 137}, {"ts", 68},     {"sec", 130},  {"esec", 133},
      {"satid", 136}, {"eol", 0},   {"nop", 1},    {"rtralt", 148}, {"cipso", 134}, {"qs", 25},
  };
  for (const auto& [name, type] : cases) {
    auto o = ParseIpOpts(name);
    ASSERT_TRUE(o.ok()) << name;
    EXPECT_FALSE(o->any) << name;
    EXPECT_EQ(o->type, type) << name;
  }
  auto any = ParseIpOpts(" any ");
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(any->any);
  EXPECT_FALSE(ParseIpOpts("").ok());
  EXPECT_FALSE(ParseIpOpts("route").ok());
}

TEST(HeaderOptions, TcpDottedNamesAreAliases) {
  HeaderOptions h;
  ASSERT_TRUE(IsHeaderKeyword("tcp.flags"));
  ASSERT_TRUE(ApplyHeaderOption(&h, "tcp.flags", "R,A", true).ok());
  ASSERT_TRUE(h.flags.has_value());
  EXPECT_TRUE(h.flags->Matches(kTcpRst));
  EXPECT_TRUE(h.flags->Matches(kTcpRst | kTcpAck));  // ACK is masked out
  EXPECT_FALSE(h.flags->Matches(kTcpRst | kTcpPsh));
  EXPECT_FALSE(ApplyHeaderOption(&h, "flags", "S", true).ok());  // the same keyword twice
  ASSERT_TRUE(ApplyHeaderOption(&h, "tcp.ack", "2548486954", true).ok());
  EXPECT_TRUE(h.ack->Matches(2548486954u));
  ASSERT_TRUE(ApplyHeaderOption(&h, "tcp.seq", ">10", true).ok());
  EXPECT_TRUE(h.seq->Matches(11));
  EXPECT_FALSE(h.seq->Matches(10));
}

TEST(HeaderOptions, DecodeEventsAndIpoptsAccumulate) {
  HeaderOptions h;
  ASSERT_TRUE(ApplyHeaderOption(&h, "decode-event", "ipv4.opt_unknown", true).ok());
  ASSERT_TRUE(ApplyHeaderOption(&h, "decode-event", "decoder.ipv4.opt_duplicate", true).ok());
  ASSERT_EQ(h.decode_events.size(), 2u);
  EXPECT_EQ(h.decode_events[1].name, "ipv4.opt_duplicate");
  ASSERT_TRUE(ApplyHeaderOption(&h, "ipopts", "rr", true).ok());
  ASSERT_TRUE(ApplyHeaderOption(&h, "ipopts", "ts", true).ok());
  ASSERT_EQ(h.ipopts.size(), 2u);
  EXPECT_EQ(h.ipopts[1].type, 68);
  EXPECT_FALSE(ApplyHeaderOption(&h, "decode-event", "", false).ok());
  EXPECT_FALSE(ApplyHeaderOption(&h, "ipopts", "bogus", true).ok());
}

TEST(EventRules, WholeRulesLoad) {
  RuleVariables vars = RuleVariables::SuricataDefaults();
  RuleParser parser(vars);
  RuleParseResult r = parser.Parse(
      R"(alert pkthdr any any -> any any (msg:"x"; decode-event:ipv6.frag_invalid_length; sid:1;))");
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.rule->header_checks.decode_events.size(), 1u);
  EXPECT_EQ(r.rule->header_checks.decode_events[0].name, "ipv6.frag_invalid_length");

  r = parser.Parse(R"(alert ip any any -> any any (msg:"RR"; ipopts:rr; sid:2;))");
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.rule->header_checks.ipopts.size(), 1u);

  r = parser.Parse(R"(alert tcp any any -> any any (tcp.flags:S; sid:3;))");
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_TRUE(r.rule->header_checks.flags.has_value());
  EXPECT_TRUE(r.rule->header_checks.flags->Matches(kTcpSyn));

  r = parser.Parse(R"(alert ip any any -> any any (ipopts:nosuch; sid:4;))");
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace vigil::rules
