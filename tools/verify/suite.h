// Suite: finds suricata-verify tests and runs them on N worker threads.
//
//   auto tests = DiscoverTests({"../shared/corpus/suricata-verify"}, "dns");  // name filter
//   RunSuite(*tests, options, 2, [&](const TestResult& r) { print(r); });   // in suite order
//
// A path holding test.yaml is one test (named by its path below a `tests/` directory, else its
// own name); any other directory is walked (its `tests/` subdirectory when it has one), every
// directory holding a test.yaml being a test whose subdirectories are not walked, as run.py does.
// Tests run in name order; results are handed to `on_result` in that same order.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "tools/verify/test_runner.h"

namespace vigil::verify {

Result<std::vector<TestRef>> DiscoverTests(const std::vector<std::string>& paths, const std::string& name_filter);

std::vector<TestResult> RunSuite(const std::vector<TestRef>& tests, const RunnerOptions& options, int jobs,
                                 const std::function<void(const TestResult&)>& on_result);

}  // namespace vigil::verify
