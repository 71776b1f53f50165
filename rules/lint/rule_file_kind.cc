#include "rules/lint/rule_file_kind.h"

#include <array>

namespace vigil::rules::lint {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

}  // namespace

RuleFileKind ClassifyRuleFile(std::string_view path, std::string_view head) {
  if (EndsWith(path, ".rules")) return RuleFileKind::kSignature;
  if (EndsWith(path, ".yml") || EndsWith(path, ".yaml")) return RuleFileKind::kCorrelation;
  static constexpr std::array<std::string_view, 9> kActions{
      "alert", "drop", "pass", "reject", "rejectsrc", "rejectdst", "rejectboth", "config", "include"};
  size_t pos = 0;
  while (pos < head.size()) {
    size_t end = head.find('\n', pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(pos, end - pos);
    pos = end + 1;
    size_t b = 0;
    while (b < line.size() && IsBlank(line[b])) ++b;
    line = line.substr(b);
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 3) == "---") return RuleFileKind::kCorrelation;
    size_t w = 0;
    while (w < line.size() && !IsBlank(line[w]) && line[w] != ':') ++w;
    const std::string_view word = line.substr(0, w);
    for (std::string_view a : kActions) {
      if (word == a) return RuleFileKind::kSignature;
    }
    return w < line.size() && line[w] == ':' ? RuleFileKind::kCorrelation : RuleFileKind::kSignature;
  }
  return RuleFileKind::kSignature;
}

}  // namespace vigil::rules::lint
