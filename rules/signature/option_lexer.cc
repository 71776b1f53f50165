#include "rules/signature/option_lexer.h"

namespace vigil::rules {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

void ToLower(std::string_view s, std::string* out) {
  out->assign(s);
  for (char& c : *out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

static bool IsKeywordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool SplitOptions(std::string_view rule, size_t open_paren, std::vector<RawOption>* out,
                  RuleError* err) {
  out->clear();
  size_t pos = open_paren + 1;
  const size_t n = rule.size();
  for (;;) {
    while (pos < n && IsSpace(rule[pos])) ++pos;
    if (pos >= n) {
      *err = {ErrorCode::kParse, n, "rule options not closed by ')'"};
      return false;
    }
    if (rule[pos] == ')') {
      size_t end = pos + 1;
      while (end < n && IsSpace(rule[end])) ++end;
      if (end != n) {
        *err = {ErrorCode::kParse, end, "unexpected text after the closing ')'"};
        return false;
      }
      return true;
    }
    // One option: up to the next unescaped ';'.
    size_t start = pos;
    size_t colon = std::string_view::npos;
    size_t i = pos;
    bool found = false;
    for (; i < n; ++i) {
      char c = rule[i];
      if (c == '\\') {
        ++i;  // the escaped character never ends the option
        continue;
      }
      if (c == ':' && colon == std::string_view::npos) colon = i;
      if (c == ';') {
        found = true;
        break;
      }
    }
    if (!found) {
      std::string_view rest = Trim(rule.substr(start));
      std::string msg = (!rest.empty() && rest.back() == ')')
                            ? "last option is not terminated by ';' before ')'"
                            : "option is not terminated by ';'";
      *err = {ErrorCode::kParse, start, msg};
      return false;
    }
    RawOption opt;
    size_t key_end = colon == std::string_view::npos ? i : colon;
    opt.key = Trim(rule.substr(start, key_end - start));
    opt.key_offset = start;
    if (opt.key.empty()) {
      *err = {ErrorCode::kParse, start, "empty option (a stray ';'?)"};
      return false;
    }
    for (char c : opt.key) {
      if (!IsKeywordChar(c)) {
        *err = {ErrorCode::kParse, start,
                "invalid keyword name '" + std::string(opt.key.substr(0, 64)) + "'"};
        return false;
      }
    }
    if (colon != std::string_view::npos) {
      opt.has_value = true;
      size_t vstart = colon + 1;
      while (vstart < i && IsSpace(rule[vstart])) ++vstart;
      opt.value = Trim(rule.substr(vstart, i - vstart));
      opt.value_offset = vstart;
    } else {
      opt.value_offset = start;
    }
    out->push_back(opt);
    pos = i + 1;
  }
}

Result<std::string> UnquoteString(std::string_view value) {
  std::string_view v = Trim(value);
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') {
    return Error(ErrorCode::kParse, "expected a quoted string");
  }
  v = v.substr(1, v.size() - 2);
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\\' && i + 1 < v.size()) {
      char x = v[i + 1];
      if (x == '"' || x == ';' || x == ':' || x == '\\') {
        out.push_back(x);
        ++i;
        continue;
      }
      out.push_back(c);
      continue;
    }
    if (c == '"') return Error(ErrorCode::kParse, "unescaped '\"' inside a quoted string");
    out.push_back(c);
  }
  return out;
}

std::string_view StripQuotes(std::string_view value) {
  std::string_view v = Trim(value);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return Trim(v.substr(1, v.size() - 2));
  return v;
}

std::vector<std::string_view> SplitTrim(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    if (p == std::string_view::npos) {
      out.push_back(Trim(s.substr(start)));
      return out;
    }
    out.push_back(Trim(s.substr(start, p - start)));
    start = p + 1;
  }
}

}  // namespace vigil::rules
