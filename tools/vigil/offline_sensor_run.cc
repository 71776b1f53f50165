#include "tools/vigil/offline_sensor_run.h"

#include <chrono>
#include <cstdio>
#include <fstream>

#include "tools/verify/child_process.h"
#include "tools/verify/rule_problems.h"
#include "tools/verify/sensor_command.h"
#include "tools/verify/sensor_locator.h"
#include "tools/verify/temp_dir.h"

namespace vigil::cli {

namespace fs = std::filesystem;

namespace {

void PrintFile(const fs::path& path, FILE* to) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) std::fprintf(to, "  %s\n", line.c_str());
}

}  // namespace

OfflineSensorRun::~OfflineSensorRun() {
  std::error_code ec;
  if (!keep_ && !work_.empty()) fs::remove_all(work_, ec);
}

int OfflineSensorRun::Run(const OfflineRunOptions& a) {
  const char* tool = tool_.c_str();
  auto sensor = verify::FindSensor(a.sensor);
  if (!sensor) {
    std::fprintf(stderr, "%s: %s\n", tool, sensor.error().message.c_str());
    return 2;
  }
  auto made = verify::MakeTempDir("vigil-rules-run");
  if (!made) {
    std::fprintf(stderr, "%s: %s\n", tool, made.error().message.c_str());
    return 2;
  }
  work_ = *made;
  keep_ = a.keep;

  std::error_code ec;
  verify::SensorCommand cmd;
  cmd.sensor = *sensor;
  cmd.pcap = fs::absolute(a.pcap, ec);
  cmd.log_dir = work_ / "output";
  log_dir_ = cmd.log_dir;
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
      std::fprintf(stderr, "%s: --set %s: expected KEY=VALUE\n", tool, kv.c_str());
      return 2;
    }
    const std::string key = kv.substr(0, eq);
    if (key.rfind("vars.address-groups.", 0) == 0) address_vars.emplace_back(key.substr(20), kv.substr(eq + 1));
    if (key.rfind("vars.port-groups.", 0) == 0) port_vars.emplace_back(key.substr(17), kv.substr(eq + 1));
    std::string value = kv;
    if (const size_t at = value.find("{log_dir}"); at != std::string::npos)
      value.replace(at, 9, cmd.log_dir.string());
    cmd.sets.push_back(value);
  }

  for (const verify::RuleProblem& p : verify::InspectRules(rule_files, "", address_vars, port_vars).problems) {
    std::fprintf(stderr, "rule not loaded: %s\n", p.ToString().c_str());
  }

  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_s * 1000));
  const std::string work = work_.string();
  const verify::ChildResult run =
      verify::RunChildProcess(cmd.Argv(), work + "/stdout", work + "/stderr", timeout);
  if (!run.started || run.timed_out || run.signal != 0 || run.exit_code != 0) {
    std::fprintf(stderr, "%s: %s failed (%s)\n  command: %s\n", tool, cmd.sensor.c_str(),
                 !run.started    ? run.error.c_str()
                 : run.timed_out ? "timed out"
                 : run.signal    ? ("signal " + std::to_string(run.signal)).c_str()
                                 : ("exit status " + std::to_string(run.exit_code)).c_str(),
                 cmd.ToString().c_str());
    PrintFile(work_ / "stderr", stderr);
    return 2;
  }
  return 0;
}

}  // namespace vigil::cli
