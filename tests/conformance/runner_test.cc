// The runner end to end against a stand-in sensor (testing::kFakeSensor), so every outcome of
// RunTest is exercised without depending on the state of vigil-sensor.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/conformance/conformance_test_util.h"
#include "tools/verify/report.h"
#include "tools/verify/suite.h"
#include "tools/verify/test_runner.h"

namespace vigil::verify {
namespace {

using testing::kFakeSensor;
using testing::TempDir;


constexpr const char* kRules =
    "alert ip any any -> any any (msg:\"fire\"; sid:1;)\n"
    "alert ip any any -> any any (msg:\"quiet\"; content:\"|zz|\"; sid:3;)\n";

std::string Check(int sid, int count) {
  return "  - filter:\n      count: " + std::to_string(count) +
         "\n      match:\n        event_type: alert\n        alert.signature_id: " + std::to_string(sid) + "\n";
}

class RunnerTest : public ::testing::Test {
 protected:
  RunnerTest() : dir_("runner") {
    const auto sensor = dir_.Write("bin/fake-sensor", kFakeSensor);
    chmod(sensor.c_str(), 0755);
    options_.sensor = sensor.string();
    options_.work_root = dir_.path() / "work";
    options_.timeout = std::chrono::milliseconds(1000);
  }
  // A test directory named `name` whose pcap is `pcap` and whose checks are `checks`.
  TestRef Make(const std::string& name, const std::string& pcap, const std::string& checks,
               const std::string& extra = "") {
    dir_.Write("suite/tests/" + name + "/" + pcap, "not really a pcap");
    dir_.Write("suite/tests/" + name + "/test.rules", kRules);
    dir_.Write("suite/tests/" + name + "/test.yaml", extra + "checks:\n" + checks);
    return {dir_.path() / "suite/tests" / name, name};
  }
  TempDir dir_;
  RunnerOptions options_;
};

TEST_F(RunnerTest, Passes) {
  const TestResult r = RunTest(Make("ok", "input.pcap", Check(1, 1) + Check(2, 0)), options_, 0);
  EXPECT_EQ(r.status, TestStatus::kPass) << r.reason;
  EXPECT_EQ(r.scored_checks, 2u);
  EXPECT_EQ(r.passed_checks, 2u);
  EXPECT_NE(r.command.find(" -S "), std::string::npos);
}

TEST_F(RunnerTest, FailsWithTheFirstFailingCheck) {
  const TestResult r = RunTest(Make("miss", "input.pcap", Check(1, 1) + Check(2, 1) + Check(1, 2)), options_, 0);
  EXPECT_EQ(r.status, TestStatus::kFail);
  EXPECT_NE(r.reason.find("check 2 (expected count 1 got 0"), std::string::npos) << r.reason;
  EXPECT_EQ(r.group, "alert did not fire (no rule has this sid)");
  EXPECT_EQ(r.passed_checks, 1u);
}

TEST_F(RunnerTest, NamesTheProtocolOfARuleThatDidNotFire) {
  dir_.Write("suite/tests/proto/input.pcap", "x");
  dir_.Write("suite/tests/proto/test.rules", "alert http any any -> any any (msg:\"silent\"; sid:7;)\n");
  dir_.Write("suite/tests/proto/test.yaml", "checks:\n" + Check(7, 1));
  const TestResult r = RunTest({dir_.path() / "suite/tests/proto", "proto"}, options_, 0);
  EXPECT_EQ(r.status, TestStatus::kFail);
  EXPECT_EQ(r.group, "no alerts at all (http rule)");
}

TEST_F(RunnerTest, RuleThatDidNotLoadIsAnError) {
  const TestResult r = RunTest(Make("load", "input.pcap", Check(3, 1)), options_, 0);
  EXPECT_EQ(r.status, TestStatus::kError);
  EXPECT_NE(r.reason.find("rule load error"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("[sid 3]"), std::string::npos) << r.reason;
  // ... but not when the check expects it not to fire.
  EXPECT_EQ(RunTest(Make("load0", "input.pcap", Check(3, 0)), options_, 1).status, TestStatus::kPass);
}

TEST_F(RunnerTest, SensorCrashTimeoutAndFatalErrorAreFailures) {
  const TestResult crash = RunTest(Make("crash", "crash.pcap", Check(1, 1)), options_, 0);
  EXPECT_EQ(crash.status, TestStatus::kFail);
  EXPECT_NE(crash.reason.find("signal 11"), std::string::npos) << crash.reason;
  const TestResult hang = RunTest(Make("hang", "hang.pcap", Check(1, 1)), options_, 1);
  EXPECT_EQ(hang.status, TestStatus::kFail);
  EXPECT_EQ(hang.group, "sensor timed out");
  const TestResult fatal = RunTest(Make("fatal", "fatal.pcap", Check(1, 1)), options_, 2);
  EXPECT_EQ(fatal.status, TestStatus::kFail);
  EXPECT_NE(fatal.reason.find("unknown key 'x'"), std::string::npos) << fatal.reason;
}

TEST_F(RunnerTest, MalformedInputsAreErrors) {
  EXPECT_EQ(RunTest(Make("badjson", "badjson.pcap", Check(1, 1)), options_, 0).status, TestStatus::kError);
  const TestResult bad_yaml = RunTest(Make("badyaml", "input.pcap", "  - filter: {count: [\n"), options_, 1);
  EXPECT_EQ(bad_yaml.status, TestStatus::kError);
  EXPECT_EQ(bad_yaml.group, "malformed test.yaml");
}

TEST_F(RunnerTest, VersionRequirementsSkip) {
  const TestResult r = RunTest(Make("future", "input.pcap", Check(1, 1), "requires:\n  min-version: 10\n"), options_, 0);
  EXPECT_EQ(r.status, TestStatus::kSkip);
  // A check that needs an older version is left out; the others still decide.
  const std::string old_check = "  - filter:\n      lt-version: 8\n      count: 5\n      match: {event_type: alert}\n";
  const TestResult mixed = RunTest(Make("mixed", "input.pcap", Check(1, 1) + old_check), options_, 1);
  EXPECT_EQ(mixed.status, TestStatus::kPass) << mixed.reason;
  EXPECT_EQ(mixed.scored_checks, 1u);
}

TEST_F(RunnerTest, SuiteRunsInParallelAndReportsInOrder) {
  Make("a-ok", "input.pcap", Check(1, 1));
  Make("b-miss", "input.pcap", Check(2, 1));
  Make("c-ok", "input.pcap", Check(1, 1) + Check(3, 0));
  Make("d-crash", "crash.pcap", Check(1, 1));
  auto tests = DiscoverTests({(dir_.path() / "suite").string()}, "");
  ASSERT_TRUE(tests.ok());
  ASSERT_EQ(tests->size(), 4u);
  std::vector<std::string> order;
  const auto results = RunSuite(*tests, options_, 3, [&](const TestResult& r) { order.push_back(r.name); });
  EXPECT_EQ(order, (std::vector<std::string>{"a-ok", "b-miss", "c-ok", "d-crash"}));
  const SuiteTotals t = Summarize(results);
  EXPECT_EQ(t.total, 4u);
  EXPECT_EQ(t.passed, 2u);
  EXPECT_EQ(t.failed, 2u);
  const std::string text = FormatTotals(t, 0);
  EXPECT_NE(text.find("passed 2 of 4 (50.0%)"), std::string::npos) << text;
  EXPECT_NE(text.find("alert did not fire"), std::string::npos) << text;
  const std::string failures = (dir_.path() / "failures.json").string();
  ASSERT_TRUE(WriteFailuresFile(failures, results).ok());
  std::ifstream in(failures);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_EQ(line.rfind("{\"test\":", 0), 0u) << line;
  }
  EXPECT_EQ(lines, 2);
  // Work directories are removed unless kept.
  EXPECT_TRUE(std::filesystem::is_empty(options_.work_root));
}

}  // namespace
}  // namespace vigil::verify
