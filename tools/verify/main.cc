// vigil-verify: runs suricata-verify conformance tests against vigil-sensor.
//
//   vigil-verify [--sensor PATH] [--jobs N] [--filter SUBSTR] [--floor N] [--failures FILE]
//                [--timeout S] [--keep] [--suricata-version V] [-q] SUITE_DIR|TEST_DIR...
//
// Prints one line per test (PASS/FAIL/ERROR/SKIP), the total "passed X of Y (Z%)" and the
// failure reasons grouped with counts. Exit status: with --floor, 0 when at least N tests
// passed and 1 otherwise; without it, 0 only when every test passed. 2 on usage errors.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "tools/verify/temp_dir.h"
#include "tools/verify/report.h"
#include "tools/verify/sensor_locator.h"
#include "tools/verify/suite.h"

namespace {

struct Args {
  std::string sensor;
  int jobs = 2;
  std::string filter;
  int64_t floor = -1;
  std::string failures;
  double timeout_s = 60;
  bool keep = false;
  bool quiet = false;
  std::string version = "9.0.0";
  size_t max_groups = 40;
  std::vector<std::string> paths;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vigil-verify: run suricata-verify tests (alert checks) against vigil-sensor"};
  Args a;
  app.add_option("--sensor", a.sensor, "vigil-sensor binary (default: the one next to vigil-verify)");
  app.add_option("-j,--jobs", a.jobs, "tests run in parallel")->check(CLI::Range(1, 256));
  app.add_option("--filter", a.filter, "only tests whose name contains SUBSTR");
  app.add_option("--floor", a.floor, "exit 1 when fewer than N tests pass");
  app.add_option("--failures", a.failures, "write every test that did not pass to FILE (JSON lines)");
  app.add_option("--timeout", a.timeout_s, "seconds one sensor run may take")->check(CLI::Range(1.0, 3600.0));
  app.add_flag("--keep", a.keep, "keep each test's work directory (printed in --failures)");
  app.add_flag("-q,--quiet", a.quiet, "print only tests that did not pass, and the totals");
  app.add_option("--suricata-version", a.version, "Suricata version that requires: are checked against");
  app.add_option("--max-reasons", a.max_groups, "failure classes listed in the summary (0 = all)");
  app.add_option("paths", a.paths, "suite directories (holding tests/) or test directories")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  auto sensor = vigil::verify::FindSensor(a.sensor);
  if (!sensor) {
    std::fprintf(stderr, "vigil-verify: %s\n", sensor.error().message.c_str());
    return 2;
  }
  const auto version = vigil::verify::SuricataVersion::Parse(a.version);
  if (!version) {
    std::fprintf(stderr, "vigil-verify: --suricata-version %s is not a version\n", a.version.c_str());
    return 2;
  }
  auto tests = vigil::verify::DiscoverTests(a.paths, a.filter);
  if (!tests) {
    std::fprintf(stderr, "vigil-verify: %s\n", tests.error().message.c_str());
    return 2;
  }
  if (tests->empty()) {
    std::fprintf(stderr, "vigil-verify: no tests found%s\n", a.filter.empty() ? "" : " (check --filter)");
    return 2;
  }
  auto work_root = vigil::verify::MakeTempDir("vigil-verify");
  if (!work_root) {
    std::fprintf(stderr, "vigil-verify: %s\n", work_root.error().message.c_str());
    return 2;
  }
  vigil::verify::RunnerOptions options;
  options.sensor = *sensor;
  options.timeout = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_s * 1000));
  options.work_root = *work_root;
  options.keep = a.keep;
  options.version = *version;

  const auto start = std::chrono::steady_clock::now();
  const auto results = vigil::verify::RunSuite(*tests, options, a.jobs, [&](const vigil::verify::TestResult& r) {
    if (a.quiet && r.status == vigil::verify::TestStatus::kPass) return;
    std::printf("%s\n", vigil::verify::FormatResultLine(r).c_str());
    std::fflush(stdout);
  });
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!a.keep) {
    std::error_code ec;
    std::filesystem::remove_all(options.work_root, ec);
  } else {
    std::printf("work directories kept in %s\n", options.work_root.c_str());
  }

  const auto totals = vigil::verify::Summarize(results);
  std::printf("%s", vigil::verify::FormatTotals(totals, a.max_groups).c_str());
  std::printf("time: %.1f s wall, %.1f s in the sensor, %d jobs\n", wall, totals.sensor_seconds, a.jobs);
  if (!a.failures.empty()) {
    if (auto st = vigil::verify::WriteFailuresFile(a.failures, results); !st) {
      std::fprintf(stderr, "vigil-verify: %s\n", st.error().message.c_str());
      return 2;
    }
  }
  if (a.floor >= 0) {
    if (static_cast<int64_t>(totals.passed) < a.floor) {
      std::printf("FLOOR NOT MET: %zu passed, floor is %lld\n", totals.passed, static_cast<long long>(a.floor));
      return 1;
    }
    std::printf("floor met: %zu passed >= %lld\n", totals.passed, static_cast<long long>(a.floor));
    return 0;
  }
  return totals.passed == totals.total ? 0 : 1;
}
