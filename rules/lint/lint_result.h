// LintResult: everything one `vigil rules check` run found, plus the counts the summary needs.
// The linters (SignatureLinter, LintCorrelationFiles) append to it; lint_report formats it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rules/lint/finding.h"

namespace vigil::rules::lint {

struct LintStats {
  size_t files = 0;
  size_t signature_rules = 0;   // logical rule lines seen
  size_t signature_loaded = 0;  // parsed (the sensor loads them, unless the engine skips one)
  size_t signature_skipped = 0; // unsupported by Vigil
  size_t signature_errors = 0;  // rejected
  size_t correlation_rules = 0; // detection + correlation rules parsed (valid files only)
};

struct LintResult {
  std::vector<Finding> findings;  // in the order found (file order, then line)
  LintStats stats;

  size_t Count(Severity s) const;
  bool has_errors() const { return Count(Severity::kError) > 0; }
};

}  // namespace vigil::rules::lint
