#include "rules/correlation/condition.h"

#include "rules/correlation/field_matcher.h"

namespace vigil {

class ConditionParser {
 public:
  ConditionParser(std::string_view text, const std::vector<std::string>& sels, Condition& out)
      : text_(text), sels_(sels), out_(out) {}

  Status Run() {
    Next();
    VIGIL_TRY(uint32_t root, ParseOr(0));
    (void)root;
    if (tok_.kind != Tok::kEnd) return Fail("expected 'and', 'or' or the end of the condition");
    return Ok();
  }

 private:
  enum class Tok { kEnd, kLParen, kRParen, kWord };
  struct Token {
    Tok kind = Tok::kEnd;
    std::string_view text;
    size_t pos = 0;  // 0-based
  };

  static bool WordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '*' || c == '-' || c == '.' || c == '?';
  }

  void Next() {
    bad_char_ = false;
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r')) {
      ++pos_;
    }
    tok_.pos = pos_;
    if (pos_ >= text_.size()) {
      tok_ = {Tok::kEnd, {}, pos_};
      return;
    }
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      tok_ = {c == '(' ? Tok::kLParen : Tok::kRParen, text_.substr(pos_, 1), pos_};
      ++pos_;
      return;
    }
    size_t start = pos_;
    while (pos_ < text_.size() && WordChar(text_[pos_])) ++pos_;
    if (pos_ == start) {
      // An unexpected character: make it its own token so the error points at it.
      tok_ = {Tok::kWord, text_.substr(pos_, 1), pos_};
      bad_char_ = true;
      ++pos_;
      return;
    }
    tok_ = {Tok::kWord, text_.substr(start, pos_ - start), start};
  }

  Error Fail(std::string what) const {
    std::string near = tok_.kind == Tok::kEnd ? "end of condition" : "'" + std::string(tok_.text) + "'";
    return Error(ErrorCode::kParse, "condition syntax error at position " + std::to_string(tok_.pos + 1) +
                                        " (" + near + "): " + what);
  }

  bool IsKeyword(std::string_view w) const { return tok_.kind == Tok::kWord && tok_.text == w; }

  uint32_t Add(Condition::Node n) {
    out_.nodes_.push_back(n);
    return static_cast<uint32_t>(out_.nodes_.size() - 1);
  }

  Result<uint32_t> ParseOr(int depth) {
    VIGIL_TRY(uint32_t left, ParseAnd(depth));
    while (IsKeyword("or")) {
      Next();
      VIGIL_TRY(uint32_t right, ParseAnd(depth));
      left = Add({Condition::Op::kOr, left, right});
    }
    return left;
  }

  Result<uint32_t> ParseAnd(int depth) {
    VIGIL_TRY(uint32_t left, ParseNot(depth));
    while (IsKeyword("and")) {
      Next();
      VIGIL_TRY(uint32_t right, ParseNot(depth));
      left = Add({Condition::Op::kAnd, left, right});
    }
    return left;
  }

  Result<uint32_t> ParseNot(int depth) {
    if (depth > Condition::kMaxDepth) return Fail("nested too deeply");
    if (IsKeyword("not")) {
      Next();
      VIGIL_TRY(uint32_t child, ParseNot(depth + 1));
      return Add({Condition::Op::kNot, child, 0});
    }
    return ParsePrimary(depth);
  }

  Result<uint32_t> ParsePrimary(int depth) {
    if (tok_.kind == Tok::kLParen) {
      Next();
      VIGIL_TRY(uint32_t inner, ParseOr(depth + 1));
      if (tok_.kind != Tok::kRParen) return Fail("expected ')'");
      Next();
      return inner;
    }
    if (tok_.kind != Tok::kWord) {
      return Fail(tok_.kind == Tok::kEnd ? "expected a selection name, 'not', '(' or '1 of'/'all of'"
                                         : "expected a selection name");
    }
    if (bad_char_) return Fail("unexpected character");
    if (tok_.text == "1" || tok_.text == "all" || tok_.text == "any") {
      const bool all = tok_.text == "all";
      Next();
      if (!IsKeyword("of")) return Fail("expected 'of' after '" + std::string(all ? "all" : "1") + "'");
      Next();
      if (tok_.kind != Tok::kWord || bad_char_) return Fail("expected a selection pattern or 'them'");
      std::vector<uint32_t> matched;
      const bool them = tok_.text == "them";
      for (size_t i = 0; i < sels_.size(); ++i) {
        if (them || FieldMatcher::GlobMatch(tok_.text, sels_[i], false)) matched.push_back(static_cast<uint32_t>(i));
      }
      if (matched.empty()) return Fail("the pattern matches no selection of this rule");
      Condition::Node n{all ? Condition::Op::kAllOf : Condition::Op::kOneOf,
                        static_cast<uint32_t>(out_.lists_.size()), static_cast<uint32_t>(matched.size())};
      out_.lists_.insert(out_.lists_.end(), matched.begin(), matched.end());
      Next();
      return Add(n);
    }
    if (tok_.text == "and" || tok_.text == "or" || tok_.text == "of" || tok_.text == "them") {
      return Fail("expected a selection name, found the keyword '" + std::string(tok_.text) + "'");
    }
    for (size_t i = 0; i < sels_.size(); ++i) {
      if (sels_[i] == tok_.text) {
        Next();
        return Add({Condition::Op::kSel, static_cast<uint32_t>(i), 0});
      }
    }
    return Fail("unknown selection (the detection section defines no such name)");
  }

  std::string_view text_;
  const std::vector<std::string>& sels_;
  Condition& out_;
  size_t pos_ = 0;
  Token tok_;
  bool bad_char_ = false;
};

void Condition::RequiredSelections(std::vector<uint32_t>* out) const {
  if (nodes_.empty()) return;
  std::vector<uint32_t> pending{static_cast<uint32_t>(nodes_.size() - 1)};
  while (!pending.empty()) {
    const Node& n = nodes_[pending.back()];
    pending.pop_back();
    switch (n.op) {
      case Op::kSel: out->push_back(n.a); break;
      case Op::kAnd:
        pending.push_back(n.a);
        pending.push_back(n.b);
        break;
      case Op::kAllOf:
        for (uint32_t k = 0; k < n.b; ++k) out->push_back(lists_[n.a + k]);
        break;
      case Op::kOneOf:
        if (n.b == 1) out->push_back(lists_[n.a]);
        break;
      case Op::kOr:
      case Op::kNot: break;  // neither side is required on its own
    }
  }
}

Result<Condition> Condition::Parse(std::string_view text, const std::vector<std::string>& selections) {
  if (text.size() > kMaxLength) {
    return Error(ErrorCode::kLimit, "condition longer than " + std::to_string(kMaxLength) + " characters");
  }
  Condition c;
  ConditionParser p(text, selections, c);
  VIGIL_CHECK_OK(p.Run());
  return c;
}

}  // namespace vigil
