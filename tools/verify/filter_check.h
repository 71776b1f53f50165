// FilterCheck: one `- filter:` entry of a suricata-verify test (count, match, requires,
// filename), and FilterEvaluator, which counts the records of one eve.json that match each check
// in a single pass and explains a failure (which match term stopped the count, and what the
// records held there instead).
//
//   auto checks = ParseChecks(yaml["checks"], &notes);       // filter checks of a test
//   FilterEvaluator ev(checks->filters);
//   ReadJsonLines(path, [&](simdjson::dom::element rec) { ev.Add(rec); });
//   for (const CheckOutcome& o : ev.Finish()) if (!o.passed) print(o.reason);
//
// A check is *scored* (counts towards conformance) when its match has `event_type: alert`.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "tools/verify/json_match.h"
#include "tools/verify/requirements.h"

namespace vigil::verify {

struct FilterCheck {
  size_t number = 0;  // 1-based position among the test's checks
  int64_t count = 0;
  std::vector<MatchTerm> match;
  std::string filename = "eve.json";
  Requirements requirements;
  bool alert = false;  // match has event_type: alert

  // "count 1, match event_type=alert alert.signature_id=2"
  std::string ToString() const;
  // The sid the check is about, 0 when it names none.
  int64_t signature_id() const;
};

struct ParsedChecks {
  std::vector<FilterCheck> filters;
  size_t other_checks = 0;  // shell, stats, file-compare: not evaluated
};

// `checks:` of a test.yaml (or of a `vigil rules test --expect` file). An entry that is not a
// well-formed filter is an error naming the check number.
Result<ParsedChecks> ParseChecks(const YAML::Node& checks);
// The `checks:` of a YAML file (a test.yaml or an expectations file for `vigil rules test`).
Result<ParsedChecks> LoadChecksFile(const std::string& path);

struct CheckOutcome {
  bool passed = false;
  int64_t got = 0;
  std::string reason;  // why it failed: "expected count 1 got 0; no record with alert.signature_id=2"
  std::string group;   // the failure class for the summary: "alert did not fire"
};

class FilterEvaluator {
 public:
  explicit FilterEvaluator(std::span<const FilterCheck* const> checks);

  void Add(simdjson::dom::element record);
  std::vector<CheckOutcome> Finish() const;

 private:
  struct State {
    int64_t count = 0;
    bool error = false;
    std::string error_term;
    // prefix[k]: records matching the first k terms; sample[k]: what the first record that
    // matched terms 0..k-1 but not term k held at term k's path.
    std::vector<int64_t> prefix;
    std::vector<std::string> sample;
  };
  std::vector<const FilterCheck*> checks_;
  std::vector<State> states_;
};

}  // namespace vigil::verify
