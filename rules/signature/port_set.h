// PortSet: a compiled rule port expression, matched with one binary search.
//
// Syntax follows Suricata: `any`, `80`, ranges `1024:65535`, open ranges `1024:` and `:1023`,
// variables ($HTTP_PORTS), nested lists, and '!' at any level, with the same include/exclude
// rules as AddressSet ([!80] is every port but 80).
//
//   auto p = PortSet::Parse("[$HTTP_PORTS,8000:8100,!8080]", vars);
//   p->Match(8001);  // true
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "rules/signature/address_set.h"
#include "rules/signature/range_set.h"
#include "rules/signature/rule_variables.h"

namespace vigil::rules {

class PortSet {
 public:
  static PortSet Any();
  static Result<PortSet> Parse(std::string_view expr, const RuleVariables& vars,
                               const ExpressionLimits& limits = {});

  bool Match(uint16_t port) const { return any_ || ports_.Contains(port); }
  bool is_any() const { return any_; }
  const RangeSet<uint16_t>& ranges() const { return ports_; }

  bool empty() const { return ports_.empty(); }

  // Set algebra, used while compiling expressions.
  void Union(const PortSet& o) { ports_.Union(o.ports_); Finish(); }
  void Subtract(const PortSet& o) { ports_.Subtract(o.ports_); Finish(); }
  void Append(const PortSet& o) { ports_.Append(o.ports_); }
  void Normalize() {
    ports_.Normalize();
    Finish();
  }
  RangeSet<uint16_t>& mutable_ranges() { return ports_; }
  void Finish() { any_ = ports_.full(); }

  friend bool operator==(const PortSet&, const PortSet&) = default;

 private:
  RangeSet<uint16_t> ports_;
  bool any_ = false;
};

}  // namespace vigil::rules
