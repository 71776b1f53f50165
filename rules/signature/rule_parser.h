// RuleParser: one rule's text → Rule, or a RuleError saying why not and where.
//
//   RuleParser parser(vars);                   // vars: RuleVariables (copied; e.g. SuricataDefaults())
//   RuleParseResult r = parser.Parse(text);
//   if (r.ok()) use(*r.rule);
//   else if (r.error.unsupported()) skip(r.error.message);   // "unsupported keyword 'xbits'"
//   else reject(r.error.offset, r.error.message);
//
// Header: action protocol src sport ->|<> dst dport, each address/port compiled against the
// variables (compiled sets are cached per parser and shared between rules). Options are handled
// in rule order, the way Suricata builds its lists: sticky buffers switch the current buffer,
// content modifiers attach to the most recent content, legacy buffer modifiers move the most
// recent content into their buffer, relative keywords without a sticky buffer follow the
// previous match into its buffer. A keyword this parser does not know makes the rule
// *unsupported* (skipped, counted by keyword), never an error, so new Suricata keywords in a
// feed cost only the rules that use them.
//
// A parser caches compiled expressions, so it is not thread-safe; use one per thread.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "rules/signature/address_set.h"
#include "rules/signature/classification_config.h"
#include "rules/signature/port_set.h"
#include "rules/signature/rule.h"
#include "rules/signature/rule_error.h"
#include "rules/signature/rule_variables.h"

namespace vigil::rules {

struct RuleParserConfig {
  // Longest rule text accepted (ET's reputation rules with long IP lists run to ~30 KiB).
  size_t max_rule_length = 1u << 20;
  // Most options in one rule.
  size_t max_options = 4096;
  // Distinct address/port expressions kept compiled; beyond it expressions are compiled per rule.
  size_t max_cached_expressions = 16384;
  ExpressionLimits expression_limits;
  // When set, a classtype that is not in it is an error (as in Suricata). Not owned.
  const ClassificationConfig* classifications = nullptr;
};

struct RuleParseResult {
  std::optional<Rule> rule;
  RuleError error;  // meaningful when !ok()
  bool ok() const { return rule.has_value(); }
};

class RuleParser {
 public:
  explicit RuleParser(const RuleVariables& vars, RuleParserConfig config = {});

  RuleParseResult Parse(std::string_view text);

  const RuleParserConfig& config() const { return config_; }

 private:
  Result<std::shared_ptr<const AddressSet>> CompileAddress(std::string_view text);
  Result<std::shared_ptr<const PortSet>> CompilePorts(std::string_view text);

  RuleVariables vars_;  // a copy: callers often pass a temporary such as SuricataDefaults()
  RuleParserConfig config_;
  std::unordered_map<std::string, std::shared_ptr<const AddressSet>> address_cache_;
  std::unordered_map<std::string, std::shared_ptr<const PortSet>> port_cache_;
};

}  // namespace vigil::rules
