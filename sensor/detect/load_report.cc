#include "sensor/detect/load_report.h"

#include <algorithm>
#include <cstdio>

namespace vigil::sensor {
namespace {

using Reasons = std::vector<std::pair<std::string, size_t>>;

void SortByCount(Reasons* r) {
  std::stable_sort(r->begin(), r->end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
}

void AppendGroup(std::string* out, const char* label, const Reasons& reasons, size_t max) {
  size_t shown = 0, rest = 0, rest_rules = 0;
  for (const auto& [reason, n] : reasons) {
    if (max != 0 && shown >= max) {
      ++rest;
      rest_rules += n;
      continue;
    }
    *out += "  " + std::string(label) + " " + std::to_string(n) + ": " + reason + "\n";
    ++shown;
  }
  if (rest) {
    *out += "  " + std::string(label) + " " + std::to_string(rest_rules) + ": (" +
            std::to_string(rest) + " more reasons)\n";
  }
}

}  // namespace

LoadReport MakeLoadReport(const rules::LoadSummary& parsed, const DetectStats& engine) {
  LoadReport r;
  r.seen = parsed.rules_seen;
  r.compiled = engine.rules_compiled;
  r.parser_skipped = parsed.skipped;
  r.engine_skipped = engine.rules_skipped;
  r.errors = parsed.errors;
  r.warnings = parsed.warnings;
  r.duplicate_sids = parsed.duplicate_sids;
  for (const auto& [reason, n] : parsed.skipped_by_reason) r.skipped_by_reason.emplace_back("parser: " + reason, n);
  for (const auto& [reason, n] : engine.skipped_by_reason) r.skipped_by_reason.emplace_back("engine: " + reason, n);
  r.errors_by_reason.assign(parsed.errors_by_reason.begin(), parsed.errors_by_reason.end());
  SortByCount(&r.skipped_by_reason);
  SortByCount(&r.errors_by_reason);
  return r;
}

std::string LoadReport::ToString(size_t max_reasons) const {
  char pct[32];
  std::snprintf(pct, sizeof(pct), "%.2f", 100.0 * compiled_fraction());
  std::string s = "rules: " + std::to_string(seen) + " seen, " + std::to_string(compiled) +
                  " compiled (" + pct + "%), " + std::to_string(skipped()) + " skipped (" +
                  std::to_string(parser_skipped) + " by the parser, " + std::to_string(engine_skipped) +
                  " by the engine), " + std::to_string(errors) + " errors, " +
                  std::to_string(warnings) + " warnings (" + std::to_string(duplicate_sids) +
                  " duplicate sids)\n";
  AppendGroup(&s, "skipped", skipped_by_reason, max_reasons);
  AppendGroup(&s, "error", errors_by_reason, max_reasons);
  return s;
}

}  // namespace vigil::sensor
