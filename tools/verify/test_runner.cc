#include "tools/verify/test_runner.h"

#include <fstream>
#include <sstream>

#include "tools/verify/check_evaluation.h"
#include "tools/verify/child_process.h"
#include "tools/verify/rule_problems.h"
#include "tools/verify/sensor_command.h"
#include "tools/verify/test_case.h"

namespace vigil::verify {

namespace fs = std::filesystem;

const char* TestStatusName(TestStatus s) {
  switch (s) {
    case TestStatus::kPass: return "PASS";
    case TestStatus::kFail: return "FAIL";
    case TestStatus::kError: return "ERROR";
    case TestStatus::kSkip: return "SKIP";
  }
  return "?";
}

namespace {

std::string SafeName(const std::string& name) {
  std::string s;
  for (char c : name) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return s.substr(0, 100);
}

// The line of a sensor's stderr that says what went wrong: the last one naming an error or the
// sensor, else the last non-empty one; cut to `max` characters.
std::string ErrorLine(const fs::path& path, size_t max = 200) {
  std::ifstream in(path);
  std::string line;
  std::string last;
  std::string named;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    last = line;
    if (line.find("rror") != std::string::npos || line.rfind("vigil-sensor:", 0) == 0) named = line;
  }
  if (!named.empty()) last = named;
  if (last.size() > max) last = last.substr(0, max) + "...";
  return last;
}

// Text of a sensor failure for grouping: paths replaced so runs of different tests group.
std::string Generalize(std::string s, const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    if (p.empty()) continue;
    for (size_t pos = s.find(p); pos != std::string::npos; pos = s.find(p, pos)) s.replace(pos, p.size(), "PATH");
  }
  return s.substr(0, 120);
}

class WorkDir {
 public:
  WorkDir(fs::path path, bool keep) : path_(std::move(path)), keep_(keep) {
    std::error_code ec;
    fs::remove_all(path_, ec);
    ok_ = fs::create_directories(path_, ec);
  }
  ~WorkDir() {
    if (!keep_) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  bool ok() const { return ok_; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  bool keep_;
  bool ok_ = false;
};

void Finish(TestResult* r, TestStatus status, std::string reason, std::string group) {
  r->status = status;
  r->reason = std::move(reason);
  r->group = std::move(group);
}

}  // namespace

TestResult RunTest(const TestRef& test, const RunnerOptions& options, size_t ordinal) {
  TestResult r;
  r.name = test.name;
  auto loaded = LoadTestCase(test.dir, test.name, options.version);
  if (!loaded) {
    const std::string& m = loaded.error().message;
    Finish(&r, TestStatus::kError, m,
           m.rfind("malformed test.yaml", 0) == 0 ? "malformed test.yaml" : "incomplete test: " + m);
    return r;
  }
  TestCase& tc = *loaded;
  r.details = tc.notes;
  for (const std::string& u : tc.requirements.unchecked()) r.details.push_back("requires " + u + ": not checked");
  if (auto why = tc.requirements.Unsatisfied(options.version)) {
    Finish(&r, TestStatus::kSkip, *why, "skipped: version requirement");
    return r;
  }
  std::vector<const FilterCheck*> scored;
  for (const FilterCheck& c : tc.checks.filters) {
    if (!c.alert) continue;
    if (auto why = c.requirements.Unsatisfied(options.version)) {
      r.details.push_back("check " + std::to_string(c.number) + " skipped: " + *why);
      continue;
    }
    scored.push_back(&c);
  }
  r.scored_checks = scored.size();
  if (scored.empty()) {
    Finish(&r, TestStatus::kSkip, "no alert check applies", "skipped: no alert check");
    return r;
  }

  WorkDir work(options.work_root / (std::to_string(ordinal) + "-" + SafeName(test.name)), options.keep);
  if (!work.ok()) {
    Finish(&r, TestStatus::kError, "cannot create work directory " + work.path().string(), "runner error");
    return r;
  }
  if (options.keep) r.work_dir = work.path().string();
  std::vector<fs::path> rule_files = tc.rule_files;
  if (!tc.inline_rules.empty()) {
    const fs::path inline_path = work.path() / "inline.rules";
    std::ofstream(inline_path) << tc.inline_rules;
    rule_files.push_back(inline_path);
  }
  const fs::path out_dir = work.path() / "output";
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  const fs::path abs_dir = fs::absolute(test.dir, ec).lexically_normal();
  auto absolute = [&](const fs::path& p) { return fs::absolute(p, ec).lexically_normal(); };
  TestConfigTranslation tr = TranslateTestConfig(tc.args, abs_dir, out_dir);
  r.details.insert(r.details.end(), tr.notes.begin(), tr.notes.end());

  SensorCommand cmd;
  cmd.sensor = options.sensor;
  cmd.pcap = absolute(tc.pcap);
  cmd.log_dir = out_dir;
  for (const auto& f : rule_files) cmd.rule_files.push_back(absolute(f));
  cmd.checksum_none = tr.checksum_none;
  cmd.sets = tr.sets;
  r.command = cmd.ToString();

  const ChildResult run =
      RunChildProcess(cmd.Argv(), (work.path() / "stdout").string(), (work.path() / "stderr").string(), options.timeout);
  r.seconds = run.seconds;
  const std::string stderr_tail = ErrorLine(work.path() / "stderr");
  const std::vector<std::string> paths = {out_dir.string(), abs_dir.string(), cmd.pcap.string(),
                                          work.path().string()};
  if (!run.started) {
    Finish(&r, TestStatus::kError, "cannot run the sensor: " + run.error, "runner error: cannot run the sensor");
    return r;
  }
  if (run.timed_out) {
    Finish(&r, TestStatus::kFail, "sensor timed out after " + std::to_string(options.timeout.count() / 1000) + " s",
           "sensor timed out");
    return r;
  }
  if (run.signal != 0) {
    Finish(&r, TestStatus::kFail, "sensor crashed (signal " + std::to_string(run.signal) + "): " + stderr_tail,
           "sensor crashed (signal " + std::to_string(run.signal) + ")");
    return r;
  }
  if (run.exit_code != 0) {
    Finish(&r, TestStatus::kFail,
           "sensor exited with status " + std::to_string(run.exit_code) + ": " + stderr_tail,
           "sensor exited with status " + std::to_string(run.exit_code) + ": " + Generalize(stderr_tail, paths));
    return r;
  }

  const EvaluatedChecks ev = EvaluateChecks(out_dir, scored);
  if (!ev.file_error.empty() && ev.file_error.rfind("malformed", 0) == 0) {
    Finish(&r, TestStatus::kError, ev.file_error, "malformed eve.json");
    return r;
  }
  const CheckOutcome* first_fail = nullptr;
  const FilterCheck* first_check = nullptr;
  for (size_t i = 0; i < scored.size(); ++i) {
    if (ev.outcomes[i].passed) {
      ++r.passed_checks;
    } else if (first_fail == nullptr) {
      first_fail = &ev.outcomes[i];
      first_check = scored[i];
    } else {
      r.details.push_back("also failed: " + ev.outcomes[i].reason);
    }
  }
  if (first_fail == nullptr) {
    Finish(&r, TestStatus::kPass, "", "");
    return r;
  }

  // A failure caused by a rule that did not load is reported as such.
  const RuleInspection inspection = InspectRules(rule_files, "", tr.address_vars, tr.port_vars);
  const std::vector<RuleProblem>& problems = inspection.problems;
  const RuleProblem* cause = nullptr;
  const int64_t sid = first_check->signature_id();
  for (const RuleProblem& p : problems) {
    if (sid != 0 && p.sid == sid && first_check->count > 0) {
      cause = &p;
      break;
    }
  }
  if (cause == nullptr && sid == 0 && !problems.empty() && first_check->count > 0) cause = &problems.front();
  if (cause != nullptr) {
    r.details.push_back(first_fail->reason);
    Finish(&r, TestStatus::kError, "rule load error: " + cause->ToString(), "rule load error: " + cause->Kind());
    return r;
  }
  for (const RuleProblem& p : problems) r.details.push_back("rule did not load: " + p.ToString());
  std::string group = first_fail->group;
  // Rules that loaded but did not fire: name their protocol, so the class points at the gap.
  if (group == "no alerts at all" || group == "alert did not fire" || group == "alert fired too few times") {
    std::string proto;
    if (sid != 0) {
      auto it = inspection.protocol_by_sid.find(static_cast<uint32_t>(sid));
      proto = it != inspection.protocol_by_sid.end() ? it->second + " rule" : "no rule has this sid";
    } else if (!inspection.protocol_by_sid.empty()) {
      proto = inspection.protocol_by_sid.begin()->second;
      for (const auto& [rule_sid, p] : inspection.protocol_by_sid) {
        if (p != proto) proto = "mixed";
      }
      proto += " rules";
    }
    if (!proto.empty()) group += " (" + proto + ")";
  }
  Finish(&r, TestStatus::kFail, first_fail->reason, group);
  return r;
}

}  // namespace vigil::verify
