// DetectionGuards: a cheap first test per detection rule, so that an event skips the rules that
// cannot match it without evaluating their conditions.
//
// At construction every detection rule gets (when it has one) a guard: one field matcher of a
// selection its condition requires (reached from the root through `and` / `all of`, see
// Condition::RequiredSelections) whose selection has a single alternative, so the rule cannot
// match an event that fails it. Matchers with regexes are not used (their errors are counted).
// Field lookups are shared: the value at each guarded path is looked up at most once per event,
// however many rules test it (50 rules typically test a handful of paths: dest_port,
// alert.signature_id, dns.rrname...). The guard only ever skips rules that would not match, so
// the matches, and everything after them, are those of evaluating every rule. (A skipped rule's
// regexes are not run either, so EngineCounters::regex_errors counts only regexes that ran.)
//
//   DetectionGuards guards(*rules);
//   guards.NewEvent();
//   for (uint32_t d : rules->DetectionsFor(ev.event_type()))
//     if (guards.MayMatch(d, ev, scratch) && rules->detections()[d].Matches(ev, scratch)) ...
//
// Holds pointers into the RuleSet: it must not outlive it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "rules/correlation/event_view.h"
#include "rules/correlation/field_matcher.h"
#include "rules/correlation/rule_set.h"

namespace vigil {

class DetectionGuards {
 public:
  explicit DetectionGuards(const RuleSet& rules);

  // Forgets the field values looked up for the previous event. Call once per event, before
  // MayMatch.
  void NewEvent() {
    if (++generation_ == 0) {  // wrapped: no stale stamp may equal the new generation
      std::fill(stamps_.begin(), stamps_.end(), 0);
      generation_ = 1;
    }
  }
  // False when detection d cannot match ev (its guard fails); true otherwise.
  bool MayMatch(uint32_t d, const EventView& ev, MatchScratch& scratch) {
    const Guard& g = guards_[d];
    if (g.matcher == nullptr) return true;
    if (stamps_[g.path] != generation_) {
      values_[g.path] = ev.Get(paths_[g.path]);
      stamps_[g.path] = generation_;
    }
    return g.matcher->MatchValue(values_[g.path], scratch);
  }

  size_t guarded() const;  // how many detection rules have a guard

 private:
  struct Guard {
    const FieldMatcher* matcher = nullptr;  // none: always evaluated
    uint32_t path = 0;                       // index in paths_
  };
  std::vector<Guard> guards_;       // per detection rule
  std::vector<FieldPath> paths_;    // distinct guarded paths
  std::vector<FieldValue> values_;  // per path: its value in the current event...
  std::vector<uint32_t> stamps_;    // ... when its stamp is generation_
  uint32_t generation_ = 1;
};

}  // namespace vigil
