// EvaluateChecks: evaluates filter checks over the output files of one sensor run (eve.json or
// the check's own `filename`, relative to the output directory), one pass per file.
//
//   auto ev = EvaluateChecks(out_dir, checks);
//   if (!ev.file_error.empty()) ...;    // missing file or malformed JSON lines
//   ev.outcomes[i].passed ...
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tools/verify/filter_check.h"

namespace vigil::verify {

struct EvaluatedChecks {
  std::vector<CheckOutcome> outcomes;  // parallel to the checks given
  std::string file_error;              // first problem reading a file ("eve.json line 4: ...")
  size_t records = 0;
};

EvaluatedChecks EvaluateChecks(const std::filesystem::path& out_dir, std::span<const FilterCheck* const> checks);

}  // namespace vigil::verify
