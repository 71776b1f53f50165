#include "core/ip_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <random>

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

}  // namespace
}  // namespace vigil
