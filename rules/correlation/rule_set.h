// RuleSet: every detection and correlation rule of a deployment, cross-checked and indexed for
// the correlation engine. RuleSetBuilder reads the files; Build() resolves references by name
// or id, applies aliases, rejects chaining cycles, and indexes detection rules by event_type so
// an event meets only the rules that can apply to it.
//
//   RuleSetBuilder b;
//   b.AddFile("rules/correlation/default/port_scan.yml");
//   b.AddText("inline.yml", yaml_text);
//   Result<RuleSet> rs = b.Build();     // error: one "file:line:col: reason" line per problem
//   for (uint32_t d : rs->DetectionsFor("flow")) ...
//
// A RuleSet is immutable: engines share it read-only (reload builds a new one and swaps).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "rules/correlation/correlation_rule.h"
#include "rules/correlation/detection_rule.h"
#include "rules/correlation/rule_parser.h"

namespace vigil {

class RuleSet {
 public:
  // A correlation rule fed by some rule: correlations()[correlation].sources[source].
  struct Consumer {
    uint32_t correlation;
    uint32_t source;
  };

  const std::vector<DetectionRule>& detections() const { return detections_; }
  const std::vector<CorrelationRule>& correlations() const { return correlations_; }

  // Detection rules to evaluate on an event of this type (rules for the type and rules for any
  // type, in file order). Rules no correlation uses are left out.
  std::span<const uint32_t> DetectionsFor(std::string_view event_type) const;
  const std::vector<Consumer>& ConsumersOfDetection(uint32_t d) const { return detection_consumers_[d]; }
  const std::vector<Consumer>& ConsumersOfCorrelation(uint32_t c) const { return correlation_consumers_[c]; }
  // Whether a detection rule emits an alert of its own (a correlation using it says generate).
  bool DetectionGenerates(uint32_t d) const { return detection_generates_[d] != 0; }
  // Correlation rules in an order where every rule comes after the rules it consumes.
  const std::vector<uint32_t>& topological_order() const { return topo_; }

  // Identifies the rules, their types, groupings and timespans: a checkpoint taken under one
  // rule set is only restored under a rule set with the same fingerprint.
  uint64_t fingerprint() const { return fingerprint_; }

 private:
  friend class RuleSetBuilder;
  std::vector<DetectionRule> detections_;
  std::vector<CorrelationRule> correlations_;
  std::vector<std::vector<Consumer>> detection_consumers_;
  std::vector<std::vector<Consumer>> correlation_consumers_;
  std::vector<uint8_t> detection_generates_;
  std::vector<std::pair<std::string, std::vector<uint32_t>>> by_type_;
  std::vector<uint32_t> any_type_;
  std::vector<uint32_t> topo_;
  uint64_t fingerprint_ = 0;
};

class RuleSetBuilder {
 public:
  RuleSetBuilder() = default;
  explicit RuleSetBuilder(const RuleParserConfig& config) : config_(config) {}

  // Reads and parses a file; problems are kept for Build(). Returns false if the file could not
  // be read at all.
  bool AddFile(const std::string& path);
  void AddText(std::string_view name, std::string_view text);

  // Every problem found so far (parse errors; Build adds reference errors).
  const std::vector<Error>& errors() const { return errors_; }

  // Fails with all problems, one per line, when any rule is bad.
  Result<RuleSet> Build();

 private:
  RuleParserConfig config_;
  ParsedRules parsed_;
  std::vector<Error> errors_;
};

}  // namespace vigil
