// AddressSet: a compiled rule address expression, matched against a packet address with one
// binary search.
//
// Expressions follow Suricata: `any`, single addresses, CIDR blocks (v4 and v6, and v4 netmasks
// 10.0.0.0/255.0.0.0), ranges (10.0.0.1-10.0.0.9), variables ($HOME_NET), bracketed lists that
// nest, and '!' negation at any level. In a list the included items are united and the excluded
// ones removed; a list with only exclusions starts from everything ([!1.2.3.4] is every address
// but one). Everything means all IPv4 *and* all IPv6, so !$HOME_NET with a v4-only HOME_NET
// still matches every IPv6 address, as in Suricata.
//
//   auto set = AddressSet::Parse("[$HOME_NET,!10.1.0.0/16]", vars);  // Result<AddressSet>
//   set->Match(IpAddress::V4(0x0a000001));  // true
//
// An expression that matches nothing (![any], [1.2.3.4,!1.2.3.4]) is an error, as are unknown
// variables (the message names them), malformed addresses and unbalanced brackets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ip_address.h"
#include "core/result.h"
#include "rules/signature/range_set.h"
#include "rules/signature/rule_variables.h"

namespace vigil::rules {

struct ExpressionLimits {
  uint32_t max_variable_depth = 16;  // $A → $B → ... nesting; also what stops variable cycles
  uint32_t max_nesting = 32;         // bracket depth
};

class AddressSet {
 public:
  static AddressSet Any();
  static Result<AddressSet> Parse(std::string_view expr, const RuleVariables& vars,
                                  const ExpressionLimits& limits = {});

  bool Match(const IpAddress& a) const {
    if (any_) return true;
    if (a.is_v4()) {
      uint32_t v = (uint32_t{a.bytes[0]} << 24) | (uint32_t{a.bytes[1]} << 16) |
                   (uint32_t{a.bytes[2]} << 8) | uint32_t{a.bytes[3]};
      return v4_.Contains(v);
    }
    if (a.is_v6()) return v6_.Contains(ToUint128(a));
    return false;
  }

  bool is_any() const { return any_; }
  bool empty() const { return v4_.empty() && v6_.empty(); }
  const RangeSet<uint32_t>& v4() const { return v4_; }
  const RangeSet<Uint128>& v6() const { return v6_; }

  // Set algebra, used while compiling expressions.
  void Union(const AddressSet& o);
  void Subtract(const AddressSet& o);
  // Batch form of Union: Append any number of sets, then Normalize() once.
  void Append(const AddressSet& o) {
    v4_.Append(o.v4_);
    v6_.Append(o.v6_);
  }
  void Normalize() {
    v4_.Normalize();
    v6_.Normalize();
    Finish();
  }
  RangeSet<uint32_t>& mutable_v4() { return v4_; }
  RangeSet<Uint128>& mutable_v6() { return v6_; }
  void Finish() { any_ = v4_.full() && v6_.full(); }

  static Uint128 ToUint128(const IpAddress& a);

  friend bool operator==(const AddressSet&, const AddressSet&) = default;

 private:
  RangeSet<uint32_t> v4_;
  RangeSet<Uint128> v6_;
  bool any_ = false;
};

}  // namespace vigil::rules
