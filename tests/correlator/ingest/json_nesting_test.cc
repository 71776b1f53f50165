// CheckJsonNesting: results on hand-made cases at the 16-byte chunk edges, and the same result as
// the byte loop on many generated texts.
#include "correlator/ingest/json_nesting.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace vigil::correlator {
namespace {

NestingResult Check(std::string_view s, uint32_t depth = 8) {
  std::string stack;
  const NestingResult fast = CheckJsonNesting(s, depth, &stack);
  EXPECT_EQ(fast, CheckJsonNestingBytewise(s, depth, &stack)) << s;
  return fast;
}

TEST(JsonNesting, BalancedAndUnbalanced) {
  EXPECT_EQ(Check(R"({"a":[1,{"b":"c"}],"d":{}})"), NestingResult::kOk);
  EXPECT_EQ(Check(""), NestingResult::kOk);
  EXPECT_EQ(Check("{"), NestingResult::kUnbalanced);
  EXPECT_EQ(Check("}"), NestingResult::kUnbalanced);
  EXPECT_EQ(Check("{]"), NestingResult::kUnbalanced);
  EXPECT_EQ(Check(R"({"a":"unterminated})"), NestingResult::kUnbalanced);
  EXPECT_EQ(Check(R"({"a":"x\"}"})"), NestingResult::kOk);       // escaped quote inside a string
  EXPECT_EQ(Check(R"({"a":"x\\"})"), NestingResult::kOk);        // escaped backslash ends before the quote
  EXPECT_EQ(Check(R"({"a":"[{[{"})"), NestingResult::kOk);       // brackets in strings do not count
  EXPECT_EQ(Check(R"({"a":"x\)"), NestingResult::kUnbalanced);   // backslash as the last byte
}

TEST(JsonNesting, DepthBound) {
  EXPECT_EQ(Check("[[[[]]]]", 4), NestingResult::kOk);
  EXPECT_EQ(Check("[[[[[]]]]]", 4), NestingResult::kTooDeep);
  // The first error found in text order decides: too deep before the later mismatch.
  EXPECT_EQ(Check("[[[[[}", 4), NestingResult::kTooDeep);
  EXPECT_EQ(Check("[}[[[[", 4), NestingResult::kUnbalanced);
}

TEST(JsonNesting, EscapesAndQuotesAtChunkEdges) {
  // Move a backslash-quote pair, a bracket and a string's end across every offset of two chunks.
  for (size_t pad = 0; pad < 40; ++pad) {
    const std::string p(pad, ' ');
    EXPECT_EQ(Check("{\"k\":\"" + p + "\\\"]\"}"), NestingResult::kOk) << pad;
    EXPECT_EQ(Check("{\"k\":\"" + p + "\\\\\"]}"), NestingResult::kUnbalanced) << pad;
    EXPECT_EQ(Check("[" + p + "\"]\"" + p + "]"), NestingResult::kOk) << pad;
    EXPECT_EQ(Check("[" + p + "\"" + p + "]"), NestingResult::kUnbalanced) << pad;
  }
}

TEST(JsonNesting, SameAsByteLoopOnGeneratedTexts) {
  std::mt19937 rng(11);
  static constexpr char kAlphabet[] = "{}[]\"\\ a:,";
  std::string s;
  for (int n = 0; n < 20000; ++n) {
    s.resize(rng() % 80);
    for (char& c : s) c = kAlphabet[rng() % (sizeof kAlphabet - 1)];
    Check(s, 1 + rng() % 6);
  }
}

}  // namespace
}  // namespace vigil::correlator
