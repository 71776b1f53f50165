#include "transport/control_message.h"

#include <gtest/gtest.h>

namespace vigil::transport {
namespace {

TEST(ControlMessage, RoundTrip) {
  ControlMessage m{ControlKind::kIndicatorList, 7, "ioc-list-3", std::string("a\0b\nc", 5)};
  std::string wire;
  ASSERT_TRUE(EncodeControlPayload(m, &wire).ok());
  auto v = ParseControlPayload(wire);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->kind, ControlKind::kIndicatorList);
  EXPECT_EQ(v->version, 7u);
  EXPECT_EQ(v->bundle_id, "ioc-list-3");
  EXPECT_EQ(v->body, m.body);
  EXPECT_STREQ(ControlKindName(v->kind), "indicator_list");
}

TEST(ControlMessage, EncoderRefusesBadIdsAndKinds) {
  std::string wire;
  EXPECT_FALSE(EncodeControlPayload({ControlKind::kRuleBundle, 1, "", "x"}, &wire).ok());
  EXPECT_FALSE(EncodeControlPayload({ControlKind::kRuleBundle, 1, "has space", "x"}, &wire).ok());
  EXPECT_FALSE(EncodeControlPayload({ControlKind::kRuleBundle, 1, std::string(kMaxBundleIdBytes + 1, 'a'), ""}, &wire).ok());
  EXPECT_FALSE(EncodeControlPayload({static_cast<ControlKind>(9), 1, "id", ""}, &wire).ok());
}

TEST(ControlMessage, ParserRejectsEveryMalformation) {
  std::string good;
  ASSERT_TRUE(EncodeControlPayload({ControlKind::kRuleBundle, 3, "rules", "body"}, &good).ok());
  // Every truncation inside the header or the id fails; the body may be empty.
  for (size_t n = 0; n < kControlHeaderSize + 5; ++n) {
    EXPECT_FALSE(ParseControlPayload(good.substr(0, n)).ok()) << n;
  }
  EXPECT_TRUE(ParseControlPayload(good.substr(0, kControlHeaderSize + 5)).ok());
  std::string bad = good;
  bad[0] = 2;  // unknown format
  EXPECT_FALSE(ParseControlPayload(bad).ok());
  bad = good;
  bad[1] = 0;  // unknown kind
  EXPECT_FALSE(ParseControlPayload(bad).ok());
  bad = good;
  bad[2] = static_cast<char>(0xff);  // id longer than the payload
  EXPECT_FALSE(ParseControlPayload(bad).ok());
  bad = good;
  bad[kControlHeaderSize] = '\n';  // non-printable id
  EXPECT_FALSE(ParseControlPayload(bad).ok());
}

}  // namespace
}  // namespace vigil::transport
