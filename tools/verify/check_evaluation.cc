#include "tools/verify/check_evaluation.h"

#include <map>

#include "tools/verify/json_lines.h"

namespace vigil::verify {

EvaluatedChecks EvaluateChecks(const std::filesystem::path& out_dir, std::span<const FilterCheck* const> checks) {
  EvaluatedChecks out;
  out.outcomes.resize(checks.size());
  std::map<std::string, std::vector<size_t>> by_file;
  for (size_t i = 0; i < checks.size(); ++i) by_file[checks[i]->filename].push_back(i);
  for (const auto& [file, indexes] : by_file) {
    std::vector<const FilterCheck*> subset;
    for (size_t i : indexes) subset.push_back(checks[i]);
    FilterEvaluator ev(subset);
    const std::filesystem::path path = out_dir / file;
    auto read = ReadJsonLines(path.string(), [&](simdjson::dom::element rec) { ev.Add(rec); });
    if (!read) {
      if (out.file_error.empty()) out.file_error = file + " does not exist";
      for (size_t i : indexes) {
        out.outcomes[i].reason = "check " + std::to_string(checks[i]->number) + ": " + file + " does not exist";
        out.outcomes[i].group = "sensor wrote no " + file;
      }
      continue;
    }
    out.records += read->records;
    if (read->malformed > 0 && out.file_error.empty()) {
      out.file_error = "malformed " + read->first_error + " (" + std::to_string(read->malformed) + " bad lines)";
    }
    std::vector<CheckOutcome> results = ev.Finish();
    for (size_t k = 0; k < indexes.size(); ++k) out.outcomes[indexes[k]] = std::move(results[k]);
  }
  return out;
}

}  // namespace vigil::verify
