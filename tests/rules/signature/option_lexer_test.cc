// The option splitter and the shared value helpers.
#include <gtest/gtest.h>

#include "rules/signature/integer_match.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

TEST(OptionLexer, SplitsKeysValuesAndOffsets) {
  std::string_view rule = R"(alert ip any any -> any any (msg:"a\;b"; nocase; content:"x|3b|";  sid: 7 ;))";
  size_t open = rule.find('(');
  std::vector<RawOption> opts;
  RuleError err;
  ASSERT_TRUE(SplitOptions(rule, open, &opts, &err)) << err.message;
  ASSERT_EQ(opts.size(), 4u);
  EXPECT_EQ(opts[0].key, "msg");
  EXPECT_EQ(opts[0].value, R"("a\;b")");
  EXPECT_EQ(opts[0].key_offset, open + 1);
  EXPECT_EQ(rule.substr(opts[0].value_offset, 1), "\"");
  EXPECT_EQ(opts[1].key, "nocase");
  EXPECT_FALSE(opts[1].has_value);
  EXPECT_EQ(opts[2].value, R"("x|3b|")");
  EXPECT_EQ(opts[3].key, "sid");
  EXPECT_EQ(opts[3].value, "7");
}

TEST(OptionLexer, ParenthesesInsideValuesDoNotCloseTheRule) {
  std::string_view rule = R"(x (pcre:"/(a|b)\)/"; sid:1;) )";
  std::vector<RawOption> opts;
  RuleError err;
  ASSERT_TRUE(SplitOptions(rule, 2, &opts, &err)) << err.message;
  ASSERT_EQ(opts.size(), 2u);
  EXPECT_EQ(opts[0].value, R"("/(a|b)\)/")");
}

TEST(OptionLexer, Errors) {
  std::vector<RawOption> opts;
  RuleError err;
  std::string_view missing_semi = "x (msg:\"a\"; sid:1)";
  EXPECT_FALSE(SplitOptions(missing_semi, 2, &opts, &err));
  EXPECT_NE(err.message.find("not terminated by ';'"), std::string::npos);
  EXPECT_EQ(err.offset, missing_semi.find("sid"));

  std::string_view unclosed = "x (msg:\"a\"; sid:1;";
  EXPECT_FALSE(SplitOptions(unclosed, 2, &opts, &err));
  EXPECT_NE(err.message.find("not closed"), std::string::npos);

  std::string_view trailing = "x (sid:1;) junk";
  EXPECT_FALSE(SplitOptions(trailing, 2, &opts, &err));
  EXPECT_EQ(err.offset, trailing.find("junk"));

  std::string_view bad_key = "x (s#d:1;)";
  EXPECT_FALSE(SplitOptions(bad_key, 2, &opts, &err));
  EXPECT_NE(err.message.find("invalid keyword"), std::string::npos);

  std::string_view empty = "x (sid:1;;)";
  EXPECT_FALSE(SplitOptions(empty, 2, &opts, &err));
  EXPECT_NE(err.message.find("empty option"), std::string::npos);

  // An unescaped ';' inside quotes ends the option, as in Suricata; what remains (`b"`) is not
  // a keyword.
  std::string_view quoted_semi = "x (msg:\"a;b\"; sid:1;)";
  EXPECT_FALSE(SplitOptions(quoted_semi, 2, &opts, &err));
  EXPECT_NE(err.message.find("invalid keyword name 'b\"'"), std::string::npos) << err.message;
}

TEST(OptionLexer, UnquoteString) {
  EXPECT_EQ(*UnquoteString(R"("a\"b\;c\\d\:e")"), R"(a"b;c\d:e)");
  EXPECT_EQ(*UnquoteString(R"("keep \x41")"), R"(keep \x41)");
  EXPECT_FALSE(UnquoteString("noquotes").ok());
  EXPECT_FALSE(UnquoteString(R"("a"b")").ok());
}

TEST(IntegerMatch, Forms) {
  auto m = [](const char* s) { return *ParseIntegerMatch(s, 65535); };
  EXPECT_TRUE(m("5").Matches(5));
  EXPECT_FALSE(m("5").Matches(6));
  EXPECT_TRUE(m("=5").Matches(5));
  EXPECT_TRUE(m("!5").Matches(6));
  EXPECT_FALSE(m("!5").Matches(5));
  EXPECT_TRUE(m("<5").Matches(4));
  EXPECT_FALSE(m("<5").Matches(5));
  EXPECT_TRUE(m("<=5").Matches(5));
  EXPECT_TRUE(m(">5").Matches(6));
  EXPECT_FALSE(m(">5").Matches(5));
  EXPECT_TRUE(m(">=5").Matches(5));
  EXPECT_TRUE(m("10<>20").Matches(11));
  EXPECT_FALSE(m("10<>20").Matches(10)) << "ranges are exclusive";
  EXPECT_FALSE(m("10<>20").Matches(20));
  EXPECT_TRUE(m("10-20").Matches(19));
  EXPECT_TRUE(m("!10-20").Matches(10));
  EXPECT_FALSE(m("!10-20").Matches(15));
  EXPECT_TRUE(m(" > 3 ").Matches(4));
  EXPECT_EQ(m("10<>20").ToString(), "10<>20");
  EXPECT_FALSE(ParseIntegerMatch("20<>10", 65535).ok());
  EXPECT_FALSE(ParseIntegerMatch("70000", 65535).ok());
  EXPECT_FALSE(ParseIntegerMatch("abc", 65535).ok());
  EXPECT_FALSE(ParseIntegerMatch("", 65535).ok());
  EXPECT_FALSE(ParseIntegerMatch("<0", 65535).ok());
  EXPECT_FALSE(ParseIntegerMatch("!>5", 65535).ok());
  EXPECT_FALSE(ParseIntegerMatch("5x", 65535).ok());
}

}  // namespace
}  // namespace vigil::rules
