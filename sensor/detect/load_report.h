// LoadReport: what became of every rule line of a load, parser and engine together — the
// summary `vigil-sensor` prints at start and `vigil rules check` prints for analysts.
//
// A rule line ends in exactly one bucket: compiled (in the engine), skipped by the parser
// (valid Suricata, unsupported keyword), skipped by the engine (parsed, but needs something
// detection cannot evaluate: "tls.version (TLS state not passed to detection)"), or a parse
// error. Skips and errors are grouped by reason, most frequent first.
//
//   auto engine = DetectEngine::Build(std::move(set), cfg, nullptr, nullptr);
//   LoadReport r = MakeLoadReport(**engine);
//   std::fputs(r.ToString().c_str(), stdout);
//
//   rules: 24827 seen, 24812 compiled (99.94%), 10 skipped, 5 errors
//   skipped (engine) 6: tls.version (TLS state not passed to detection)
//   ...
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rules/signature/rule_loader.h"
#include "sensor/detect/detect_engine.h"

namespace vigil::sensor {

struct LoadReport {
  size_t seen = 0;            // rule lines handed to the parser
  size_t compiled = 0;        // rules the engine evaluates
  size_t parser_skipped = 0;  // unsupported keyword (rules/signature)
  size_t engine_skipped = 0;  // parsed, not evaluable (sensor/detect)
  size_t errors = 0;          // syntax/semantic errors and file problems
  size_t warnings = 0, duplicate_sids = 0;
  // (reason, count), most frequent first; parser reasons are prefixed "parser: ", engine
  // reasons "engine: ".
  std::vector<std::pair<std::string, size_t>> skipped_by_reason;
  std::vector<std::pair<std::string, size_t>> errors_by_reason;

  size_t skipped() const { return parser_skipped + engine_skipped; }
  double compiled_fraction() const { return seen ? static_cast<double>(compiled) / static_cast<double>(seen) : 0.0; }
  // The summary; at most `max_reasons` lines per group (0: all), the rest counted in one line.
  std::string ToString(size_t max_reasons = 0) const;
};

LoadReport MakeLoadReport(const rules::LoadSummary& parsed, const DetectStats& engine);
inline LoadReport MakeLoadReport(const DetectEngine& e) {
  return MakeLoadReport(e.rule_set().summary, e.stats());
}

}  // namespace vigil::sensor
