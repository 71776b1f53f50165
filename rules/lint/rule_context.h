// RuleContext: one parsed signature rule as the checks see it — the AST, its text with the
// physical line/column map, the file it came from — and where findings about it go. A check
// reports at a byte offset of the rule text (a keyword's `source_offset`); the context turns it
// into file:line:col and stamps the rule's gid:sid.
//
//   void CheckSomething(const RuleContext& ctx) {
//     if (bad) ctx.Report(Code::kDsizeConflict, content.source_offset, "dsize vs content", "...");
//   }
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rules/lint/finding.h"
#include "rules/signature/rule.h"
#include "rules/signature/option_lexer.h"
#include "rules/signature/rule_file_reader.h"

namespace vigil::rules::lint {

class RuleContext {
 public:
  RuleContext(const Rule& rule, const LogicalLine& line, std::string_view file, std::vector<Finding>* out)
      : rule_(rule), line_(line), file_(file), out_(out) {}

  const Rule& rule() const { return rule_; }
  std::string_view text() const { return line_.text; }
  const LogicalLine& line() const { return line_; }

  void Report(Code code, size_t offset, std::string topic, std::string message) const;

  // The rule's options as written (split once, on first use); empty if the text does not split.
  const std::vector<RawOption>& options() const;
  // Offset of the first option named `keyword` (case-insensitive), or 0 (the rule's start).
  size_t KeywordOffset(std::string_view keyword) const;

 private:
  const Rule& rule_;
  const LogicalLine& line_;
  std::string_view file_;
  std::vector<Finding>* out_;
  mutable std::vector<RawOption> options_;
  mutable bool split_ = false;
};

// Builds a finding at `offset` of a logical line (also for rules that did not parse).
Finding MakeFinding(Code code, const LogicalLine& line, std::string_view file, size_t offset, uint32_t gid,
                    uint32_t sid, std::string topic, std::string message);

}  // namespace vigil::rules::lint
