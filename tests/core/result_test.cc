#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace vigil {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return Error(ErrorCode::kInvalidArgument, "must be positive, got " + std::to_string(v));
  return v;
}

Result<int> Doubled(int v) {
  VIGIL_TRY(int x, ParsePositive(v));
  return x * 2;
}

Status CheckBoth(int a, int b) {
  VIGIL_CHECK_OK(ParsePositive(a).ok() ? Ok() : Status(Error(ErrorCode::kParse, "a")));
  if (b < 0) return Error(ErrorCode::kLimit, "b");
  return Ok();
}

TEST(ResultTest, HoldsValue) {
  auto r = ParsePositive(3);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 3);
  EXPECT_EQ(r.value_or(9), 3);
}

TEST(ResultTest, HoldsErrorWithMessage) {
  auto r = ParsePositive(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "must be positive, got -1");
  EXPECT_EQ(r.error().ToString(), "invalid argument: must be positive, got -1");
  EXPECT_EQ(r.value_or(9), 9);
}

TEST(ResultTest, TryPropagates) {
  EXPECT_EQ(*Doubled(4), 8);
  auto bad = Doubled(0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(ResultTest, StatusPropagates) {
  EXPECT_TRUE(CheckBoth(1, 1).ok());
  EXPECT_EQ(CheckBoth(0, 1).error().code, ErrorCode::kParse);
  EXPECT_EQ(CheckBoth(1, -1).error().code, ErrorCode::kLimit);
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(ResultTest, EveryCodeHasAName) {
  for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
    EXPECT_STRNE(ErrorCodeName(static_cast<ErrorCode>(c)), "unknown error");
  }
}

}  // namespace
}  // namespace vigil
