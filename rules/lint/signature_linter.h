// SignatureLinter: Suricata-syntax rule files → findings. It reads files the way the sensor does
// (RuleFileReader: comments, continuation lines, includes; RuleParser with the same variables),
// so an error here is a rule the sensor rejects, and then runs the checks on every parsed rule:
//
//   errors    parse-error, unknown-variable (the rule is not loaded), io-error, pcre-error
//             (the engine skips the rule)
//   warnings  unsupported (skipped by Vigil, with the reason), duplicate-sid (across every file
//             linted by this object, naming both places), unknown-classtype, the prefilter checks
//             (prefilter_checks.h), the never-match checks (match_bounds_checks.h)
//   info      legacy-syntax (legacy_syntax_checks.h)
//
//   SignatureLintConfig cfg;
//   cfg.probe = MakeEngineProbe(...);          // the sensor's fast pattern choice (see probe)
//   SignatureLinter linter(RuleVariables::SuricataDefaults(), cfg);
//   LintResult result;
//   linter.LintFile("local.rules", &result);
//   linter.LintFile("et-open.rules", &result); // duplicate sids are found across both
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "rules/lint/lint_result.h"
#include "rules/lint/prefilter_probe.h"
#include "rules/signature/classification_config.h"
#include "rules/signature/rule_file_reader.h"
#include "rules/signature/rule_parser.h"
#include "rules/signature/rule_variables.h"
#include "rules/signature/threshold_config.h"

namespace vigil::rules::lint {

struct SignatureLintConfig {
  RuleParserConfig parser;      // limits as the sensor's loader; `classifications` is ignored
  RuleFileReaderConfig reader;
  PrefilterProbe probe;         // empty: no prefilter checks
  BufferSideFn buffer_side;     // empty: no flow-conflict check
  PcreCompileFn pcre_compile;   // empty: no pcre-error check
  // Classtypes rules may use; null: Suricata's stock set (what the sensor uses without a file).
  const ClassificationConfig* classifications = nullptr;
};

class SignatureLinter {
 public:
  SignatureLinter(const RuleVariables& vars, SignatureLintConfig config);

  // Lints `path` and its includes. A file that cannot be read is an io-error finding.
  void LintFile(const std::string& path, LintResult* out);
  // Lints rules held in memory; `name` labels locations.
  void LintString(std::string_view text, std::string name, LintResult* out);
  // threshold.config entries naming a gid:sid no linted rule has (threshold-unknown-sid).
  void CheckThresholds(const ThresholdConfig& thresholds, std::string_view source, LintResult* out) const;

 private:
  struct Place {
    std::string file;
    uint32_t line = 0;
  };
  void OnLine(const LogicalLine& line, const RuleFileReader& reader, LintResult* out);
  void OnIssue(const ReaderIssue& issue, const RuleFileReader& reader, LintResult* out) const;

  SignatureLintConfig config_;
  RuleParser parser_;
  ClassificationConfig default_classes_;
  std::unordered_map<uint64_t, Place> sids_;  // (gid << 32 | sid) → first definition
};

}  // namespace vigil::rules::lint
