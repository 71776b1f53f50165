#include "rules/signature/port_set.h"

#include "rules/signature/integer_match.h"
#include "rules/signature/set_expression.h"

namespace vigil::rules {
namespace {

struct PortPolicy {
  const RuleVariables& vars;
  const char* Kind() const { return "port"; }
  PortSet Universe() const { return PortSet::Any(); }
  const std::string* Find(std::string_view name) const { return vars.FindPort(name); }

  Result<PortSet> Item(std::string_view tok) const {
    if (EqualsIgnoreCase(tok, "any")) return PortSet::Any();
    PortSet s;
    uint64_t lo = 0, hi = 0;
    if (size_t colon = tok.find(':'); colon != std::string_view::npos) {
      std::string_view a = Trim(tok.substr(0, colon)), b = Trim(tok.substr(colon + 1));
      if (a.empty() && b.empty()) return Error(ErrorCode::kParse, "empty port range ':'");
      if (!a.empty()) {
        VIGIL_TRY(lo, ParseUnsigned(a, 65535));
      }
      hi = 65535;
      if (!b.empty()) {
        VIGIL_TRY(hi, ParseUnsigned(b, 65535));
      }
      if (hi < lo) return Error(ErrorCode::kParse, "port range '" + std::string(tok) + "' runs backwards");
    } else {
      VIGIL_TRY(lo, ParseUnsigned(tok, 65535));
      hi = lo;
    }
    s.mutable_ranges().Add(static_cast<uint16_t>(lo), static_cast<uint16_t>(hi));
    s.Finish();
    return s;
  }
};

}  // namespace

PortSet PortSet::Any() {
  PortSet s;
  s.ports_ = RangeSet<uint16_t>::All();
  s.any_ = true;
  return s;
}

Result<PortSet> PortSet::Parse(std::string_view expr, const RuleVariables& vars,
                               const ExpressionLimits& limits) {
  PortPolicy policy{vars};
  detail::SetExpressionParser<PortSet, PortPolicy> p(expr, policy, limits, 0);
  return p.ParseAll();
}

}  // namespace vigil::rules
