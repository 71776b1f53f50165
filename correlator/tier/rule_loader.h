// LoadCorrelationRules: builds the correlator's RuleSet from a comma-separated list of rule files
// and directories (every *.yml / *.yaml directly inside, in name order). All problems come back
// in one error, one "file:line:col: reason" per line. An empty list gives an empty rule set;
// a list naming no rule file at all is an error.
//
//   VIGIL_TRY(auto rules, LoadCorrelationRules("rules/correlation/default,/etc/vigil/local.yml"));
#pragma once

#include <memory>
#include <string_view>

#include "core/result.h"
#include "rules/correlation/rule_set.h"

namespace vigil::correlator {

[[nodiscard]] Result<std::shared_ptr<const RuleSet>> LoadCorrelationRules(std::string_view paths);

}  // namespace vigil::correlator
