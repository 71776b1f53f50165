// LintReport: a LintResult as an analyst reads it, or as a program reads it.
//
// Text: per file, a compact list of findings (`file:line:col: severity code [gid:sid] message`)
// at or above the listing level, then a summary grouped by code — count, what the code means,
// its most common topics (reasons) with counts, and a few example locations — so the kinds of
// problem and their size show at a glance. JSON: {"findings": [...], "summary": {...}}, one
// object per finding with file, line, column, severity, code, gid, sid, message, topic.
//
//   ReportOptions o;
//   o.list_level = Severity::kInfo;
//   std::fputs(FormatTextReport(result, o).c_str(), stdout);
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rules/lint/lint_result.h"

namespace vigil::rules::lint {

struct ReportOptions {
  Severity list_level = Severity::kWarning;  // findings below it are counted, not listed
  bool list = true;                          // false: the summary only
  size_t topics_per_code = 8;                // most frequent topics shown per code
  size_t examples_per_code = 3;              // example locations shown per code
  double seconds = -1;                       // run time to print; < 0: not printed
};

// One code's share of the findings, for the summary.
struct CodeSummary {
  Code code = Code::kParseError;
  size_t count = 0;
  std::vector<std::pair<std::string, size_t>> topics;  // most frequent first (all of them)
  std::vector<const Finding*> examples;                // the first few, in file order
};

// Codes with at least one finding: errors first, then warnings, then info; larger counts first.
std::vector<CodeSummary> SummarizeByCode(const LintResult& result, size_t examples_per_code);

std::string FormatTextReport(const LintResult& result, const ReportOptions& options);
std::string FormatJsonReport(const LintResult& result, const ReportOptions& options);

}  // namespace vigil::rules::lint
