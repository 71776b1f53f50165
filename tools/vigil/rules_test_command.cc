// `vigil rules test --pcap P --rules R [--rules R2]... [--expect E.yaml] [-k none] [--set K=V]...
//                   [--sensor PATH] [--timeout S] [--keep]`
//   runs vigil-sensor offline over the capture with the rules, prints the alerts as a table
//   (pcap_cnt, sid, src -> dst, msg) and the rules that did not load; with --expect (the
//   suricata-verify `checks:` format) prints PASS/FAIL per filter check and exits 1 when one
//   fails. Exit 2 when the sensor cannot run or fails. The work is done by tools/verify.
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "tools/verify/temp_dir.h"
#include "tools/verify/alert_table.h"
#include "tools/verify/check_evaluation.h"
#include "tools/verify/child_process.h"
#include "tools/verify/rule_problems.h"
#include "tools/verify/sensor_command.h"
#include "tools/verify/sensor_locator.h"
#include "tools/vigil/commands.h"

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

// `vigil rules ...` may be registered by several commands: find it or add it.
CLI::App* RulesGroup(CLI::App& app) {
  auto found = app.get_subcommands([](CLI::App* s) { return s->get_name() == "rules"; });
  if (!found.empty()) return found.front();
  CLI::App* rules = app.add_subcommand("rules", "signature rules: test them on captures");
  rules->require_subcommand(1);
  return rules;
}

void PrintFile(const fs::path& path, FILE* to) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) std::fprintf(to, "  %s\n", line.c_str());
}

int RunRulesTest(const RulesTestArgs& a) {
  auto sensor = verify::FindSensor(a.sensor);
  if (!sensor) {
    std::fprintf(stderr, "vigil rules test: %s\n", sensor.error().message.c_str());
    return 2;
  }
  verify::ParsedChecks checks;
  if (!a.expect.empty()) {
    auto loaded = verify::LoadChecksFile(a.expect);
    if (!loaded) {
      std::fprintf(stderr, "vigil rules test: %s\n", loaded.error().message.c_str());
      return 2;
    }
    checks = std::move(*loaded);
  }
  auto made = verify::MakeTempDir("vigil-rules-test");
  if (!made) {
    std::fprintf(stderr, "vigil rules test: %s\n", made.error().message.c_str());
    return 2;
  }
  const std::string work = *made;
  struct Cleanup {
    std::string dir;
    bool keep;
    ~Cleanup() {
      std::error_code ec;
      if (!keep) fs::remove_all(dir, ec);
    }
  } cleanup{work, a.keep};

  std::error_code ec;
  verify::SensorCommand cmd;
  cmd.sensor = *sensor;
  cmd.pcap = fs::absolute(a.pcap, ec);
  cmd.log_dir = fs::path(work) / "output";
  fs::create_directories(cmd.log_dir, ec);
  std::vector<fs::path> rule_files;
  for (const std::string& r : a.rules) rule_files.push_back(fs::absolute(r, ec));
  cmd.rule_files = rule_files;
  cmd.checksum_none = a.checksum == "none";
  std::vector<std::pair<std::string, std::string>> address_vars;
  std::vector<std::pair<std::string, std::string>> port_vars;
  for (const std::string& kv : a.sets) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "vigil rules test: --set %s: expected KEY=VALUE\n", kv.c_str());
      return 2;
    }
    const std::string key = kv.substr(0, eq);
    if (key.rfind("vars.address-groups.", 0) == 0) address_vars.emplace_back(key.substr(20), kv.substr(eq + 1));
    if (key.rfind("vars.port-groups.", 0) == 0) port_vars.emplace_back(key.substr(17), kv.substr(eq + 1));
    cmd.sets.push_back(kv);
  }

  for (const verify::RuleProblem& p : verify::InspectRules(rule_files, "", address_vars, port_vars).problems) {
    std::fprintf(stderr, "rule not loaded: %s\n", p.ToString().c_str());
  }

  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_s * 1000));
  const verify::ChildResult run = verify::RunChildProcess(cmd.Argv(), work + "/stdout", work + "/stderr", timeout);
  if (!run.started || run.timed_out || run.signal != 0 || run.exit_code != 0) {
    std::fprintf(stderr, "vigil rules test: %s failed (%s)\n  command: %s\n", cmd.sensor.c_str(),
                 !run.started   ? run.error.c_str()
                 : run.timed_out ? "timed out"
                 : run.signal    ? ("signal " + std::to_string(run.signal)).c_str()
                                 : ("exit status " + std::to_string(run.exit_code)).c_str(),
                 cmd.ToString().c_str());
    PrintFile(fs::path(work) / "stderr", stderr);
    return 2;
  }
  auto alerts = verify::ReadAlerts((cmd.log_dir / "eve.json").string());
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
  const verify::EvaluatedChecks ev = verify::EvaluateChecks(cmd.log_dir, all);
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
  CLI::App* rules = RulesGroup(app);
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
