// DetectionRule: a compiled Sigma detection rule, the single-event building block that
// correlation rules count, group and sequence.
//
//   title: SSH brute force signature
//   name: ssh_bruteforce_alert
//   logsource: {product: vigil, category: alert}      # -> event_type "alert"
//   detection:
//     selection:
//       alert.signature|contains: ["brute force", "ssh scan"]
//     filter:
//       src_ip|cidr: 10.0.0.0/8
//     condition: selection and not filter
//
// A selection is a map (fields ANDed) or a list of maps (ORed); the condition combines the
// selections (see condition.h). The logsource category becomes an event_type filter so the
// engine only evaluates the rule on events of that type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rules/correlation/condition.h"
#include "rules/correlation/event_view.h"
#include "rules/correlation/field_matcher.h"
#include "rules/correlation/source_pos.h"

namespace vigil {

// One named selection: OR over alternatives, AND over the matchers of one alternative.
struct Selection {
  std::vector<std::vector<FieldMatcher>> alternatives;

  bool Match(const EventView& ev, MatchScratch& scratch) const {
    for (const auto& alt : alternatives) {
      bool all = true;
      for (const FieldMatcher& m : alt) {
        if (!m.Match(ev, scratch)) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }
};

struct DetectionRule {
  std::string id;     // Sigma id (UUID recommended); may be empty
  std::string name;   // Sigma name: what correlation rules usually reference; may be empty
  std::string title;
  std::string level;  // informational|low|medium|high|critical; empty when not given
  std::string event_type;  // from logsource; empty = every event type
  std::vector<std::string> selection_names;
  std::vector<Selection> selections;
  Condition condition;
  SourcePos pos;      // where the rule's document starts

  bool Matches(const EventView& ev, MatchScratch& scratch) const {
    return condition.Evaluate([&](size_t i) { return selections[i].Match(ev, scratch); });
  }
  // id when set, else name: how outputs and messages refer to the rule.
  const std::string& Label() const { return id.empty() ? name : id; }
};

}  // namespace vigil
