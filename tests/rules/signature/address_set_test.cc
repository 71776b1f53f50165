// Address and port expressions: parsing, variables, negation at every level, matching.
#include <gtest/gtest.h>

#include "rules/signature/address_set.h"
#include "rules/signature/port_set.h"

namespace vigil::rules {
namespace {

IpAddress Ip(const char* s) { return *IpAddress::Parse(s); }

class AddressSetTest : public ::testing::Test {
 protected:
  AddressSet Parse(const char* expr) {
    auto r = AddressSet::Parse(expr, vars_);
    EXPECT_TRUE(r.ok()) << expr << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : AddressSet();
  }
  std::string ErrorOf(const char* expr) {
    auto r = AddressSet::Parse(expr, vars_);
    EXPECT_FALSE(r.ok()) << expr << " should fail";
    return r.ok() ? "" : r.error().message;
  }
  RuleVariables vars_ = RuleVariables::SuricataDefaults();
};

TEST_F(AddressSetTest, AnyMatchesEverything) {
  AddressSet s = Parse("any");
  EXPECT_TRUE(s.is_any());
  EXPECT_TRUE(s.Match(Ip("1.2.3.4")));
  EXPECT_TRUE(s.Match(Ip("2001:db8::1")));
}

TEST_F(AddressSetTest, SingleCidrRangeAndNetmask) {
  EXPECT_TRUE(Parse("10.1.2.3").Match(Ip("10.1.2.3")));
  EXPECT_FALSE(Parse("10.1.2.3").Match(Ip("10.1.2.4")));
  AddressSet cidr = Parse("192.168.0.0/16");
  EXPECT_TRUE(cidr.Match(Ip("192.168.255.255")));
  EXPECT_FALSE(cidr.Match(Ip("192.169.0.0")));
  AddressSet host_bits = Parse("10.1.2.3/8");  // host bits are masked off
  EXPECT_TRUE(host_bits.Match(Ip("10.200.0.1")));
  AddressSet mask = Parse("172.16.0.0/255.240.0.0");
  EXPECT_TRUE(mask.Match(Ip("172.31.1.1")));
  EXPECT_FALSE(mask.Match(Ip("172.32.0.0")));
  AddressSet range = Parse("10.0.0.5-10.0.0.9");
  EXPECT_FALSE(range.Match(Ip("10.0.0.4")));
  EXPECT_TRUE(range.Match(Ip("10.0.0.5")));
  EXPECT_TRUE(range.Match(Ip("10.0.0.9")));
  EXPECT_FALSE(range.Match(Ip("10.0.0.10")));
  EXPECT_TRUE(Parse("0.0.0.0/0").Match(Ip("8.8.8.8")));
  EXPECT_FALSE(Parse("0.0.0.0/0").Match(Ip("::1")));
}

TEST_F(AddressSetTest, Ipv6) {
  AddressSet s = Parse("2001:db8::/32");
  EXPECT_TRUE(s.Match(Ip("2001:db8:ffff::1")));
  EXPECT_FALSE(s.Match(Ip("2001:db9::1")));
  EXPECT_FALSE(s.Match(Ip("32.1.13.184")));  // same leading bytes, other family
  AddressSet mixed = Parse("[10.0.0.0/8, fe80::/10]");
  EXPECT_TRUE(mixed.Match(Ip("fe80::1")));
  EXPECT_TRUE(mixed.Match(Ip("10.9.9.9")));
  EXPECT_FALSE(mixed.Match(Ip("fec0::1")));
  AddressSet all6 = Parse("::/0");
  EXPECT_TRUE(all6.Match(Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
  AddressSet not_one = Parse("!2001:db8::1");
  EXPECT_FALSE(not_one.Match(Ip("2001:db8::1")));
  EXPECT_TRUE(not_one.Match(Ip("2001:db8::2")));
  EXPECT_TRUE(not_one.Match(Ip("2001:db8::")));
  EXPECT_TRUE(not_one.Match(Ip("1.1.1.1")));
}

TEST_F(AddressSetTest, VariablesAndDefaults) {
  AddressSet home = Parse("$HOME_NET");
  EXPECT_TRUE(home.Match(Ip("10.1.1.1")));
  EXPECT_TRUE(home.Match(Ip("172.20.0.1")));
  EXPECT_FALSE(home.Match(Ip("8.8.8.8")));
  AddressSet ext = Parse("$EXTERNAL_NET");  // !$HOME_NET
  EXPECT_TRUE(ext.Match(Ip("8.8.8.8")));
  EXPECT_FALSE(ext.Match(Ip("192.168.1.1")));
  EXPECT_TRUE(ext.Match(Ip("2001:db8::1"))) << "negating a v4 group keeps all of IPv6, as Suricata does";
  EXPECT_EQ(Parse("$HTTP_SERVERS"), home);
  EXPECT_EQ(Parse("$DNP3_CLIENT"), home);
}

TEST_F(AddressSetTest, NegationInListsAndNesting) {
  AddressSet s = Parse("[10.0.0.0/8,!10.1.0.0/16]");
  EXPECT_TRUE(s.Match(Ip("10.2.0.1")));
  EXPECT_FALSE(s.Match(Ip("10.1.2.3")));
  EXPECT_FALSE(s.Match(Ip("11.0.0.1")));
  AddressSet only_neg = Parse("[!1.2.3.4]");
  EXPECT_FALSE(only_neg.Match(Ip("1.2.3.4")));
  EXPECT_TRUE(only_neg.Match(Ip("1.2.3.5")));
  // Nested: HOME_NET minus (10/8 minus 10.5/16), i.e. 10/8 is out but 10.5/16 is back in.
  AddressSet nested = Parse("[$HOME_NET,![10.0.0.0/8,![10.5.0.0/16]]]");
  EXPECT_TRUE(nested.Match(Ip("192.168.1.1")));
  EXPECT_FALSE(nested.Match(Ip("10.1.1.1")));
  EXPECT_TRUE(nested.Match(Ip("10.5.1.1")));
  EXPECT_FALSE(nested.Match(Ip("8.8.8.8")));
  AddressSet group_neg = Parse("![1.1.1.1,2.2.2.2]");
  EXPECT_FALSE(group_neg.Match(Ip("1.1.1.1")));
  EXPECT_FALSE(group_neg.Match(Ip("2.2.2.2")));
  EXPECT_TRUE(group_neg.Match(Ip("3.3.3.3")));
  AddressSet spaced = Parse("[ 1.1.1.1 , 2.2.2.0/24 ]");
  EXPECT_TRUE(spaced.Match(Ip("2.2.2.9")));
  AddressSet var_neg = Parse("[$HOME_NET,!$DNS_SERVERS,8.8.8.8]");
  EXPECT_TRUE(var_neg.Match(Ip("8.8.8.8")));
  EXPECT_FALSE(var_neg.Match(Ip("10.0.0.1")));
}

TEST_F(AddressSetTest, RangesMergeAndSubtractAcrossBoundaries) {
  AddressSet s = Parse("[10.0.0.0-10.0.0.10,10.0.0.11-10.0.0.20,!10.0.0.0,!10.0.0.20,!10.0.0.15]");
  ASSERT_EQ(s.v4().ranges().size(), 2u);
  EXPECT_FALSE(s.Match(Ip("10.0.0.0")));
  EXPECT_TRUE(s.Match(Ip("10.0.0.1")));
  EXPECT_TRUE(s.Match(Ip("10.0.0.14")));
  EXPECT_FALSE(s.Match(Ip("10.0.0.15")));
  EXPECT_TRUE(s.Match(Ip("10.0.0.19")));
  EXPECT_FALSE(s.Match(Ip("10.0.0.20")));
  AddressSet edge = Parse("![0.0.0.0,255.255.255.255]");
  EXPECT_FALSE(edge.Match(Ip("0.0.0.0")));
  EXPECT_FALSE(edge.Match(Ip("255.255.255.255")));
  EXPECT_TRUE(edge.Match(Ip("255.255.255.254")));
}

TEST_F(AddressSetTest, Errors) {
  EXPECT_NE(ErrorOf("$NOPE").find("unknown address variable '$NOPE'"), std::string::npos);
  EXPECT_NE(ErrorOf("[1.1.1.1,$MISSING_NET]").find("$MISSING_NET"), std::string::npos);
  EXPECT_NE(ErrorOf("!any").find("matches nothing"), std::string::npos);
  EXPECT_NE(ErrorOf("[1.2.3.4,!1.2.3.4]").find("matches nothing"), std::string::npos);
  EXPECT_NE(ErrorOf("[1.2.3.4").find("not closed"), std::string::npos);
  EXPECT_NE(ErrorOf("1.2.3.4]").find("unbalanced"), std::string::npos);
  EXPECT_NE(ErrorOf("[]").find("empty list"), std::string::npos);
  EXPECT_FALSE(ErrorOf("1.2.3.4/33").empty());
  EXPECT_FALSE(ErrorOf("1.2.3").empty());
  EXPECT_FALSE(ErrorOf("10.0.0.9-10.0.0.1").empty());
  EXPECT_FALSE(ErrorOf("1.2.3.4-::1").empty());
  EXPECT_FALSE(ErrorOf("1.2.3.0/255.0.255.0").empty());
  EXPECT_FALSE(ErrorOf("!!1.2.3.4").empty());
  EXPECT_FALSE(ErrorOf("[1.1.1.1,,2.2.2.2]").empty());
}

TEST_F(AddressSetTest, LongListsCompileInOneSort) {
  // Reputation rules carry long IP lists; 50,000 elements must not go quadratic.
  std::string expr = "[";
  for (uint32_t i = 0; i < 50000; ++i) {
    if (i) expr += ",";
    uint32_t v = 0x0b000000u + i * 2;  // every other address: no two merge
    expr += std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
            std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
  }
  expr += ",!11.0.0.0]";
  AddressSet s = Parse(expr.c_str());
  EXPECT_EQ(s.v4().ranges().size(), 49999u);
  EXPECT_FALSE(s.Match(Ip("11.0.0.0")));
  EXPECT_TRUE(s.Match(Ip("11.0.0.2")));
  EXPECT_FALSE(s.Match(Ip("11.0.0.3")));
}

TEST_F(AddressSetTest, VariableCycleIsAnErrorNotAHang) {
  vars_.SetAddress("A", "$B");
  vars_.SetAddress("B", "[1.1.1.1,$A]");
  EXPECT_NE(ErrorOf("$A").find("nests deeper"), std::string::npos);
}

TEST(PortSetTest, ParseAndMatch) {
  RuleVariables vars = RuleVariables::SuricataDefaults();
  auto p = [&](const char* e) {
    auto r = PortSet::Parse(e, vars);
    EXPECT_TRUE(r.ok()) << e << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : PortSet();
  };
  EXPECT_TRUE(p("any").is_any());
  EXPECT_TRUE(p("80").Match(80));
  EXPECT_FALSE(p("80").Match(81));
  PortSet range = p("1024:65535");
  EXPECT_FALSE(range.Match(1023));
  EXPECT_TRUE(range.Match(65535));
  EXPECT_TRUE(p("1024:").Match(40000));
  EXPECT_TRUE(p(":1023").Match(0));
  EXPECT_FALSE(p(":1023").Match(1024));
  PortSet neg = p("!80");
  EXPECT_FALSE(neg.Match(80));
  EXPECT_TRUE(neg.Match(0));
  EXPECT_TRUE(neg.Match(65535));
  PortSet list = p("[$HTTP_PORTS,8000:8100,!8080]");
  EXPECT_TRUE(list.Match(80));
  EXPECT_TRUE(list.Match(8001));
  EXPECT_FALSE(list.Match(8080));
  EXPECT_FALSE(list.Match(443));
  PortSet file_data = p("$FILE_DATA_PORTS");  // [$HTTP_PORTS,110,143]
  EXPECT_TRUE(file_data.Match(80));
  EXPECT_TRUE(file_data.Match(110));
  EXPECT_TRUE(file_data.Match(143));
  EXPECT_FALSE(file_data.Match(25));
  EXPECT_FALSE(p("$SHELLCODE_PORTS").Match(80));
  EXPECT_TRUE(p("$SHELLCODE_PORTS").Match(81));
  PortSet nested = p("[1:100,![50:60,![55]]]");  // 1:100 minus (50:60 minus 55)
  EXPECT_TRUE(nested.Match(1));
  EXPECT_FALSE(nested.Match(50));
  EXPECT_TRUE(nested.Match(55));
  EXPECT_FALSE(nested.Match(60));
  EXPECT_TRUE(nested.Match(99));
  EXPECT_FALSE(nested.Match(101));
}

TEST(PortSetTest, Errors) {
  RuleVariables vars = RuleVariables::SuricataDefaults();
  auto err = [&](const char* e) {
    auto r = PortSet::Parse(e, vars);
    EXPECT_FALSE(r.ok()) << e;
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_NE(err("$NO_PORTS").find("unknown port variable '$NO_PORTS'"), std::string::npos);
  EXPECT_FALSE(err("65536").empty());
  EXPECT_FALSE(err("90:80").empty());
  EXPECT_FALSE(err(":").empty());
  EXPECT_FALSE(err("!any").empty());
  EXPECT_FALSE(err("[80,!80]").empty());
  EXPECT_FALSE(err("http").empty());
  EXPECT_FALSE(err("[80").empty());
}

}  // namespace
}  // namespace vigil::rules
