// Condition: the `condition` line of a Sigma detection, parsed once into a small expression tree
// over the rule's named selections.
//
//   selection and not filter
//   (sel_a or sel_b) and not 1 of filter_*
//   1 of sel*        all of sel*        1 of them        all of them
//
// Precedence: not > and > or; parentheses group. Keywords are lower case. A name must be a
// selection of the same rule; a `x*` pattern must match at least one. Errors give the 1-based
// position in the condition text and what was expected there.
//
//   VIGIL_TRY(Condition c, Condition::Parse("sel and not filter", {"sel", "filter"}));
//   bool hit = c.Evaluate([&](size_t sel) { return selections[sel].Match(ev); });
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil {

class Condition {
 public:
  // Deepest nesting of parentheses and `not` accepted; guards the recursive parser.
  static constexpr int kMaxDepth = 64;
  // Longest condition text accepted.
  static constexpr size_t kMaxLength = 4096;

  static Result<Condition> Parse(std::string_view text, const std::vector<std::string>& selections);

  // sel(i) returns whether selection i matches; it is called lazily (short-circuit).
  template <typename F>
  bool Evaluate(F&& sel) const {
    return nodes_.empty() ? false : Eval(static_cast<uint32_t>(nodes_.size() - 1), sel);
  }

  size_t node_count() const { return nodes_.size(); }
  // Appends the selections that match whenever the whole condition does (those reached from the
  // root through `and`, `all of` and one-element `1 of` only): a rule whose required selection
  // fails cannot match, whatever the rest says.
  void RequiredSelections(std::vector<uint32_t>* out) const;

 private:
  friend class ConditionParser;
  enum class Op : uint8_t { kSel, kAnd, kOr, kNot, kOneOf, kAllOf };
  struct Node {
    Op op;
    uint32_t a = 0;  // kSel: selection; kAnd/kOr/kNot: child; kOneOf/kAllOf: first in lists_
    uint32_t b = 0;  // kAnd/kOr: right child; kOneOf/kAllOf: count
  };

  template <typename F>
  bool Eval(uint32_t i, F& sel) const {
    const Node& n = nodes_[i];
    switch (n.op) {
      case Op::kSel: return sel(static_cast<size_t>(n.a));
      case Op::kAnd: return Eval(n.a, sel) && Eval(n.b, sel);
      case Op::kOr: return Eval(n.a, sel) || Eval(n.b, sel);
      case Op::kNot: return !Eval(n.a, sel);
      case Op::kOneOf:
        for (uint32_t k = 0; k < n.b; ++k) {
          if (sel(static_cast<size_t>(lists_[n.a + k]))) return true;
        }
        return false;
      case Op::kAllOf:
        for (uint32_t k = 0; k < n.b; ++k) {
          if (!sel(static_cast<size_t>(lists_[n.a + k]))) return false;
        }
        return true;
    }
    return false;
  }

  std::vector<Node> nodes_;  // children before parents; the root is last
  std::vector<uint32_t> lists_;
};

}  // namespace vigil
