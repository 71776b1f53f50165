#include "core/ip_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace vigil {
namespace {

TEST(IpAddress, FormatsIpv4LikeInetNtop) {
  for (const char* s : {"0.0.0.0", "255.255.255.255", "10.0.0.1", "192.168.100.9", "1.20.199.0"}) {
    EXPECT_EQ(IpAddress::Parse(s)->ToString(), s);
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 10000; ++i) {
    uint32_t v = rng();
    IpAddress a = IpAddress::V4(v);
    char ref[INET_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET, a.data(), ref, sizeof(ref)), nullptr);
    char buf[IpAddress::kMaxText];
    ASSERT_EQ(std::string(buf, a.Format(buf)), ref);
  }
}

TEST(IpAddress, FormatsIpv6Compressed) {
  EXPECT_EQ(IpAddress::Parse("2001:0db8:0000:0000:0000:0000:0000:0001")->ToString(), "2001:db8::1");
  EXPECT_EQ(IpAddress{}.ToString(), "");
}

// TryParse's inline IPv4 grammar against inet_pton on edge cases and generated text.
TEST(IpAddress, TryParseAgreesWithInetPton) {
  auto check = [](const std::string& t) {
    uint8_t raw[16];
    int want4 = inet_pton(AF_INET, t.c_str(), raw);
    IpAddress got;
    const bool ok = IpAddress::TryParse(t, &got);
    if (want4 == 1) {
      ASSERT_TRUE(ok) << t;
      EXPECT_TRUE(got.is_v4()) << t;
      EXPECT_EQ(0, std::memcmp(got.data(), raw, 4)) << t;
      return;
    }
    const bool want6 = t.size() <= IpAddress::kMaxText && inet_pton(AF_INET6, t.c_str(), raw) == 1;
    ASSERT_EQ(ok, want6) << t;
    if (ok) {
      EXPECT_TRUE(got.is_v6()) << t;
      EXPECT_EQ(0, std::memcmp(got.data(), raw, 16)) << t;
    }
  };
  for (const char* t : {"0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.02.3.4", "1.2.3.4.", ".1.2.3.4",
                        "1..2.3", "1.2.3", "1.2.3.4.5", "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ", "10.0.0.1", "1000.1.1.1",
                        "", "::", "::1", "::ffff:10.1.2.3", "fe80::1%eth0", "1:2:3:4:5:6:7:8", "1.2.3.4:80", "a.b.c.d"}) {
    check(t);
  }
  std::mt19937 rng(5);
  static constexpr char kAlphabet[] = "0123456789..::af";
  for (int i = 0; i < 50000; ++i) {
    std::string t(rng() % 18, ' ');
    for (char& c : t) c = kAlphabet[rng() % (sizeof kAlphabet - 1)];
    check(t);
  }
  IpAddress a;
  EXPECT_FALSE(IpAddress::TryParse(std::string(47, '1'), &a));
  EXPECT_FALSE(IpAddress::Parse("not an address").ok());
  EXPECT_EQ(IpAddress::Parse("192.0.2.1")->ToString(), "192.0.2.1");
}

}  // namespace
}  // namespace vigil
