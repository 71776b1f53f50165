#include "core/time.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(TimeTest, FormatsLikeSuricata) {
  Timestamp t = Timestamp::FromTimeval(1259097429, 534255);  // 2009-11-24 21:17:09.534255 UTC
  EXPECT_EQ(t.ToEve(), "2009-11-24T21:17:09.534255+0000");
  EXPECT_EQ(Timestamp{}.ToEve(), "1970-01-01T00:00:00.000000+0000");
  EXPECT_EQ(Timestamp::FromSeconds(951782400).ToEve(), "2000-02-29T00:00:00.000000+0000");
}

TEST(TimeTest, ParsesEveAndRfc3339) {
  auto a = Timestamp::Parse("2009-11-24T21:17:09.534255+0000");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(*a, Timestamp::FromTimeval(1259097429, 534255));
  auto z = Timestamp::Parse("2009-11-24T21:17:09Z");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->seconds(), 1259097429);
  auto off = Timestamp::Parse("2009-11-24T22:17:09.5+01:00");
  ASSERT_TRUE(off);
  EXPECT_EQ(off->ns, Timestamp::FromTimeval(1259097429, 500000).ns);
}

TEST(TimeTest, RejectsGarbage) {
  EXPECT_FALSE(Timestamp::Parse(""));
  EXPECT_FALSE(Timestamp::Parse("yesterday"));
  EXPECT_FALSE(Timestamp::Parse("2009-13-24T21:17:09Z"));
  EXPECT_FALSE(Timestamp::Parse("2009-11-24T21:17:09Zjunk"));
  EXPECT_FALSE(Timestamp::Parse("2009-11-24T21:17:09."));
}

TEST(TimeTest, RoundTrips) {
  for (int64_t s : {0LL, 1LL, 86399LL, 1700000000LL, 4102444800LL}) {
    Timestamp t = Timestamp::FromTimeval(s, 123456);
    auto back = Timestamp::Parse(t.ToEve());
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, t);
  }
}

TEST(TimeTest, ManualClockAdvances) {
  ManualClock c(Timestamp::FromSeconds(10));
  c.Advance(kNanosPerSecond);
  EXPECT_EQ(c.Now().seconds(), 11);
}

}  // namespace
}  // namespace vigil
