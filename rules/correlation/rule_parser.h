// RuleParser: reads the YAML of a correlation rule file (one or more documents separated by
// `---`) into DetectionRule and CorrelationRule objects, checking everything that can be checked
// within one document. References between rules (by name or id), aliases and chaining cycles
// are checked later by RuleSetBuilder, which sees every file.
//
// yaml-cpp throws; this is the boundary where its exceptions become vigil::Error. Every problem
// is reported as "file:line:col: reason" and parsing continues with the next document, so an
// analyst sees all the mistakes of a file at once.
//
//   ParsedRules rules;
//   std::vector<Error> errors;
//   ParseRuleText("local.yml", text, RuleParserConfig{}, rules, errors);
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "rules/correlation/correlation_rule.h"
#include "rules/correlation/detection_rule.h"

namespace vigil {

struct RuleParserConfig {
  // Largest rule text accepted (bytes). Rule files are hand-written; 4 MiB is generous.
  size_t max_text_bytes = 4u << 20;
  // Most YAML documents per text.
  size_t max_documents = 10'000;
  // Most field values (after YAML aliases are expanded) per document: stops alias bombs.
  size_t max_values_per_document = 10'000;
  // Errors recorded per text before giving up.
  size_t max_errors = 100;
};

struct ParsedRules {
  std::vector<DetectionRule> detections;
  std::vector<CorrelationRule> correlations;
};

// The event types a logsource category (or service) may name.
const std::vector<std::string_view>& KnownEventTypes();

void ParseRuleText(std::string_view file, std::string_view text, const RuleParserConfig& config,
                   ParsedRules& out, std::vector<Error>& errors);

}  // namespace vigil
