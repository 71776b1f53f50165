#include "rules/signature/address_set.h"

#include "rules/signature/integer_match.h"
#include "rules/signature/set_expression.h"

namespace vigil::rules {
namespace {

Uint128 PrefixMask(uint32_t prefix) {  // prefix in [0, 128]
  Uint128 m;
  if (prefix >= 64) {
    m.hi = ~uint64_t{0};
    m.lo = prefix == 64 ? 0 : (~uint64_t{0} << (128 - prefix));
  } else {
    m.hi = prefix == 0 ? 0 : (~uint64_t{0} << (64 - prefix));
    m.lo = 0;
  }
  return m;
}

// Counts leading ones of a v4 netmask; -1 if it is not contiguous.
int NetmaskPrefix(uint32_t mask) {
  int n = 0;
  while (n < 32 && (mask & (0x80000000u >> n))) ++n;
  if (n < 32 && (mask << n) != 0) return -1;
  return n;
}

uint32_t V4Value(const IpAddress& a) {
  return (uint32_t{a.bytes[0]} << 24) | (uint32_t{a.bytes[1]} << 16) | (uint32_t{a.bytes[2]} << 8) |
         uint32_t{a.bytes[3]};
}

struct AddressPolicy {
  const RuleVariables& vars;
  const char* Kind() const { return "address"; }
  AddressSet Universe() const { return AddressSet::Any(); }
  const std::string* Find(std::string_view name) const { return vars.FindAddress(name); }

  Result<AddressSet> Item(std::string_view tok) const {
    AddressSet s;
    if (EqualsIgnoreCase(tok, "any")) return AddressSet::Any();
    if (size_t slash = tok.find('/'); slash != std::string_view::npos) {
      VIGIL_TRY(IpAddress base, IpAddress::Parse(tok.substr(0, slash)));
      std::string_view p = tok.substr(slash + 1);
      uint32_t prefix = 0;
      if (base.is_v4() && p.find('.') != std::string_view::npos) {
        VIGIL_TRY(IpAddress mask, IpAddress::Parse(p));
        if (!mask.is_v4()) return Error(ErrorCode::kParse, "bad netmask '" + std::string(p) + "'");
        int n = NetmaskPrefix(V4Value(mask));
        if (n < 0) return Error(ErrorCode::kParse, "netmask '" + std::string(p) + "' is not contiguous");
        prefix = static_cast<uint32_t>(n);
      } else {
        VIGIL_TRY(uint64_t n, ParseUnsigned(p, base.is_v4() ? 32 : 128));
        prefix = static_cast<uint32_t>(n);
      }
      if (base.is_v4()) {
        uint32_t mask = prefix == 0 ? 0 : (~uint32_t{0} << (32 - prefix));
        uint32_t lo = V4Value(base) & mask;
        s.mutable_v4().Add(lo, lo | ~mask);
      } else {
        Uint128 mask = PrefixMask(prefix);
        Uint128 v = AddressSet::ToUint128(base);
        Uint128 lo{v.hi & mask.hi, v.lo & mask.lo};
        s.mutable_v6().Add(lo, Uint128{lo.hi | ~mask.hi, lo.lo | ~mask.lo});
      }
      s.Finish();
      return s;
    }
    if (size_t dash = tok.find('-'); dash != std::string_view::npos) {
      VIGIL_TRY(IpAddress lo, IpAddress::Parse(Trim(tok.substr(0, dash))));
      VIGIL_TRY(IpAddress hi, IpAddress::Parse(Trim(tok.substr(dash + 1))));
      if (lo.family != hi.family) return Error(ErrorCode::kParse, "range mixes IPv4 and IPv6");
      if (hi < lo) return Error(ErrorCode::kParse, "range '" + std::string(tok) + "' runs backwards");
      if (lo.is_v4()) {
        s.mutable_v4().Add(V4Value(lo), V4Value(hi));
      } else {
        s.mutable_v6().Add(AddressSet::ToUint128(lo), AddressSet::ToUint128(hi));
      }
      s.Finish();
      return s;
    }
    VIGIL_TRY(IpAddress a, IpAddress::Parse(tok));
    if (a.is_v4()) {
      s.mutable_v4().Add(V4Value(a), V4Value(a));
    } else {
      Uint128 v = AddressSet::ToUint128(a);
      s.mutable_v6().Add(v, v);
    }
    s.Finish();
    return s;
  }
};

}  // namespace

Uint128 AddressSet::ToUint128(const IpAddress& a) {
  Uint128 v;
  for (int i = 0; i < 8; ++i) v.hi = (v.hi << 8) | a.bytes[static_cast<size_t>(i)];
  for (int i = 8; i < 16; ++i) v.lo = (v.lo << 8) | a.bytes[static_cast<size_t>(i)];
  return v;
}

AddressSet AddressSet::Any() {
  AddressSet s;
  s.v4_ = RangeSet<uint32_t>::All();
  s.v6_ = RangeSet<Uint128>::All();
  s.any_ = true;
  return s;
}

void AddressSet::Union(const AddressSet& o) {
  v4_.Union(o.v4_);
  v6_.Union(o.v6_);
  Finish();
}

void AddressSet::Subtract(const AddressSet& o) {
  v4_.Subtract(o.v4_);
  v6_.Subtract(o.v6_);
  Finish();
}

Result<AddressSet> AddressSet::Parse(std::string_view expr, const RuleVariables& vars,
                                     const ExpressionLimits& limits) {
  AddressPolicy policy{vars};
  detail::SetExpressionParser<AddressSet, AddressPolicy> p(expr, policy, limits, 0);
  return p.ParseAll();
}

}  // namespace vigil::rules
