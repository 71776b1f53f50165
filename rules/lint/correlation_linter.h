// Correlation rule files (Sigma-style YAML, rules/correlation/) → findings. The files are
// parsed together, as the correlator loads them, so references between rules (by name or id)
// resolve across files; every problem RuleSetBuilder reports becomes a correlation-error
// finding with its file:line:col (io-error when a file cannot be read).
//
//   LintResult result;
//   LintCorrelationFiles({"rules/correlation/default/port_scan.yml"}, &result);
#pragma once

#include <string>
#include <vector>

#include "rules/lint/lint_result.h"

namespace vigil::rules::lint {

void LintCorrelationFiles(const std::vector<std::string>& paths, LintResult* out);

// Splits "file:line:col: reason" (as the correlation parser writes errors) into a finding,
// given the files it may name; anything else becomes a finding on `fallback_file`.
Finding CorrelationErrorFinding(const std::string& message, const std::vector<std::string>& files,
                                const std::string& fallback_file);

}  // namespace vigil::rules::lint
