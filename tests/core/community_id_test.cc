#include "core/community_id.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

IpAddress Ip(const char* s) { return *IpAddress::Parse(s); }

std::string Id(const char* src, const char* dst, uint8_t proto, uint16_t sp, uint16_t dp,
               uint16_t seed = 0) {
  auto r = CommunityIdV1String(Ip(src), Ip(dst), proto, sp, dp, seed);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : "";
}

// Vectors published with the spec and repeated in Zeek's community_id_v1 test
// (testing/btest/bifs/community_id_v1) and other implementations.
TEST(CommunityId, PublishedVectorsSeed0) {
  EXPECT_EQ(Id("1.2.3.4", "5.6.7.8", 6, 1122, 3344), "1:wCb3OG7yAFWelaUydu0D+125CLM=");
  EXPECT_EQ(Id("1.2.3.4", "5.6.7.8", 17, 1122, 3344), "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=");
  EXPECT_EQ(Id("1.2.3.4", "5.6.7.8", 1, 8, 0), "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=");
  EXPECT_EQ(Id("fe80:1:203:405:607:809:a0b:c0d", "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 58,
               128, 0),
            "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=");
  // A protocol without ports (RSVP, 46).
  EXPECT_EQ(Id("1.2.3.4", "5.6.7.8", 46, 0, 0), "1:ikv3kmf89luf73WPz1jOs49S768=");
}

TEST(CommunityId, PublishedVectorsSeed1) {
  EXPECT_EQ(Id("1.2.3.4", "5.6.7.8", 6, 1122, 3344, 1), "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=");
  EXPECT_EQ(Id("1.2.3.4", "5.6.7.8", 17, 1122, 3344, 1), "1:OShq+iKDAMVouh/4bMxB9Sz4amw=");
  EXPECT_EQ(Id("1.2.3.4", "5.6.7.8", 1, 8, 0, 1), "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=");
  EXPECT_EQ(Id("fe80:1:203:405:607:809:a0b:c0d", "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 58,
               128, 0, 1),
            "1:IO27GQzPuCtNnwFvjWALMHu5tJE=");
}

TEST(CommunityId, BothDirectionsGiveTheSameId) {
  EXPECT_EQ(Id("5.6.7.8", "1.2.3.4", 6, 3344, 1122), "1:wCb3OG7yAFWelaUydu0D+125CLM=");
  EXPECT_EQ(Id("5.6.7.8", "1.2.3.4", 17, 3344, 1122), "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=");
  // Echo reply from the responder maps onto the request.
  EXPECT_EQ(Id("5.6.7.8", "1.2.3.4", 1, 0, 0), "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=");
  EXPECT_EQ(Id("fe80:1011:1213:1415:1617:1819:1a1b:1c1d", "fe80:1:203:405:607:809:a0b:c0d", 58,
               129, 0),
            "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=");
  // Same address both ends: the smaller port goes first.
  EXPECT_EQ(Id("10.0.0.1", "10.0.0.1", 6, 80, 5000), Id("10.0.0.1", "10.0.0.1", 6, 5000, 80));
}

TEST(CommunityId, OneWayIcmpIsNotReordered) {
  // Destination unreachable (3) has no counterpart: hashed as (type, code) in the given order,
  // so the two directions differ.
  EXPECT_NE(Id("5.6.7.8", "1.2.3.4", 1, 3, 1), Id("1.2.3.4", "5.6.7.8", 1, 3, 1));
  // And the code matters for one-way types.
  EXPECT_NE(Id("5.6.7.8", "1.2.3.4", 1, 3, 1), Id("5.6.7.8", "1.2.3.4", 1, 3, 3));
}

TEST(CommunityId, MixedFamiliesFail) {
  char buf[kCommunityIdLength];
  EXPECT_FALSE(CommunityIdV1(Ip("1.2.3.4"), Ip("::1"), 6, 1, 2, 0, buf).ok());
  EXPECT_FALSE(CommunityIdV1(IpAddress{}, IpAddress{}, 6, 1, 2, 0, buf).ok());
}

}  // namespace
}  // namespace vigil
