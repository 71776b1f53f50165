#include "tools/verify/report.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "core/json_writer.h"

namespace vigil::verify {

std::string FormatResultLine(const TestResult& r) {
  std::string s = std::string(TestStatusName(r.status)) + " " + r.name;
  if (!r.reason.empty()) s += ": " + r.reason;
  return s;
}

SuiteTotals Summarize(const std::vector<TestResult>& results) {
  SuiteTotals t;
  std::map<std::string, size_t> groups;
  for (const TestResult& r : results) {
    ++t.total;
    t.sensor_seconds += r.seconds;
    switch (r.status) {
      case TestStatus::kPass: ++t.passed; break;
      case TestStatus::kFail: ++t.failed; break;
      case TestStatus::kError: ++t.errors; break;
      case TestStatus::kSkip: ++t.skipped; break;
    }
    if (r.status != TestStatus::kPass) ++groups[r.group.empty() ? r.reason : r.group];
  }
  t.groups.assign(groups.begin(), groups.end());
  std::stable_sort(t.groups.begin(), t.groups.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return t;
}

std::string FormatTotals(const SuiteTotals& t, size_t max_groups) {
  char line[256];
  const double pct = t.total == 0 ? 0.0 : 100.0 * static_cast<double>(t.passed) / static_cast<double>(t.total);
  std::snprintf(line, sizeof(line), "passed %zu of %zu (%.1f%%)  [fail %zu, error %zu, skip %zu]\n", t.passed,
                t.total, pct, t.failed, t.errors, t.skipped);
  std::string s = line;
  if (t.groups.empty()) return s;
  s += "failure reasons (tests):\n";
  size_t shown = 0;
  size_t rest = 0;
  for (const auto& [group, count] : t.groups) {
    if (max_groups != 0 && shown >= max_groups) {
      rest += count;
      continue;
    }
    std::snprintf(line, sizeof(line), "  %5zu  ", count);
    s += line + group + "\n";
    ++shown;
  }
  if (rest > 0) s += "  " + std::to_string(rest) + " more in " + std::to_string(t.groups.size() - shown) + " other classes\n";
  return s;
}

Status WriteFailuresFile(const std::string& path, const std::vector<TestResult>& results) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return Error(ErrorCode::kIo, path + ": cannot write");
  JsonWriter w;
  for (const TestResult& r : results) {
    if (r.status == TestStatus::kPass) continue;
    w.Clear();
    w.BeginObject();
    w.KeyString("test", r.name);
    w.KeyString("status", TestStatusName(r.status));
    w.KeyString("reason", r.reason);
    w.KeyString("group", r.group);
    w.KeyUint("scored_checks", r.scored_checks);
    w.KeyUint("passed_checks", r.passed_checks);
    w.KeyString("command", r.command);
    if (!r.work_dir.empty()) w.KeyString("work_dir", r.work_dir);
    w.KeyArray("details");
    for (const std::string& d : r.details) w.String(d);
    w.EndArray();
    w.EndObject();
    w.Newline();
    if (!w.ok()) return w.status();
    out << w.view();
  }
  if (!out) return Error(ErrorCode::kIo, path + ": write failed");
  return Ok();
}

}  // namespace vigil::verify
