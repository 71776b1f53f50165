// Report: the text vigil-verify prints and the machine-readable failures file.
//
//   PASS name
//   FAIL name: check 2 (expected count 1 got 0, match event_type="alert" ...): ...
//   ERROR name: rule load error: test.rules:1:1: skipped: [sid 1] unsupported keyword 'xbits'
//   SKIP name: requires min-version 10 (emulating 9.0.0)
//   passed X of Y (Z%)
//   failure reasons (tests):
//     123  alert did not fire
//
// The failures file holds one JSON object per line for every test that did not pass:
//   {"test":"...","status":"FAIL","reason":"...","group":"...","command":"...","details":[...]}
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "core/result.h"
#include "tools/verify/test_runner.h"

namespace vigil::verify {

std::string FormatResultLine(const TestResult& r);

struct SuiteTotals {
  size_t total = 0;
  size_t passed = 0;
  size_t failed = 0;
  size_t errors = 0;
  size_t skipped = 0;
  double sensor_seconds = 0;
  std::vector<std::pair<std::string, size_t>> groups;  // failure class → tests, most first
};

SuiteTotals Summarize(const std::vector<TestResult>& results);
// "passed X of Y (Z%)" then the failure classes; `max_groups` 0 = all.
std::string FormatTotals(const SuiteTotals& t, size_t max_groups);

Status WriteFailuresFile(const std::string& path, const std::vector<TestResult>& results);

}  // namespace vigil::verify
