// content: pattern decoding and modifiers.
#include <gtest/gtest.h>

#include "rules/signature/content_option.h"

namespace vigil::rules {
namespace {

TEST(ContentOption, DecodesHexAndEscapes) {
  EXPECT_EQ(ParseContent(R"("GET /")")->pattern, "GET /");
  EXPECT_EQ(ParseContent(R"("a|3b 3A|b")")->pattern, "a;:b");
  EXPECT_EQ(ParseContent(R"("|00 01|")")->pattern, std::string("\x00\x01", 2));
  EXPECT_EQ(ParseContent(R"("|0001ff|")")->pattern, std::string("\x00\x01\xff", 3));
  EXPECT_EQ(ParseContent(R"("|3 a20|")")->pattern, ": ") << "Suricata skips blanks anywhere in hex";
  EXPECT_EQ(ParseContent(R"("q\"\;\:\\z")")->pattern, "q\";:\\z");
  auto neg = ParseContent(R"(!"Referer")");
  ASSERT_TRUE(neg.ok());
  EXPECT_TRUE(neg->negated);
  EXPECT_EQ(neg->pattern, "Referer");
  EXPECT_TRUE(ParseContent(R"(! "x")")->negated);
}

TEST(ContentOption, RejectsMalformedPatterns) {
  auto err = [](const char* v) {
    auto r = ParseContent(v);
    EXPECT_FALSE(r.ok()) << v;
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_NE(err(R"("|0d 0|")").find("odd number of hex digits"), std::string::npos);
  EXPECT_NE(err(R"("|0g|")").find("invalid character 'g'"), std::string::npos);
  EXPECT_NE(err(R"("|0d 0a")").find("unterminated"), std::string::npos);
  EXPECT_NE(err(R"("a\x41")").find("invalid escape"), std::string::npos);
  EXPECT_NE(err(R"("")").find("empty"), std::string::npos);
  EXPECT_NE(err("noquotes").find("double quotes"), std::string::npos);
  EXPECT_NE(err(R"("a"b")").find("unescaped"), std::string::npos);
  EXPECT_FALSE(err(R"("abc\")").empty());
}

TEST(ContentOption, Modifiers) {
  ContentMatch c = *ParseContent(R"("abcd")");
  ASSERT_TRUE(ApplyContentModifier(&c, "nocase", "", false).ok());
  ASSERT_TRUE(ApplyContentModifier(&c, "offset", "2", true).ok());
  ASSERT_TRUE(ApplyContentModifier(&c, "depth", "10", true).ok());
  ASSERT_TRUE(ApplyContentModifier(&c, "fast_pattern", "1,2", true).ok());
  EXPECT_TRUE(c.nocase);
  EXPECT_EQ(c.offset->value, 2);
  EXPECT_EQ(c.depth->value, 10);
  EXPECT_EQ(c.fast_pattern, FastPatternMode::kPartial);
  EXPECT_EQ(c.fast_pattern_offset, 1);
  EXPECT_EQ(c.fast_pattern_length, 2);
  EXPECT_FALSE(c.relative());

  ContentMatch r = *ParseContent(R"("xy")");
  ASSERT_TRUE(ApplyContentModifier(&r, "distance", "-3", true).ok());
  ASSERT_TRUE(ApplyContentModifier(&r, "within", "var_len", true).ok());
  ASSERT_TRUE(ApplyContentModifier(&r, "fast_pattern", "only", true).ok());
  ASSERT_TRUE(ApplyContentModifier(&r, "endswith", "", false).ok());
  EXPECT_EQ(r.distance->value, -3);
  EXPECT_EQ(r.within->var, "var_len");
  EXPECT_EQ(r.fast_pattern, FastPatternMode::kOnly);
  EXPECT_TRUE(r.relative());
  EXPECT_TRUE(r.endswith);

  ContentMatch s = *ParseContent(R"("GET")");
  ASSERT_TRUE(ApplyContentModifier(&s, "startswith", "", false).ok());
  ASSERT_TRUE(ApplyContentModifier(&s, "endswith", "", false).ok());
  ASSERT_TRUE(ApplyContentModifier(&s, "fast_pattern", "", false).ok());
  EXPECT_EQ(s.fast_pattern, FastPatternMode::kChosen);
}

TEST(ContentOption, ModifierConflicts) {
  auto fails = [](std::initializer_list<std::pair<const char*, const char*>> mods, const char* needle) {
    ContentMatch c = *ParseContent(R"("abcd")");
    Status last;
    for (auto [k, v] : mods) {
      last = ApplyContentModifier(&c, k, v ? v : "", v != nullptr);
      if (!last) break;
    }
    ASSERT_FALSE(last.ok()) << needle;
    EXPECT_NE(last.error().message.find(needle), std::string::npos) << last.error().message;
  };
  fails({{"depth", "2"}}, "smaller than the content length");
  fails({{"within", "3"}}, "smaller than the content length");
  fails({{"depth", "0"}}, "at least 1");
  fails({{"depth", "10"}, {"distance", "0"}}, "can't mix");
  fails({{"within", "10"}, {"offset", "1"}}, "can't mix");
  fails({{"nocase", nullptr}, {"nocase", nullptr}}, "repeated");
  fails({{"depth", "5"}, {"depth", "6"}}, "repeated");
  fails({{"startswith", nullptr}, {"offset", "1"}}, "startswith");
  fails({{"distance", "0"}, {"startswith", nullptr}}, "startswith");
  fails({{"fast_pattern", "3,5"}}, "past the end");
  fails({{"fast_pattern", "only,1"}}, "not a number");
  fails({{"fast_pattern", "1"}}, "fast_pattern takes");
  fails({{"nocase", "1"}}, "takes no value");
  fails({{"offset", nullptr}}, "needs a value");
  fails({{"offset", "-1"}}, "outside");
  fails({{"distance", "abc def"}}, "invalid variable");
}

}  // namespace
}  // namespace vigil::rules
