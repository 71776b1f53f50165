// The option lexer: splits the body of a rule, `(key: value; key; ...)`, into raw options, with
// Suricata's escaping rules, and offers the small value helpers every keyword parser shares.
//
// Suricata ends an option at the first ';' that is not escaped by a backslash; quotes do not
// protect a ';' (write `\;` or `|3B|`). A backslash escapes any next character for the purpose of
// splitting; keyword parsers decide which escapes are valid in their values (content accepts
// \" \; \: \\ only). Each option must end with ';' and the body must end with ')'.
//
//   std::vector<RawOption> opts;
//   RuleError err;
//   if (!SplitOptions(text, open_paren_offset, &opts, &err)) report(err);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "rules/signature/rule_error.h"

namespace vigil::rules {

struct RawOption {
  std::string_view key;    // as written, trimmed (keywords are matched case-insensitively)
  std::string_view value;  // raw text after ':', trimmed, escapes intact; empty if no ':'
  bool has_value = false;
  size_t key_offset = 0;    // offsets into the rule text, for error columns
  size_t value_offset = 0;
};

// Splits the options that start after the '(' at `open_paren`. Fails on a missing ';', a
// missing ')', text after ')' or an invalid keyword name.
bool SplitOptions(std::string_view rule, size_t open_paren, std::vector<RawOption>* out,
                  RuleError* err);

std::string_view Trim(std::string_view s);
bool IsSpace(char c);
// ASCII lower-casing into `out` (cleared first).
void ToLower(std::string_view s, std::string* out);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// A quoted string value: `"..."` with \" \; \: \\ unescaped; other backslashes are kept.
Result<std::string> UnquoteString(std::string_view value);
// Removes one pair of surrounding quotes if present (no unescaping).
std::string_view StripQuotes(std::string_view value);

// Splits on `sep` and trims each piece. An empty input gives one empty piece.
std::vector<std::string_view> SplitTrim(std::string_view s, char sep);

// True for names made of [A-Za-z0-9_.-] (variable, flowbit and buffer names allow more; see the
// keyword parsers).
bool IsIdentifier(std::string_view s);

}  // namespace vigil::rules
