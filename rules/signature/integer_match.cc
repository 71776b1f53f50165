#include "rules/signature/integer_match.h"

#include <charconv>

#include "rules/signature/option_lexer.h"

namespace vigil::rules {

Result<uint64_t> ParseUnsigned(std::string_view text, uint64_t limit) {
  std::string_view t = Trim(text);
  if (t.empty()) return Error(ErrorCode::kParse, "expected a number, found nothing");
  if (t[0] == '+') t.remove_prefix(1);
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec == std::errc::result_out_of_range) {
    return Error(ErrorCode::kParse, "number out of range: '" + std::string(t) + "'");
  }
  if (ec != std::errc() || ptr != t.data() + t.size() || t.empty()) {
    return Error(ErrorCode::kParse, "not a number: '" + std::string(Trim(text)) + "'");
  }
  if (v > limit) {
    return Error(ErrorCode::kParse,
                 "number " + std::to_string(v) + " is above the maximum " + std::to_string(limit));
  }
  return v;
}

Result<int64_t> ParseSigned(std::string_view text, int64_t lo, int64_t hi) {
  std::string_view t = Trim(text);
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || t.empty()) {
    return Error(ErrorCode::kParse, "not a number: '" + std::string(Trim(text)) + "'");
  }
  if (v < lo || v > hi) {
    return Error(ErrorCode::kParse, "number " + std::to_string(v) + " is outside [" +
                                        std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return v;
}

Result<IntOrVar> ParseIntOrVar(std::string_view text, int64_t lo, int64_t hi) {
  std::string_view t = Trim(text);
  IntOrVar out;
  if (!t.empty() && ((t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z') || t[0] == '_')) {
    if (!IsIdentifier(t)) return Error(ErrorCode::kParse, "invalid variable name '" + std::string(t) + "'");
    out.var = std::string(t);
    return out;
  }
  VIGIL_TRY(out.value, ParseSigned(t, lo, hi));
  return out;
}

Result<IntegerMatch> ParseIntegerMatch(std::string_view text, uint64_t limit) {
  std::string_view t = Trim(text);
  if (t.empty()) return Error(ErrorCode::kParse, "expected a number or comparison, found nothing");
  IntegerMatch m;
  bool negate = false;
  if (t[0] == '!') {
    negate = true;
    t = Trim(t.substr(1));
  }
  // Range forms first: "A<>B" and "A-B".
  size_t sep = t.find("<>");
  size_t sep_len = 2;
  if (sep == std::string_view::npos) {
    sep = t.find('-', 1);
    sep_len = 1;
  }
  if (sep != std::string_view::npos && sep > 0 && t[0] != '<' && t[0] != '>' && t[0] != '=') {
    VIGIL_TRY(uint64_t a, ParseUnsigned(t.substr(0, sep), limit));
    VIGIL_TRY(uint64_t b, ParseUnsigned(t.substr(sep + sep_len), limit));
    if (a >= b) {
      return Error(ErrorCode::kParse, "range '" + std::string(t) + "' is empty: lower bound " +
                                          std::to_string(a) + " must be below upper bound " +
                                          std::to_string(b));
    }
    m.op = negate ? IntOp::kNotRange : IntOp::kRange;
    m.value = a;
    m.max = b;
    return m;
  }
  if (t.starts_with("<=")) {
    m.op = IntOp::kLe;
    t.remove_prefix(2);
  } else if (t.starts_with(">=")) {
    m.op = IntOp::kGe;
    t.remove_prefix(2);
  } else if (t.starts_with("<")) {
    m.op = IntOp::kLt;
    t.remove_prefix(1);
  } else if (t.starts_with(">")) {
    m.op = IntOp::kGt;
    t.remove_prefix(1);
  } else if (t.starts_with("=")) {
    m.op = IntOp::kEq;
    t.remove_prefix(1);
  }
  if (negate) {
    if (m.op != IntOp::kEq) {
      return Error(ErrorCode::kParse, "'!' can only negate a value or a range: '" +
                                          std::string(Trim(text)) + "'");
    }
    m.op = IntOp::kNe;
  }
  VIGIL_TRY(m.value, ParseUnsigned(t, limit));
  if (m.op == IntOp::kLt && m.value == 0) {
    return Error(ErrorCode::kParse, "'<0' can never match");
  }
  return m;
}

std::string IntegerMatch::ToString() const {
  switch (op) {
    case IntOp::kEq: return std::to_string(value);
    case IntOp::kNe: return "!" + std::to_string(value);
    case IntOp::kLt: return "<" + std::to_string(value);
    case IntOp::kLe: return "<=" + std::to_string(value);
    case IntOp::kGt: return ">" + std::to_string(value);
    case IntOp::kGe: return ">=" + std::to_string(value);
    case IntOp::kRange: return std::to_string(value) + "<>" + std::to_string(max);
    case IntOp::kNotRange: return "!" + std::to_string(value) + "<>" + std::to_string(max);
  }
  return "";
}

}  // namespace vigil::rules
