// The grammar shared by address and port expressions, as one small recursive-descent template:
//
//   expr  := elem (',' elem)*             a bare top-level list is accepted
//   elem  := '!'? ( '[' expr ']' | item | '$' NAME )
//
// In every list, included elements are united and excluded ones subtracted; a list with only
// exclusions starts from the universe. Variables are looked up through the policy and parsed
// recursively (depth-limited, which also ends cycles). The policy supplies:
//   Set Universe();  Result<Set> Item(std::string_view);  const std::string* Find(name);
//   const char* Kind();  ("address" / "port", for messages)
// and Set provides Append (batch union), Normalize and Subtract, so a list of n elements costs
// one sort rather than n.
// Used only by address_set.cc and port_set.cc.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "rules/signature/address_set.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules::detail {

template <typename Set, typename Policy>
class SetExpressionParser {
 public:
  SetExpressionParser(std::string_view text, const Policy& policy, const ExpressionLimits& limits,
                      uint32_t var_depth)
      : s_(text), policy_(policy), limits_(limits), var_depth_(var_depth) {}

  Result<Set> ParseAll() {
    VIGIL_TRY(Set set, ParseList(0, /*bracketed=*/false));
    SkipSpace();
    if (pos_ != s_.size()) return Fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return set;
  }

 private:
  Error Fail(const std::string& why) const {
    return Error(ErrorCode::kParse,
                 std::string("invalid ") + policy_.Kind() + " expression '" +
                     std::string(s_.substr(0, 200)) + "': " + why);
  }
  void SkipSpace() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }

  Result<Set> ParseList(uint32_t depth, bool bracketed) {
    if (depth > limits_.max_nesting) return Fail("nested deeper than " + std::to_string(limits_.max_nesting));
    Set include{}, exclude{};
    bool has_include = false, has_exclude = false;
    for (;;) {
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] == ']' || s_[pos_] == ',') {
        return Fail(pos_ < s_.size() && s_[pos_] == ']' ? "empty list" : "missing element");
      }
      bool negated = false;
      if (s_[pos_] == '!') {
        negated = true;
        ++pos_;
        SkipSpace();
        if (pos_ < s_.size() && s_[pos_] == '!') return Fail("double negation '!!'");
      }
      Set elem{};
      if (pos_ < s_.size() && s_[pos_] == '[') {
        ++pos_;
        VIGIL_TRY(elem, ParseList(depth + 1, true));
        SkipSpace();
        if (pos_ >= s_.size() || s_[pos_] != ']') return Fail("'[' is not closed");
        ++pos_;
      } else {
        size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != ']' && s_[pos_] != '[') ++pos_;
        std::string_view tok = Trim(s_.substr(start, pos_ - start));
        if (tok.empty()) return Fail("missing element");
        VIGIL_TRY(elem, Element(tok));
      }
      if (negated) {
        exclude.Append(elem);
        has_exclude = true;
      } else {
        include.Append(elem);
        has_include = true;
      }
      SkipSpace();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == ']' && !bracketed) return Fail("unbalanced ']'");
      break;
    }
    include.Normalize();
    exclude.Normalize();
    Set result = has_include ? std::move(include) : policy_.Universe();
    if (has_exclude) result.Subtract(exclude);
    if (depth == 0 && result.empty()) return Fail("it matches nothing");
    return result;
  }

  Result<Set> Element(std::string_view tok) {
    if (tok[0] != '$') {
      auto r = policy_.Item(tok);
      if (!r) return Fail(r.error().message);
      return r;
    }
    std::string_view name = tok.substr(1);
    const std::string* value = policy_.Find(name);
    if (value == nullptr) {
      return Error(ErrorCode::kNotFound,
                   std::string("unknown ") + policy_.Kind() + " variable '$" + std::string(name) + "'");
    }
    if (var_depth_ + 1 > limits_.max_variable_depth) {
      return Error(ErrorCode::kLimit, std::string(policy_.Kind()) + " variable '$" +
                                          std::string(name) + "' nests deeper than " +
                                          std::to_string(limits_.max_variable_depth) +
                                          " (a cycle?)");
    }
    SetExpressionParser inner(*value, policy_, limits_, var_depth_ + 1);
    auto r = inner.ParseList(0, false);
    if (!r) return r;
    inner.SkipSpace();
    if (inner.pos_ != inner.s_.size()) {
      return Error(ErrorCode::kParse, "variable '$" + std::string(name) + "' has trailing text");
    }
    return r;
  }

  std::string_view s_;
  const Policy& policy_;
  const ExpressionLimits& limits_;
  uint32_t var_depth_;
  size_t pos_ = 0;
};

}  // namespace vigil::rules::detail
