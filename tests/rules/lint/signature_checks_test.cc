// Every signature check fires on a crafted rule and stays quiet on a good one, with the engine's
// own fast pattern choice as the probe.
#include <gtest/gtest.h>

#include <string>

#include "rules/lint/finding.h"
#include "tests/rules/lint/lint_test_util.h"

namespace vigil::rules::lint {
namespace {

using testing::Dump;
using testing::LintText;
using testing::WithCode;

std::string Rule(const std::string& options, const std::string& header = "alert tcp any any -> any any") {
  return header + " (msg:\"t\"; " + options + " sid:1000001; rev:1;)\n";
}

struct Case {
  const char* name;
  Code code;
  std::string bad;
  std::string good;
};

class CheckFires : public ::testing::TestWithParam<Case> {};

TEST_P(CheckFires, OnTheBadRuleOnly) {
  const Case& c = GetParam();
  const LintResult bad = LintText(c.bad);
  EXPECT_EQ(WithCode(bad, c.code).size(), 1u) << c.bad << Dump(bad);
  const LintResult good = LintText(c.good);
  EXPECT_TRUE(WithCode(good, c.code).empty()) << c.good << Dump(good);
  EXPECT_EQ(good.stats.signature_rules, 1u);
}

const Case kCases[] = {
    {"ParseError", Code::kParseError, Rule("content:\"abc\"; depth:2;"), Rule("content:\"abc\"; depth:3;")},
    {"UnknownVariable", Code::kUnknownVariable, Rule("content:\"abcd\";", "alert tcp $NO_SUCH_NET any -> any any"),
     Rule("content:\"abcd\";", "alert tcp $HOME_NET any -> any any")},
    {"PcreDoesNotCompile", Code::kPcreError, Rule("content:\"abcd\"; pcre:\"/a(b/\";"),
     Rule("content:\"abcd\"; pcre:\"/a(b)/\";")},
    {"Unsupported", Code::kUnsupported, Rule("content:\"abcd\"; asn1:oversize_length 100;"),
     Rule("content:\"abcd\";")},
    {"NoFastPatternHeaderOnly", Code::kNoFastPattern, Rule("flags:S;"), Rule("flags:S; content:\"abcd\";")},
    {"NoFastPatternOnlyPcre", Code::kNoFastPattern, Rule("pcre:\"/ab+c/\";"), Rule("content:\"abc\"; pcre:\"/ab+c/\";")},
    {"NoFastPatternOnlyNegated", Code::kNoFastPattern, Rule("content:!\"abcd\";"),
     Rule("content:!\"abcd\"; content:\"efgh\";")},
    {"ShortFastPattern", Code::kShortFastPattern, Rule("content:\"ab\";"), Rule("content:\"abc\";")},
    {"ShortExplicitFastPattern", Code::kShortFastPattern, Rule("content:\"ab\"; fast_pattern; content:\"longer\";"),
     Rule("content:\"ab\"; content:\"longer\";")},
    {"DsizeVsContent", Code::kDsizeConflict, Rule("dsize:<10; content:\"0123456789abcdefghij\";"),
     Rule("dsize:<21; content:\"0123456789abcdefghij\";")},
    {"DsizeVsOffset", Code::kDsizeConflict, Rule("dsize:20; content:\"abcd\"; offset:17;"),
     Rule("dsize:20; content:\"abcd\"; offset:16;")},
    {"DsizeVsDistance", Code::kDsizeConflict, Rule("dsize:<18; content:\"abcd\"; content:\"efgh\"; distance:10;"),
     Rule("dsize:<19; content:\"abcd\"; content:\"efgh\"; distance:10;")},
    {"DsizeVsIsdataat", Code::kDsizeConflict, Rule("content:\"abcd\"; dsize:<50; isdataat:60;"),
     Rule("content:\"abcd\"; dsize:<50; isdataat:48;")},
    {"DsizeEmptyRange", Code::kDsizeConflict, Rule("content:\"abcd\"; dsize:5<>6;"), Rule("content:\"abcd\"; dsize:5<>7;")},
    {"BsizeVsContent", Code::kBsizeConflict,
     Rule("http.uri; content:\"/abcdef\"; bsize:6;", "alert http any any -> any any"),
     Rule("http.uri; content:\"/abcdef\"; bsize:7;", "alert http any any -> any any")},
    {"UrilenVsContent", Code::kUrilenConflict,
     Rule("urilen:<5; http.uri; content:\"/abcdefgh\";", "alert http any any -> any any"),
     Rule("urilen:<5; http.uri.raw; content:\"/abcdefgh\";", "alert http any any -> any any")},
    {"IsdataatNegatedVsContent", Code::kIsdataatConflict, Rule("content:\"abcdef\"; isdataat:!4;"),
     Rule("content:\"abcdef\"; isdataat:!6;")},
    {"ContentAfterEndswith", Code::kAfterEndswith,
     Rule("http.uri; content:\"/a.php\"; endswith; content:\"x=\"; distance:0;", "alert http any any -> any any"),
     Rule("http.uri; content:\"/a.php\"; endswith; content:\".php\"; distance:-4;", "alert http any any -> any any")},
    {"IsdataatAfterEndswith", Code::kAfterEndswith, Rule("content:\"abcd\"; endswith; isdataat:2,relative;"),
     Rule("content:\"abcd\"; endswith; isdataat:!2,relative;")},
    {"FlowToServerResponseBuffer", Code::kFlowConflict,
     Rule("flow:established,to_server; http.stat_code; content:\"200\";", "alert http any any -> any any"),
     Rule("flow:established,to_client; http.stat_code; content:\"200\";", "alert http any any -> any any")},
    {"FlowToClientRequestBuffer", Code::kFlowConflict,
     Rule("flow:established,to_client; http.uri; content:\"/x.php\";", "alert http any any -> any any"),
     Rule("flow:established,to_client; http.uri; content:\"/x.php\"; http.stat_code; content:\"200\";",
          "alert http any any -> any any")},
    {"UnknownClasstype", Code::kUnknownClasstype, Rule("content:\"abcd\"; classtype:no-such-class;"),
     Rule("content:\"abcd\"; classtype:trojan-activity;")},
    {"LegacyUricontent", Code::kLegacySyntax, Rule("uricontent:\"/abcd\";", "alert http any any -> any any"),
     Rule("http.uri; content:\"/abcd\";", "alert http any any -> any any")},
    {"LegacyModifierOncePerRule", Code::kLegacySyntax,
     Rule("content:\"/abcd\"; http_uri; content:\"efgh\"; http_uri;", "alert http any any -> any any"),
     Rule("http.uri; content:\"/abcd\"; content:\"efgh\";", "alert http any any -> any any")},
    {"LegacyPcreFlag", Code::kLegacySyntax, Rule("content:\"/abcd\"; pcre:\"/a+b/Ui\";", "alert http any any -> any any"),
     Rule("http.uri; content:\"/abcd\"; pcre:\"/a+b/i\";", "alert http any any -> any any")},
};

INSTANTIATE_TEST_SUITE_P(Lint, CheckFires, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

TEST(SignatureChecks, ATypicalGoodRuleHasNoFindings) {
  const LintResult r = LintText(
      "alert http $HOME_NET any -> $EXTERNAL_NET any (msg:\"ET MALWARE x\"; flow:established,to_server; "
      "http.method; content:\"POST\"; http.uri; content:\"/gate.php\"; fast_pattern; endswith; "
      "http.user_agent; content:\"Mozilla\"; classtype:trojan-activity; sid:2000001; rev:2;)\n");
  EXPECT_TRUE(r.findings.empty()) << Dump(r);
  EXPECT_EQ(r.stats.signature_loaded, 1u);
}

TEST(SignatureChecks, AddressIndexedHeaderOnlyRuleIsNotAlwaysChecked) {
  const LintResult r = LintText(Rule("", "alert ip [192.0.2.1,198.51.100.0/24] any -> $HOME_NET any"));
  EXPECT_TRUE(WithCode(r, Code::kNoFastPattern).empty()) << Dump(r);
}

TEST(SignatureChecks, ErrorsCarryFileLineColumnAndSid) {
  const LintResult r = LintText("# comment\n" + Rule("content:\"abc\"; depth:2;"));
  ASSERT_EQ(r.findings.size(), 1u) << Dump(r);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.file, "t.rules");
  EXPECT_EQ(f.line, 2u);
  EXPECT_GT(f.column, 40u);  // at the depth keyword, not the rule start
  EXPECT_EQ(f.sid, 1000001u);
  EXPECT_EQ(f.severity(), Severity::kError);
  EXPECT_EQ(r.stats.signature_errors, 1u);
  EXPECT_NE(f.ToString().find("t.rules:2:"), std::string::npos);
}

TEST(SignatureChecks, ContinuationLinesPointAtThePhysicalLine) {
  const LintResult r = LintText("alert tcp any any -> any any (msg:\"t\"; \\\n  content:\"ab\"; sid:7;)\n");
  const auto f = WithCode(r, Code::kShortFastPattern);
  ASSERT_EQ(f.size(), 1u) << Dump(r);
  EXPECT_EQ(f[0]->line, 2u);
  EXPECT_EQ(f[0]->column, 3u);
}

TEST(SignatureChecks, UnknownVariableGoesAwayWhenDefined) {
  RuleVariables vars = RuleVariables::SuricataDefaults();
  vars.SetAddress("LAB_NET", "[10.9.0.0/16]");
  const std::string rule = Rule("content:\"abcd\";", "alert tcp $LAB_NET any -> any any");
  EXPECT_EQ(WithCode(LintText(rule), Code::kUnknownVariable).size(), 1u);
  EXPECT_TRUE(LintText(rule, vars).findings.empty());
}

TEST(SignatureChecks, DuplicateSidAcrossFilesNamesBothPlaces) {
  SignatureLintConfig cfg;
  cfg.probe = testing::EngineProbe();
  SignatureLinter linter(RuleVariables::SuricataDefaults(), cfg);
  LintResult r;
  linter.LintString(Rule("content:\"abcd\";"), "a.rules", &r);
  linter.LintString("\n" + Rule("content:\"efgh\";"), "b.rules", &r);
  const auto d = WithCode(r, Code::kDuplicateSid);
  ASSERT_EQ(d.size(), 1u) << Dump(r);
  EXPECT_EQ(d[0]->file, "b.rules");
  EXPECT_EQ(d[0]->line, 2u);
  EXPECT_NE(d[0]->message.find("a.rules:1"), std::string::npos) << d[0]->message;
  // A different gid is a different rule.
  LintResult r2;
  SignatureLinter l2(RuleVariables::SuricataDefaults(), cfg);
  l2.LintString(Rule("content:\"abcd\";") + Rule("content:\"efgh\"; gid:3;"), "c.rules", &r2);
  EXPECT_TRUE(WithCode(r2, Code::kDuplicateSid).empty()) << Dump(r2);
}

TEST(SignatureChecks, ShortPatternAdviceNamesTheLongerContent) {
  const LintResult r = LintText(Rule("content:\"ab\"; fast_pattern; content:\"much-longer\";"));
  const auto f = WithCode(r, Code::kShortFastPattern);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("much-longer"), std::string::npos) << f[0]->message;
  EXPECT_EQ(f[0]->topic, "2-byte pattern (explicit fast_pattern)");
}

TEST(SignatureChecks, NoFastPatternSaysWhy) {
  EXPECT_EQ(WithCode(LintText(Rule("pcre:\"/ab+c/\";")), Code::kNoFastPattern)[0]->topic, "only pcre");
  EXPECT_EQ(WithCode(LintText(Rule("content:!\"abcd\";")), Code::kNoFastPattern)[0]->topic, "only negated contents");
  EXPECT_EQ(WithCode(LintText(Rule("flags:S;")), Code::kNoFastPattern)[0]->topic, "header checks only");
  EXPECT_EQ(WithCode(LintText(Rule("dataset:isset,s,type string;")), Code::kNoFastPattern)[0]->topic,
            "only dataset lookups");
}

TEST(SignatureChecks, WithoutAProbeThePrefilterChecksAreOff) {
  SignatureLinter linter(RuleVariables::SuricataDefaults(), SignatureLintConfig{});
  LintResult r;
  linter.LintString(Rule("content:\"ab\";"), "t.rules", &r);
  EXPECT_TRUE(r.findings.empty()) << Dump(r);
}

TEST(SignatureChecks, ThresholdEntriesForUnknownRules) {
  SignatureLinter linter(RuleVariables::SuricataDefaults(), SignatureLintConfig{});
  LintResult r;
  linter.LintString(Rule("content:\"abcd\";"), "t.rules", &r);
  auto th = ThresholdConfig::Parse(
      "suppress gen_id 1, sig_id 1000001\nsuppress gen_id 1, sig_id 4242\nsuppress gen_id 0, sig_id 0\n",
      "threshold.config", RuleVariables::SuricataDefaults());
  ASSERT_TRUE(th.ok()) << th.error().message;
  linter.CheckThresholds(*th, "threshold.config", &r);
  const auto f = WithCode(r, Code::kThresholdUnknownSid);
  ASSERT_EQ(f.size(), 1u) << Dump(r);
  EXPECT_EQ(f[0]->sid, 4242u);
  EXPECT_EQ(f[0]->line, 2u);
}

TEST(SignatureChecks, GarbageNeverCrashesAndIsCounted) {
  const std::string junk = "alert\nalert tcp\n(((\n\\\n" + std::string("\xff\x00\x01", 3) + "\nalert tcp any any -> any any (";
  const LintResult r = LintText(junk);
  EXPECT_EQ(r.stats.signature_rules, r.stats.signature_loaded + r.stats.signature_skipped + r.stats.signature_errors);
  EXPECT_GT(r.stats.signature_errors, 0u);
}

}  // namespace
}  // namespace vigil::rules::lint
