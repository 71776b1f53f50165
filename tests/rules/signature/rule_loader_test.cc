// Rule files (comments, continuation lines, includes, cycles, locations), the load summary, and
// the classification.config and threshold.config loaders.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "rules/signature/classification_config.h"
#include "rules/signature/rule_loader.h"
#include "rules/signature/threshold_config.h"

namespace vigil::rules {
namespace {

namespace fs = std::filesystem;

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "vigil-rules-XXXXXX").string();
    char* made = mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  fs::path path_;
};

const LoadDiagnostic* FindDiag(const RuleSet& s, DiagnosticKind kind, const std::string& needle) {
  for (const LoadDiagnostic& d : s.diagnostics) {
    if (d.kind == kind && d.message.find(needle) != std::string::npos) return &d;
  }
  return nullptr;
}

class RuleLoaderTest : public ::testing::Test {
 protected:
  RuleVariables vars_ = RuleVariables::SuricataDefaults();
};

TEST_F(RuleLoaderTest, CommentsBlankLinesAndContinuations) {
  RuleLoader loader(vars_);
  RuleSet set;
  loader.LoadString(
      "# a comment\n"
      "\n"
      "#alert tcp any any -> any any (msg:\"commented out\"; sid:99;)\n"
      "   # alert tcp any any -> any any (sid:98; \\\n"
      "       content:\"still a comment\";)\n"
      "alert tcp any any -> any any (msg:\"one\"; \\\n"
      "    content:\"abc\"; \\\r\n"
      "    sid:1;)\r\n"
      "alert tcp any any -> any any (msg:\"two\"; sid:2;)\n",
      "mem.rules", &set);
  EXPECT_EQ(set.summary.rules_seen, 2u);
  ASSERT_EQ(set.summary.loaded, 2u) << set.summary.ToString();
  EXPECT_EQ(set.rules[0].meta.sid, 1u);
  EXPECT_EQ(set.rules[0].line, 6u);
  EXPECT_EQ(set.rules[1].line, 9u);
  EXPECT_EQ(set.files[set.rules[0].file_index], "mem.rules");
}

TEST_F(RuleLoaderTest, ErrorsAndSkipsCarryFileLineColumn) {
  RuleLoader loader(vars_);
  RuleSet set;
  loader.LoadString(
      "alert tcp any any -> any any (sid:1;)\n"
      "alert tcp any any -> any any (msg:\"x\"; \\\n"
      "  content:\"|0d 0|\"; sid:2;)\n"
      "alert tcp any any -> any any (xyz:1; sid:3;)\n"
      "alert tcp any any -> any any (xyz; sid:4;)\n"
      "alert tcp any any -> any any (sid:1;)\n",
      "t.rules", &set);
  const LoadSummary& s = set.summary;
  EXPECT_EQ(s.rules_seen, 5u);
  EXPECT_EQ(s.loaded, 2u);
  EXPECT_EQ(s.errors, 1u);
  EXPECT_EQ(s.skipped, 2u);
  EXPECT_EQ(s.skipped_by_reason.at("unsupported keyword 'xyz'"), 2u);
  EXPECT_EQ(s.duplicate_sids, 1u);
  const LoadDiagnostic* err = FindDiag(set, DiagnosticKind::kError, "odd number");
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->line, 3u) << "the error is on the continuation line";
  EXPECT_EQ(err->column, 11u);
  EXPECT_EQ(err->sid, 2u);
  EXPECT_EQ(err->ToString(), "t.rules:3:11: error: [sid 2] content: odd number of hex digits in |...| block");
  const LoadDiagnostic* skip = FindDiag(set, DiagnosticKind::kSkipped, "xyz");
  ASSERT_NE(skip, nullptr);
  EXPECT_EQ(skip->line, 4u);
  EXPECT_EQ(skip->column, 31u);
  const LoadDiagnostic* dup = FindDiag(set, DiagnosticKind::kWarning, "duplicate sid 1");
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->line, 6u);
  EXPECT_NE(s.ToString().find("skipped 2: unsupported keyword 'xyz'"), std::string::npos);
  EXPECT_EQ(s.TopSkipReasons(1).front().first, "unsupported keyword 'xyz'");
}

TEST_F(RuleLoaderTest, IncludesRelativeToTheIncludingFile) {
  TempDir dir;
  dir.Write("sub/b.rules", "alert tcp any any -> any any (sid:2;)\ninclude \"c.rules\"\n");
  dir.Write("sub/c.rules", "alert tcp any any -> any any (sid:3;)\n");
  std::string top = dir.Write("top.rules", "alert tcp any any -> any any (sid:1;)\ninclude sub/b.rules\n"
                                           "alert tcp any any -> any any (sid:4;)\n");
  RuleLoader loader(vars_);
  RuleSet set;
  ASSERT_TRUE(loader.LoadFile(top, &set).ok());
  ASSERT_EQ(set.rules.size(), 4u) << set.summary.ToString();
  EXPECT_EQ(set.rules[0].meta.sid, 1u);
  EXPECT_EQ(set.rules[1].meta.sid, 2u);
  EXPECT_EQ(set.rules[2].meta.sid, 3u);
  EXPECT_EQ(set.rules[3].meta.sid, 4u);
  EXPECT_EQ(set.files.size(), 3u);
  EXPECT_NE(set.files[set.rules[2].file_index].find("c.rules"), std::string::npos);
  EXPECT_EQ(set.summary.errors, 0u);
}

TEST_F(RuleLoaderTest, IncludeCyclesMissingFilesAndDepth) {
  TempDir dir;
  dir.Write("a.rules", "alert tcp any any -> any any (sid:1;)\ninclude b.rules\n");
  dir.Write("b.rules", "alert tcp any any -> any any (sid:2;)\ninclude a.rules\ninclude missing.rules\n");
  RuleLoader loader(vars_);
  RuleSet set;
  ASSERT_TRUE(loader.LoadFile(dir.Write("self.rules", "include self.rules\n"), &set).ok());
  EXPECT_NE(FindDiag(set, DiagnosticKind::kError, "include cycle: self.rules -> self.rules"), nullptr);
  RuleSet cyc;
  ASSERT_TRUE(loader.LoadFile((fs::path(dir.Write("x", "")).parent_path() / "a.rules").string(), &cyc).ok());
  EXPECT_EQ(cyc.rules.size(), 2u) << "both files load once; the cycle stops at the include";
  const LoadDiagnostic* cycle = FindDiag(cyc, DiagnosticKind::kError, "include cycle: a.rules -> b.rules -> a.rules");
  ASSERT_NE(cycle, nullptr);
  EXPECT_EQ(cycle->line, 2u);
  EXPECT_NE(cycle->file.find("b.rules"), std::string::npos);
  EXPECT_NE(FindDiag(cyc, DiagnosticKind::kError, "cannot open"), nullptr);

  // Depth: d0 → d1 → d2 → d3 with a limit of 2.
  for (int i = 0; i < 3; ++i) {
    dir.Write("d" + std::to_string(i) + ".rules", "include d" + std::to_string(i + 1) + ".rules\n");
  }
  dir.Write("d3.rules", "alert tcp any any -> any any (sid:9;)\n");
  RuleLoaderConfig cfg;
  cfg.reader.max_include_depth = 2;
  RuleLoader shallow(vars_, cfg);
  RuleSet deep;
  ASSERT_TRUE(shallow.LoadFile((fs::path(dir.Write("y", "")).parent_path() / "d0.rules").string(), &deep).ok());
  EXPECT_EQ(deep.rules.size(), 0u);
  EXPECT_NE(FindDiag(deep, DiagnosticKind::kError, "nest deeper than 2"), nullptr);

  EXPECT_FALSE(loader.LoadFile((fs::path(dir.Write("z", "")).parent_path() / "nope.rules").string(), &deep).ok());

  RuleLoaderConfig no_inc;
  no_inc.reader.allow_includes = false;
  RuleLoader sandboxed(vars_, no_inc);
  RuleSet s;
  sandboxed.LoadString("include /etc/passwd\n", "fuzz", &s);
  EXPECT_NE(FindDiag(s, DiagnosticKind::kError, "include is disabled"), nullptr);
}

TEST(ClassificationConfigTest, ParsesEntriesAndRejectsBadLines) {
  auto cfg = ClassificationConfig::Parse(
      "# comment\n\nconfig classification: trojan-activity,A Network Trojan was detected,1\n"
      "config classification:not-suspicious,Not Suspicious Traffic, 3\n"
      "config classification: trojan-activity,Redefined,2\n",
      "c.config");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->size(), 2u);
  EXPECT_EQ(cfg->Find("not-suspicious")->priority, 3);
  EXPECT_EQ(cfg->Find("trojan-activity")->description, "Redefined");
  EXPECT_EQ(cfg->warnings().size(), 1u);
  EXPECT_EQ(cfg->Find("nope"), nullptr);
  auto bad = [](const char* text) {
    auto r = ClassificationConfig::Parse(text, "c.config");
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_EQ(bad("\nconfig classification: a,b\n").substr(0, 11), "c.config:2:");
  EXPECT_NE(bad("config classification: a,b,0\n").find("priority"), std::string::npos);
  EXPECT_NE(bad("config classification: a b,desc,1\n").find("invalid classification name"), std::string::npos);
  EXPECT_NE(bad("config reference: url http://\n").find("classification"), std::string::npos);
  EXPECT_NE(bad("whatever\n").find("expected"), std::string::npos);
}

TEST(ClassificationConfigTest, LoadsTheEt2018File) {
  const char* path = "../shared/corpus/rules/et-open-2018/classification.config";
  if (!fs::exists(path)) GTEST_SKIP() << "missing " << path;
  auto cfg = ClassificationConfig::LoadFile(path);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_GT(cfg->size(), 30u);
  ASSERT_NE(cfg->Find("trojan-activity"), nullptr);
  EXPECT_EQ(cfg->Find("trojan-activity")->priority, 1);
}

TEST(ThresholdConfigTest, AllEntryKinds) {
  RuleVariables vars = RuleVariables::SuricataDefaults();
  auto cfg = ThresholdConfig::Parse(
      "# thresholds\n"
      "threshold gen_id 1, sig_id 2002087, type threshold, track by_src, count 10, seconds 60\n"
      "event_filter gen_id 1, sig_id 1000, type limit, track by_dst, count 1, seconds 3600\n"
      "suppress gen_id 1, sig_id 2003614\n"
      "suppress gen_id 1, sig_id 2003615, track by_src, ip 217.110.97.128/25\n"
      "suppress gen_id 1, sig_id 2003616, track by_either, ip [$HOME_NET,!10.0.0.1]\n"
      "rate_filter gen_id 1, sig_id 1001, track by_rule, count 100, seconds 60, new_action drop, timeout 30\n",
      "threshold.config", vars);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  const auto& e = cfg->entries();
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].kind, ThresholdEntryKind::kThreshold);
  EXPECT_EQ(e[0].sig_id, 2002087u);
  EXPECT_EQ(e[0].limits.type, ThresholdType::kThreshold);
  EXPECT_EQ(e[0].limits.count, 10u);
  EXPECT_EQ(e[1].limits.track, TrackBy::kDst);
  EXPECT_EQ(e[2].kind, ThresholdEntryKind::kSuppress);
  EXPECT_FALSE(e[2].suppress_ip);
  EXPECT_TRUE(e[3].suppress_ip->Match(*IpAddress::Parse("217.110.97.200")));
  EXPECT_FALSE(e[3].suppress_ip->Match(*IpAddress::Parse("217.110.97.1")));
  EXPECT_EQ(*e[4].suppress_track, TrackBy::kEither);
  EXPECT_TRUE(e[4].suppress_ip->Match(*IpAddress::Parse("10.0.0.2")));
  EXPECT_FALSE(e[4].suppress_ip->Match(*IpAddress::Parse("10.0.0.1")));
  EXPECT_EQ(e[5].kind, ThresholdEntryKind::kRateFilter);
  EXPECT_EQ(e[5].new_action, "drop");
  ASSERT_EQ(cfg->unsupported().size(), 1u);
  EXPECT_EQ(cfg->unsupported()[0], "threshold.config:7: rate_filter is not supported (sig_id 1001)");
  EXPECT_EQ(e[5].line, 7u);
}

TEST(ThresholdConfigTest, Errors) {
  RuleVariables vars = RuleVariables::SuricataDefaults();
  auto bad = [&](const char* text) {
    auto r = ThresholdConfig::Parse(text, "t.config", vars);
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_NE(bad("\nthreshold gen_id 1, sig_id 1, type limit, track by_src, count 1\n").find("t.config:2:"), std::string::npos);
  EXPECT_NE(bad("threshold gen_id 1, sig_id 1, type limit, track by_either, count 1, seconds 1").find("only valid in suppress"), std::string::npos);
  EXPECT_NE(bad("suppress gen_id 1, sig_id 1, track by_rule, ip 1.2.3.4").find("by_src, by_dst or by_either"), std::string::npos);
  EXPECT_NE(bad("suppress gen_id 1, sig_id 1, ip 1.2.3.4").find("needs track"), std::string::npos);
  EXPECT_NE(bad("suppress gen_id 1, sig_id 1, track by_src").find("needs ip"), std::string::npos);
  EXPECT_NE(bad("suppress gen_id 1, sig_id 1, track by_src, ip $NOPE").find("$NOPE"), std::string::npos);
  EXPECT_NE(bad("suppress sig_id 1").find("needs gen_id and sig_id"), std::string::npos);
  EXPECT_NE(bad("throttle gen_id 1, sig_id 1").find("unknown entry"), std::string::npos);
  EXPECT_NE(bad("threshold gen_id 1, sig_id 1, sig_id 2, type limit, track by_src, count 1, seconds 1").find("given twice"), std::string::npos);
  EXPECT_NE(bad("rate_filter gen_id 1, sig_id 1, track by_src, count 1, seconds 1").find("new_action"), std::string::npos);
  EXPECT_NE(bad("threshold gen_id 1, sig_id 1, type limit, track by_src, count 1, seconds 1, color red").find("unknown field"), std::string::npos);
}

}  // namespace
}  // namespace vigil::rules
