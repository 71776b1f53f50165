#include "correlator/engine/detection_guard.h"

#include <algorithm>

namespace vigil {
namespace {

// The guard of one rule: the first regex-free matcher of a required single-alternative
// selection, or nullptr.
const FieldMatcher* PickGuard(const DetectionRule& r) {
  std::vector<uint32_t> required;
  r.condition.RequiredSelections(&required);
  for (uint32_t s : required) {
    if (s >= r.selections.size()) continue;
    const auto& alts = r.selections[s].alternatives;
    if (alts.size() != 1) continue;  // OR of alternatives: no single matcher is required
    for (const FieldMatcher& m : alts[0]) {
      if (!m.uses_regex()) return &m;
    }
  }
  return nullptr;
}

}  // namespace

DetectionGuards::DetectionGuards(const RuleSet& rules) {
  guards_.resize(rules.detections().size());
  for (size_t d = 0; d < rules.detections().size(); ++d) {
    const FieldMatcher* m = PickGuard(rules.detections()[d]);
    if (m == nullptr) continue;
    auto it = std::find(paths_.begin(), paths_.end(), m->path());
    if (it == paths_.end()) it = paths_.insert(paths_.end(), m->path());
    guards_[d] = Guard{m, static_cast<uint32_t>(it - paths_.begin())};
  }
  values_.resize(paths_.size());
  stamps_.assign(paths_.size(), 0);
}

size_t DetectionGuards::guarded() const {
  return static_cast<size_t>(
      std::count_if(guards_.begin(), guards_.end(), [](const Guard& g) { return g.matcher != nullptr; }));
}

}  // namespace vigil
