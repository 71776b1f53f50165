// RunTest: runs one suricata-verify test end to end — read test.yaml, translate its settings,
// run vigil-sensor on its pcap and rules in a private work directory, evaluate its alert checks
// on the eve.json — and returns a TestResult that never throws and never crashes on bad input.
//
//   RunnerOptions opt;  opt.sensor = "build/bin/vigil-sensor";  opt.work_root = tmp;
//   TestResult r = RunTest({dir, "alert-testmyids"}, opt, 0);
//   // r.status: kPass / kFail (first failing check, sensor crash or timeout) /
//   //           kError (malformed test.yaml or eve.json, rule load error) / kSkip (requires)
//
// Scoring (../shared/corpus/suricata-verify/SOURCE.md): only filter checks whose match has
// `event_type: alert` count; the test passes when all of them hold. Rules that do not load make
// their checks fail unless the check expects count 0; such a failure is reported as an ERROR
// naming the loader's reason.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tools/verify/requirements.h"

namespace vigil::verify {

struct RunnerOptions {
  std::string sensor;                       // vigil-sensor binary
  std::chrono::milliseconds timeout{60000}; // per sensor run
  std::filesystem::path work_root;          // per-test work directories go below it
  bool keep = false;                        // keep work directories
  SuricataVersion version{9, 0, 0};         // the Suricata version requirements are checked against
};

struct TestRef {
  std::filesystem::path dir;
  std::string name;
};

enum class TestStatus { kPass, kFail, kError, kSkip };
const char* TestStatusName(TestStatus s);  // "PASS", "FAIL", "ERROR", "SKIP"

struct TestResult {
  std::string name;
  TestStatus status = TestStatus::kError;
  std::string reason;                // first failing check, error or skip reason
  std::string group;                 // failure class for the summary
  std::vector<std::string> details;  // notes: ignored args, unchecked requires, other failures
  size_t scored_checks = 0;
  size_t passed_checks = 0;
  double seconds = 0;
  std::string command;               // the sensor command line
  std::string work_dir;              // when kept
};

TestResult RunTest(const TestRef& test, const RunnerOptions& options, size_t ordinal);

}  // namespace vigil::verify
