// RuleLoader: loads rule files into a RuleSet, never letting one bad rule stop the others.
//
// Each logical line from RuleFileReader goes through RuleParser and ends in exactly one bucket:
//   loaded   — parsed; appended to RuleSet::rules;
//   skipped  — valid but uses something Vigil does not implement; counted by reason
//              ("unsupported keyword 'xbits'") so analysts see what a feed costs them;
//   error    — a syntax or semantic error, reported as file:line:column with the reason.
// A (gid, sid) seen before is a warning; the later rule is still loaded (as Suricata does not,
// the engine decides; the summary makes the duplicate visible).
//
//   RuleLoader loader(RuleVariables::SuricataDefaults());
//   RuleSet set;
//   if (auto st = loader.LoadFile("et-open.rules", &set); !st) fail(st.error());
//   std::cout << set.summary.ToString();
//   for (const LoadDiagnostic& d : set.diagnostics) std::cerr << d.ToString() << "\n";
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/result.h"
#include "rules/signature/rule.h"
#include "rules/signature/rule_file_reader.h"
#include "rules/signature/rule_parser.h"
#include "rules/signature/rule_variables.h"

namespace vigil::rules {

struct RuleLoaderConfig {
  RuleParserConfig parser;
  RuleFileReaderConfig reader;
  // Diagnostics kept in RuleSet::diagnostics; past it they are only counted.
  size_t max_diagnostics = 100000;
};

enum class DiagnosticKind : uint8_t { kError, kSkipped, kWarning };

struct LoadDiagnostic {
  DiagnosticKind kind = DiagnosticKind::kError;
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t sid = 0;  // when known
  std::string message;
  // "et.rules:12:40: error: content: unterminated |...| hex block"
  std::string ToString() const;
};

struct LoadSummary {
  size_t rules_seen = 0;  // logical rule lines handed to the parser
  size_t loaded = 0;
  size_t skipped = 0;
  size_t errors = 0;  // rule syntax errors plus file-level problems (includes)
  size_t warnings = 0;
  size_t duplicate_sids = 0;
  std::map<std::string, size_t> skipped_by_reason;
  std::map<std::string, size_t> errors_by_reason;  // keyed by message without location

  // Reasons sorted by count, most common first.
  std::vector<std::pair<std::string, size_t>> TopSkipReasons(size_t n) const;
  std::string ToString() const;
};

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<std::string> files;  // Rule::file_index refers here
  LoadSummary summary;
  std::vector<LoadDiagnostic> diagnostics;
  std::unordered_set<uint64_t> seen_sids;  // (gid << 32 | sid), for duplicate detection
};

class RuleLoader {
 public:
  explicit RuleLoader(const RuleVariables& vars, RuleLoaderConfig config = {});

  // Appends the rules of `path` (and its includes) to `out`. Fails only when `path` itself cannot
  // be read.
  Status LoadFile(const std::string& path, RuleSet* out);
  // Appends rules from memory; `name` labels locations.
  void LoadString(std::string_view text, std::string name, RuleSet* out);

 private:
  void OnLine(const LogicalLine& line, const RuleFileReader& reader, size_t file_base, RuleSet* out);
  void AddDiagnostic(RuleSet* out, LoadDiagnostic d);

  RuleLoaderConfig config_;
  RuleParser parser_;
};

}  // namespace vigil::rules
