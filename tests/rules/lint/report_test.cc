// The report (text and JSON), the code table, file classification, pattern text and the
// correlation linter.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "rules/lint/correlation_linter.h"
#include "rules/lint/lint_report.h"
#include "rules/lint/pattern_text.h"
#include "rules/lint/rule_file_kind.h"
#include "tests/rules/lint/lint_test_util.h"

namespace vigil::rules::lint {
namespace {

namespace fs = std::filesystem;
using testing::Dump;
using testing::LintText;
using testing::WithCode;

TEST(CodeTable, IsIndexedByCodeWithUniqueNames) {
  std::set<std::string_view> names;
  for (size_t i = 0; i < AllCodes().size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(AllCodes()[i].code), i);
    EXPECT_TRUE(names.insert(AllCodes()[i].name).second) << AllCodes()[i].name;
  }
  EXPECT_EQ(AllCodes().size(), static_cast<size_t>(Code::kCount));
  Severity s;
  EXPECT_TRUE(ParseSeverity("info", &s));
  EXPECT_EQ(s, Severity::kInfo);
  EXPECT_FALSE(ParseSeverity("loud", &s));
}

TEST(PatternText, EscapesBinaryAndSpecialBytes) {
  EXPECT_EQ(PatternText("GET\r\n"), "GET|0d 0a|");
  EXPECT_EQ(PatternText("a\"b"), "a|22|b");
  EXPECT_EQ(PatternText(std::string(50, 'x'), 4), "xxxx...");
}

TEST(RuleFileKind, ByExtensionThenContent) {
  EXPECT_EQ(ClassifyRuleFile("a.rules", "title: x"), RuleFileKind::kSignature);
  EXPECT_EQ(ClassifyRuleFile("a.yml", "alert tcp"), RuleFileKind::kCorrelation);
  EXPECT_EQ(ClassifyRuleFile("a.yaml", ""), RuleFileKind::kCorrelation);
  EXPECT_EQ(ClassifyRuleFile("local", "# c\n\n  alert tcp any any -> any any (sid:1;)\n"), RuleFileKind::kSignature);
  EXPECT_EQ(ClassifyRuleFile("local", "# c\ntitle: brute force\n"), RuleFileKind::kCorrelation);
  EXPECT_EQ(ClassifyRuleFile("local", "---\n"), RuleFileKind::kCorrelation);
  EXPECT_EQ(ClassifyRuleFile("local", "garbage here\n"), RuleFileKind::kSignature);
}

LintResult Mixed() {
  return LintText(
      "alert tcp any any -> any any (msg:\"a\"; content:\"ab\"; sid:1;)\n"
      "alert tcp any any -> any any (msg:\"b\"; content:\"cd\"; sid:2;)\n"
      "alert tcp any any -> any any (msg:\"c\"; content:\"abc\"; depth:1; sid:3;)\n"
      "alert http any any -> any any (msg:\"d\"; uricontent:\"/abcd\"; sid:4;)\n");
}

TEST(Report, SummaryGroupsByCodeErrorsFirst) {
  const LintResult r = Mixed();
  const auto codes = SummarizeByCode(r, 2);
  ASSERT_EQ(codes.size(), 3u) << Dump(r);
  EXPECT_EQ(codes[0].code, Code::kParseError);
  EXPECT_EQ(codes[1].code, Code::kShortFastPattern);
  EXPECT_EQ(codes[1].count, 2u);
  EXPECT_EQ(codes[1].examples.size(), 2u);
  EXPECT_EQ(codes[2].code, Code::kLegacySyntax);
}

TEST(Report, TextListsBySeverityAndSummarizes) {
  const LintResult r = Mixed();
  ReportOptions o;
  const std::string text = FormatTextReport(r, o);
  EXPECT_NE(text.find("== t.rules: 1 error, 2 warnings, 1 info"), std::string::npos) << text;
  EXPECT_NE(text.find("\nt.rules:1:40: warning short-fast-pattern [1:1] "), std::string::npos) << text;
  EXPECT_EQ(text.find("\nt.rules:4:41: info"), std::string::npos) << text;  // info: counted, not listed
  EXPECT_NE(text.find("e.g. t.rules:4:41 [1:4]: uricontent"), std::string::npos) << text;
  EXPECT_NE(text.find("short-fast-pattern     warning       2"), std::string::npos) << text;
  EXPECT_NE(text.find("2-byte pattern"), std::string::npos);
  EXPECT_NE(text.find("result: FAIL"), std::string::npos);
  o.list_level = Severity::kInfo;
  EXPECT_NE(FormatTextReport(r, o).find("\nt.rules:4:41: info legacy-syntax"), std::string::npos);
  o.list = false;
  const std::string summary = FormatTextReport(r, o);
  EXPECT_EQ(summary.find("\nt.rules:1:40: warning"), std::string::npos) << summary;
  EXPECT_NE(summary.find("== summary"), std::string::npos);
}

TEST(Report, JsonHasEveryFindingAndTheSummary) {
  ReportOptions o;
  o.list_level = Severity::kInfo;
  o.seconds = 1.5;
  const std::string json = FormatJsonReport(Mixed(), o);
  EXPECT_NE(json.find("\"code\":\"parse-error\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"code\":\"legacy-syntax\""), std::string::npos);
  EXPECT_NE(json.find("\"errors\":1"), std::string::npos);
  EXPECT_NE(json.find("\"warnings\":2"), std::string::npos);
  EXPECT_NE(json.find("\"seconds\":1.5"), std::string::npos);
  EXPECT_EQ(json.back(), '\n');
}

TEST(CorrelationLint, ErrorMessagesSplitIntoLocations) {
  const Finding f = CorrelationErrorFinding("rules/a.yml:12:7: unknown field modifier 'contain'", {"rules/a.yml"}, "x");
  EXPECT_EQ(f.file, "rules/a.yml");
  EXPECT_EQ(f.line, 12u);
  EXPECT_EQ(f.column, 7u);
  EXPECT_EQ(f.message, "unknown field modifier 'contain'");
  EXPECT_EQ(f.topic, "unknown field modifier ");
  const Finding g = CorrelationErrorFinding("something odd", {"rules/a.yml"}, "rules/a.yml");
  EXPECT_EQ(g.line, 0u);
  EXPECT_EQ(g.message, "something odd");
}

class TempFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vigil-lint-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(TempFiles, CorrelationFilesAreCheckedTogether) {
  const std::string det = Write("det.yml",
                                "title: SSH brute force\nname: ssh_bf\nlevel: low\n"
                                "logsource: {product: vigil, category: alert}\n"
                                "detection:\n  selection:\n    dest_port: 22\n  condition: selection\n");
  LintResult ok;
  LintCorrelationFiles({det}, &ok);
  EXPECT_TRUE(ok.findings.empty()) << Dump(ok);
  EXPECT_EQ(ok.stats.correlation_rules, 1u);

  const std::string bad = Write("bad.yml",
                                "title: broken\nname: broken\nlevel: low\n"
                                "logsource: {product: vigil, category: alert}\n"
                                "detection:\n  selection:\n    dest_port|contain: 22\n  condition: selection\n");
  LintResult r;
  LintCorrelationFiles({det, bad, (dir_ / "missing.yml").string()}, &r);
  ASSERT_GE(r.findings.size(), 2u) << Dump(r);
  const auto errs = WithCode(r, Code::kCorrelationError);
  ASSERT_EQ(errs.size(), 1u) << Dump(r);
  EXPECT_EQ(errs[0]->file, bad);
  EXPECT_EQ(errs[0]->line, 7u) << Dump(r);
  EXPECT_EQ(WithCode(r, Code::kIoError).size(), 1u) << Dump(r);
  EXPECT_TRUE(r.has_errors());
}

TEST_F(TempFiles, SignatureFilesFollowIncludesAndReportUnreadableOnes) {
  const std::string inc = Write("inc.rules", "alert tcp any any -> any any (msg:\"x\"; content:\"ab\"; sid:5;)\n");
  const std::string top = Write("top.rules", "include inc.rules\ninclude nothere.rules\n");
  SignatureLintConfig cfg;
  cfg.probe = testing::EngineProbe();
  SignatureLinter linter(RuleVariables::SuricataDefaults(), cfg);
  LintResult r;
  linter.LintFile(top, &r);
  linter.LintFile((dir_ / "absent.rules").string(), &r);
  const auto short_fp = WithCode(r, Code::kShortFastPattern);
  ASSERT_EQ(short_fp.size(), 1u) << Dump(r);
  EXPECT_EQ(short_fp[0]->file, inc);
  EXPECT_GE(WithCode(r, Code::kIoError).size() + WithCode(r, Code::kParseError).size(), 2u) << Dump(r);
  EXPECT_TRUE(r.has_errors());
}

}  // namespace
}  // namespace vigil::rules::lint
