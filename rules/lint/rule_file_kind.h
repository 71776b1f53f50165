// RuleFileKind: is a file signature rules (Suricata syntax) or correlation rules (YAML)?
// By extension first (.rules; .yml/.yaml), else by its first meaningful line: a rule action
// (alert, drop, pass, reject..., include) means signatures; a YAML document start (`---`) or a
// `key:` line means correlation. Anything else is read as signatures, whose errors then say
// what is wrong.
//
//   RuleFileKind k = ClassifyRuleFile("local.rules", first_4k_bytes);
#pragma once

#include <string_view>

namespace vigil::rules::lint {

enum class RuleFileKind : uint8_t { kSignature, kCorrelation };

RuleFileKind ClassifyRuleFile(std::string_view path, std::string_view head);

}  // namespace vigil::rules::lint
