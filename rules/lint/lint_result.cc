#include "rules/lint/lint_result.h"

#include <algorithm>

namespace vigil::rules::lint {

size_t LintResult::Count(Severity s) const {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(), [s](const Finding& f) { return f.severity() == s; }));
}

}  // namespace vigil::rules::lint
