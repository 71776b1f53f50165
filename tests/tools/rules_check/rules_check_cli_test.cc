// `vigil rules check` end to end: the binary, its exit statuses (0 clean, 1 errors, 2 usage),
// the per-file list and summary, --json, --var, -c sensor.yaml, directories, and the ET Open
// corpus (../shared/corpus) checked in under 60 seconds.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <simdjson.h>

#include "tests/support/run_command.h"

namespace {

namespace fs = std::filesystem;

using Output = vigil::test_support::ShellOutput;

Output Check(const std::string& args) {
  // ctest sets VIGIL_BINARY_DIR; run by hand, `vigil` sits beside this test binary.
  const char* bin = std::getenv("VIGIL_BINARY_DIR");
  std::error_code ec;
  const std::string vigil = bin != nullptr ? std::string(bin) + "/bin/vigil"
                                           : (fs::read_symlink("/proc/self/exe", ec).parent_path() / "vigil").string();
  return vigil::test_support::RunShell(vigil + " rules check " + args);
}

class RulesCheckCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vigil-rules-check-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

const char kGood[] =
    "alert http $HOME_NET any -> $EXTERNAL_NET any (msg:\"gate\"; flow:established,to_server; "
    "http.uri; content:\"/gate.php\"; classtype:trojan-activity; sid:1000001; rev:1;)\n";
const char kBad[] =
    "alert tcp any any -> any any (msg:\"short\"; content:\"ab\"; sid:1000002;)\n"
    "alert tcp any any -> any any (msg:\"bad depth\"; content:\"abc\"; depth:1; sid:1000003;)\n"
    "alert tcp any any -> any any (msg:\"never\"; dsize:<4; content:\"abcdefgh\"; sid:1000004;)\n";

TEST_F(RulesCheckCli, HelpDescribesTheCommand) {
  const Output o = Check("--help");
  EXPECT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("--json"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("--var"), std::string::npos);
  EXPECT_NE(o.text.find("Exit 0"), std::string::npos);
}

TEST_F(RulesCheckCli, CleanFileExitsZero) {
  const Output o = Check(Write("good.rules", kGood));
  EXPECT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("result: OK"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("1 signature rule (1 load"), std::string::npos) << o.text;
}

TEST_F(RulesCheckCli, ErrorsExitOneWithLocationsAndASummary) {
  const std::string bad = Write("bad.rules", kBad);
  const Output o = Check(bad);
  EXPECT_EQ(o.status, 1) << o.text;
  EXPECT_NE(o.text.find(bad + ":2:"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find(": error parse-error [1:1000003] depth 1 is smaller"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find(bad + ":1:"), std::string::npos);
  EXPECT_NE(o.text.find("warning short-fast-pattern [1:1000002]"), std::string::npos);
  EXPECT_NE(o.text.find("warning dsize-conflict [1:1000004]"), std::string::npos);
  EXPECT_NE(o.text.find("== summary"), std::string::npos);
  EXPECT_NE(o.text.find("result: FAIL"), std::string::npos);
}

TEST_F(RulesCheckCli, JsonIsMachineReadable) {
  const Output o = Check("--json " + Write("bad.rules", kBad));
  EXPECT_EQ(o.status, 1);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(o.text).get(doc), simdjson::SUCCESS) << o.text;
  simdjson::dom::array findings;
  ASSERT_EQ(doc["findings"].get_array().get(findings), simdjson::SUCCESS);
  EXPECT_EQ(findings.size(), 3u) << o.text;
  int64_t errors = -1;
  ASSERT_EQ(doc["summary"]["errors"].get_int64().get(errors), simdjson::SUCCESS);
  EXPECT_EQ(errors, 1);
  std::string_view code;
  ASSERT_EQ(findings.at(0)["code"].get_string().get(code), simdjson::SUCCESS);
  EXPECT_EQ(code, "short-fast-pattern");
}

TEST_F(RulesCheckCli, VarDefinesAVariable) {
  const std::string f =
      Write("lab.rules", "alert tcp $LAB_NET any -> any $LAB_PORTS (msg:\"x\"; content:\"abcd\"; sid:5;)\n");
  const Output without = Check(f);
  EXPECT_EQ(without.status, 1) << without.text;
  EXPECT_NE(without.text.find("unknown-variable"), std::string::npos) << without.text;
  const Output with = Check("--var 'LAB_NET=[10.1.0.0/16]' --var LAB_PORTS=8080 " + f);
  EXPECT_EQ(with.status, 0) << with.text;
}

TEST_F(RulesCheckCli, SensorConfigGivesVariablesAndRuleFiles) {
  Write("rules/lab.rules", "alert tcp $LAB_NET any -> any any (msg:\"x\"; content:\"abcd\"; sid:5;)\n");
  const std::string cfg = Write("sensor.yaml",
                                "default-rule-path: " + (dir_ / "rules").string() +
                                    "\nrule-files: [lab.rules]\nvars:\n  address-groups:\n"
                                    "    LAB_NET: \"[10.1.0.0/16]\"\n");
  const Output o = Check("-c " + cfg);
  EXPECT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("1 signature rule (1 load"), std::string::npos) << o.text;
}

TEST_F(RulesCheckCli, DirectoriesHoldBothKinds) {
  Write("set/a.rules", kGood);
  Write("set/b.yml",
        "title: SSH\nname: ssh\nlevel: low\nlogsource: {product: vigil, category: alert}\n"
        "detection:\n  selection:\n    dest_port: 22\n  condition: selection\n");
  const Output o = Check((dir_ / "set").string());
  EXPECT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("2 files: 1 signature rule"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("1 valid correlation rule"), std::string::npos) << o.text;
}

TEST_F(RulesCheckCli, UsageErrorsExitTwo) {
  EXPECT_EQ(Check("--level loud " + Write("good.rules", kGood)).status, 2);
  EXPECT_EQ(Check("--var NOEQUALS " + Write("good.rules", kGood)).status, 2);
  EXPECT_NE(Check("").status, 0);
  const Output missing = Check((dir_ / "absent.rules").string());
  EXPECT_EQ(missing.status, 1) << missing.text;
  EXPECT_NE(missing.text.find("io-error"), std::string::npos) << missing.text;
}

TEST_F(RulesCheckCli, EtOpenCorpusInUnderSixtySeconds) {
  const char* src = std::getenv("VIGIL_SOURCE_DIR");
  const fs::path et = fs::path(src != nullptr ? src : ".") / "../shared/corpus/rules/et-open.rules";
  if (!fs::exists(et)) GTEST_SKIP() << "corpus not present: " << et;
  const auto t0 = std::chrono::steady_clock::now();
  const Output o = Check("--summary " + et.string());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 60.0);
  EXPECT_EQ(o.status, 0) << o.text.substr(0, 4000);
  EXPECT_NE(o.text.find("24827 signature rules"), std::string::npos) << o.text.substr(0, 4000);
  EXPECT_NE(o.text.find("short-fast-pattern"), std::string::npos);
  EXPECT_NE(o.text.find("after-endswith"), std::string::npos);
}

}  // namespace
