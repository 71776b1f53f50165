// InspectRules: loads a test's rules with the project's own signature loader (the parser
// vigil-sensor uses) to learn which rules do not load and why, so a failing test whose expected
// alert comes from such a rule is reported as "rule load error" with the loader's reason instead
// of a bare "alert did not fire".
//
//   auto inspection = InspectRules(files, inline_text, address_vars, port_vars);
//   for (const RuleProblem& p : inspection.problems) print(p.where, p.reason);  // "test.rules:3:40"
//   inspection.protocol_by_sid[2];   // "http": what a rule that loaded but never fired is about
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vigil::verify {

struct RuleProblem {
  uint32_t sid = 0;     // 0 when the loader could not tell
  bool skipped = false; // valid but unsupported (vs. an error)
  std::string where;    // "test.rules:3:40"
  std::string reason;   // "unsupported keyword 'xbits'"

  // "skipped: unsupported keyword 'xbits'" — the part that groups tests by cause.
  std::string Kind() const;
  std::string ToString() const;  // "test.rules:3:40: skipped: [sid 2] unsupported keyword 'xbits'"
};

struct RuleInspection {
  std::vector<RuleProblem> problems;
  // Header protocol ("http", "tcp", ...) of each rule that loaded, by sid.
  std::map<uint32_t, std::string> protocol_by_sid;
};

RuleInspection InspectRules(const std::vector<std::filesystem::path>& files,
                                          const std::string& inline_rules,
                                          const std::vector<std::pair<std::string, std::string>>& address_vars,
                                          const std::vector<std::pair<std::string, std::string>>& port_vars);

}  // namespace vigil::verify
