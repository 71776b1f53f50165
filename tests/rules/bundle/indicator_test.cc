#include "rules/bundle/indicator.h"

#include <gtest/gtest.h>

#include "rules/bundle/indicator_set.h"

namespace vigil::rules {
namespace {

IpAddress Ip(const char* s) { return *IpAddress::Parse(s); }

TEST(Indicator, ParsesEveryTypeAndNormalises) {
  const char* text =
      "# national list\n"
      "ip 198.51.100.7\n"
      "cidr 203.0.113.77/24   # host bits cleared\n"
      "cidr 2001:db8::1/32\n"
      "domain Evil.Example.\n"
      "url http://evil.example/Path?q=1\n"
      "sni C2.Example\n"
      "ja3 E7D705A3286E19EA42F587B344EE6865\n"
      "md5 d41d8cd98f00b204e9800998ecf8427e\n"
      "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709\n"
      "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "\n";
  IndicatorParse p = ParseIndicators(text);
  EXPECT_TRUE(p.errors.empty());
  ASSERT_EQ(p.indicators.size(), 10u);
  EXPECT_EQ(p.indicators[0].value, "198.51.100.7");
  EXPECT_EQ(p.indicators[0].prefix, 32);
  EXPECT_EQ(p.indicators[1].value, "203.0.113.0/24");
  EXPECT_EQ(p.indicators[1].note, "host bits cleared");
  EXPECT_EQ(p.indicators[2].value, "2001:db8::/32");
  EXPECT_EQ(p.indicators[3].value, "evil.example");
  EXPECT_EQ(p.indicators[4].value, "http://evil.example/Path?q=1");  // URLs keep case
  EXPECT_EQ(p.indicators[5].value, "c2.example");
  EXPECT_EQ(p.indicators[6].value, "e7d705a3286e19ea42f587b344ee6865");
}

TEST(Indicator, BadLinesAreSkippedWithLineNumbers) {
  IndicatorParse p = ParseIndicators(
      "ip 1.2.3.4\nip 1.2.3.4/8\ncidr 1.2.3.0\ncidr 1.2.3.0/33\nhost x\ndomain bad..name\n"
      "md5 abc\nsha1 zz39a3ee5e6b4b0d3255bfef95601890afd80709\nip\ndomain a b\nip 10.0.0.1\n");
  ASSERT_EQ(p.indicators.size(), 2u);
  ASSERT_EQ(p.errors.size(), 9u);
  EXPECT_EQ(p.errors[0].line, 2u);
  EXPECT_NE(p.errors[0].reason.find("cidr"), std::string::npos);
  EXPECT_EQ(p.errors[3].line, 5u);
  EXPECT_NE(p.errors[3].reason.find("unknown indicator type 'host'"), std::string::npos);
}

TEST(IndicatorSet, IpAndCidrLongestPrefixFirst) {
  IndicatorSet set;
  IndicatorParse p = ParseIndicators(
      "cidr 10.0.0.0/8 # wide\nip 10.1.2.3 # exact\ncidr 2001:db8::/32\ncidr 0.0.0.0/0 # all\n");
  ASSERT_TRUE(p.errors.empty());
  set.Add(p.indicators, 7);
  const IndicatorHit* h = set.MatchIp(Ip("10.1.2.3"));
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->indicator->note, "exact");
  EXPECT_EQ(h->bundle, 7u);
  ASSERT_NE(set.MatchIp(Ip("10.200.0.1")), nullptr);
  EXPECT_EQ(set.MatchIp(Ip("10.200.0.1"))->indicator->note, "wide");
  EXPECT_EQ(set.MatchIp(Ip("11.0.0.1"))->indicator->note, "all");
  ASSERT_NE(set.MatchIp(Ip("2001:db8:ffff::1")), nullptr);
  EXPECT_EQ(set.MatchIp(Ip("2001:db9::1")), nullptr);  // /0 is IPv4 only
}

TEST(IndicatorSet, V6PrefixesAcrossTheWordBoundary) {
  IndicatorSet set;
  set.Add(ParseIndicators("cidr 2001:db8:1:2:8000::/65\nip 2001:db8::5\n").indicators, 0);
  EXPECT_NE(set.MatchIp(Ip("2001:db8:1:2:8fff::1")), nullptr);
  EXPECT_EQ(set.MatchIp(Ip("2001:db8:1:2:7fff::1")), nullptr);
  EXPECT_NE(set.MatchIp(Ip("2001:db8::5")), nullptr);
  EXPECT_EQ(set.MatchIp(Ip("2001:db8::6")), nullptr);
}

TEST(IndicatorSet, DomainSuffixOnLabelBoundaries) {
  IndicatorSet set;
  set.Add(ParseIndicators("domain evil.example\n").indicators, 0);
  EXPECT_NE(set.MatchDomain("evil.example"), nullptr);
  EXPECT_NE(set.MatchDomain("WWW.Evil.Example."), nullptr);
  EXPECT_NE(set.MatchDomain("a.b.c.evil.example"), nullptr);
  EXPECT_EQ(set.MatchDomain("notevil.example"), nullptr);
  EXPECT_EQ(set.MatchDomain("evil.example.com"), nullptr);
  EXPECT_EQ(set.MatchDomain(""), nullptr);
  EXPECT_EQ(set.MatchDomain(std::string(300, 'a')), nullptr);
}

TEST(IndicatorSet, ExactValuesAndDuplicates) {
  IndicatorSet set;
  set.Add(ParseIndicators("sni c2.example\nja3 e7d705a3286e19ea42f587b344ee6865\n"
                          "url http://x.example/A\n")
              .indicators,
          0);
  set.Add(ParseIndicators("sni c2.example # again\n").indicators, 1);
  EXPECT_EQ(set.size(), 3u);
  ASSERT_NE(set.MatchExact(IndicatorType::kSni, "C2.example"), nullptr);
  EXPECT_EQ(set.MatchExact(IndicatorType::kSni, "C2.example")->bundle, 0u);
  EXPECT_NE(set.MatchExact(IndicatorType::kJa3, "E7D705A3286E19EA42F587B344EE6865"), nullptr);
  EXPECT_NE(set.MatchExact(IndicatorType::kUrl, "http://x.example/A"), nullptr);
  EXPECT_EQ(set.MatchExact(IndicatorType::kUrl, "http://x.example/a"), nullptr);
  EXPECT_EQ(set.MatchExact(IndicatorType::kSni, "other.example"), nullptr);
  EXPECT_EQ(set.MatchExact(IndicatorType::kMd5, "d41d8cd98f00b204e9800998ecf8427e"), nullptr);
}

// Suffixes whose label count no indicator has are skipped: every other suffix still matches.
TEST(IndicatorSet, DomainLabelCountsOfMixedLengths) {
  IndicatorSet set;
  set.Add(ParseIndicators("domain example\ndomain evil.example\ndomain a.b.c.d.e.f.g\n").indicators, 0);
  ASSERT_NE(set.MatchDomain("x.y.a.b.c.d.e.f.g"), nullptr);
  EXPECT_EQ(set.MatchDomain("x.y.a.b.c.d.e.f.g")->indicator->value, "a.b.c.d.e.f.g");
  EXPECT_EQ(set.MatchDomain("q.evil.example")->indicator->value, "evil.example");
  EXPECT_EQ(set.MatchDomain("q.good.example")->indicator->value, "example");  // the 1-label one
  EXPECT_EQ(set.MatchDomain("b.c.d.e.f.g"), nullptr);
  EXPECT_EQ(set.MatchDomain("evil.example.org"), nullptr);
  std::string deep;  // 70 labels: counts past 63 share one bit
  for (int i = 0; i < 69; ++i) deep += "l.";
  deep += "example";
  EXPECT_NE(set.MatchDomain(deep), nullptr);
}

}  // namespace
}  // namespace vigil::rules
