// `vigil rules test --pcap P --rules R [--rules R2]... [--expect E.yaml] [-k none] [--set K=V]...
//                   [--sensor PATH] [--timeout S] [--keep]`
//   runs vigil-sensor offline over the capture with the rules, prints the alerts as a table
//   (pcap_cnt, sid, src -> dst, msg) and the rules that did not load; with --expect (the
//   suricata-verify `checks:` format) prints PASS/FAIL per filter check and exits 1 when one
//   fails. Exit 2 when the sensor cannot run or fails. The work is done by tools/verify.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tools/verify/alert_table.h"
#include "tools/verify/check_evaluation.h"
#include "tools/vigil/commands.h"
#include "tools/vigil/offline_sensor_run.h"

namespace vigil::cli {

namespace {

namespace fs = std::filesystem;

struct RulesTestArgs {
  std::string pcap;
  std::vector<std::string> rules;
  std::string expect;
  std::string checksum;
  std::vector<std::string> sets;
  std::string sensor;
  double timeout_s = 600;
  bool keep = false;
};

int RunRulesTest(const RulesTestArgs& a) {
  verify::ParsedChecks checks;
  if (!a.expect.empty()) {
    auto loaded = verify::LoadChecksFile(a.expect);
    if (!loaded) {
      std::fprintf(stderr, "vigil rules test: %s\n", loaded.error().message.c_str());
      return 2;
    }
    checks = std::move(*loaded);
  }
  OfflineSensorRun sensor_run("vigil rules test");
  const OfflineRunOptions options{.pcap = a.pcap, .rules = a.rules, .checksum = a.checksum,
                                  .sets = a.sets, .sensor = a.sensor, .timeout_s = a.timeout_s,
                                  .keep = a.keep};
  if (int rc = sensor_run.Run(options); rc != 0) return rc;
  const std::string work = sensor_run.work_dir().string();
  const fs::path log_dir = sensor_run.log_dir();
  auto alerts = verify::ReadAlerts((log_dir / "eve.json").string());
  if (!alerts) {
    std::fprintf(stderr, "vigil rules test: %s\n", alerts.error().message.c_str());
    return 2;
  }
  std::fputs(verify::FormatAlertTable(alerts->rows).c_str(), stdout);
  if (alerts->malformed_lines > 0) {
    std::fprintf(stderr, "warning: %zu malformed eve.json lines (%s)\n", alerts->malformed_lines,
                 alerts->first_error.c_str());
  }
  if (a.keep) std::printf("output kept in %s\n", work.c_str());
  if (a.expect.empty()) return 0;

  std::vector<const verify::FilterCheck*> all;
  for (const verify::FilterCheck& c : checks.filters) all.push_back(&c);
  const verify::EvaluatedChecks ev = verify::EvaluateChecks(log_dir, all);
  size_t failed = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    const verify::CheckOutcome& o = ev.outcomes[i];
    if (o.passed) {
      std::printf("PASS check %zu (%s)\n", all[i]->number, all[i]->ToString().c_str());
    } else {
      ++failed;
      std::printf("FAIL %s\n", o.reason.c_str());
    }
  }
  if (checks.other_checks > 0) std::printf("(%zu non-filter checks not evaluated)\n", checks.other_checks);
  if (!ev.file_error.empty()) std::printf("warning: %s\n", ev.file_error.c_str());
  std::printf("%zu of %zu checks passed\n", all.size() - failed, all.size());
  return failed == 0 ? 0 : 1;
}

}  // namespace

void AddRulesTestCommand(CLI::App& app, CommandResult& result) {
  CLI::App* rules = FindOrAddRulesGroup(app);
  auto args = std::make_shared<RulesTestArgs>();
  CLI::App* test = rules->add_subcommand(
      "test", "run rules over a capture offline and print the alerts; check them with --expect");
  test->add_option("--pcap", args->pcap, "capture file")->required()->check(CLI::ExistingFile);
  test->add_option("--rules", args->rules, "rules file (repeatable)")->required()->check(CLI::ExistingFile);
  test->add_option("--expect", args->expect, "expectations: a YAML file with suricata-verify `checks:`")
      ->check(CLI::ExistingFile);
  test->add_option("-k", args->checksum, "checksum validation: all (default) or none")
      ->check(CLI::IsMember({"all", "none"}));
  test->add_option("--set", args->sets, "sensor config override KEY=VALUE (repeatable)");
  test->add_option("--sensor", args->sensor, "vigil-sensor binary (default: next to vigil)");
  test->add_option("--timeout", args->timeout_s, "seconds the sensor may run")->check(CLI::Range(1.0, 86400.0));
  test->add_flag("--keep", args->keep, "keep the sensor's output directory");
  test->callback([args, &result] { result.exit_code = RunRulesTest(*args); });
}

}  // namespace vigil::cli
