// libFuzzer target for `vigil rules check`'s analysis (rules/lint): the input is a rule file
// linted with every check on, the sensor's own fast pattern choice as the prefilter probe, then
// formatted as text and JSON. Includes are disabled, so the fuzzer never touches the
// filesystem. Every rule line must end in exactly one bucket (loaded, skipped, error), and every
// finding must carry a code from the table.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/lint/lint_report.h"
#include "rules/lint/signature_linter.h"
#include "tests/rules/lint/engine_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::rules;
  using namespace vigil::rules::lint;
  static const RuleVariables vars = RuleVariables::SuricataDefaults();
  SignatureLintConfig cfg;
  cfg.reader.allow_includes = false;
  cfg.probe = testing::EngineProbe();
  // Every side in turn, so the flow-direction check runs on every buffer mix.
  cfg.buffer_side = [](BufferId b) { return static_cast<TxSide>(1 + static_cast<unsigned>(b) % 3); };
  SignatureLinter linter(vars, cfg);
  LintResult result;
  linter.LintString(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.rules", &result);
  const LintStats& s = result.stats;
  if (s.signature_loaded + s.signature_skipped + s.signature_errors < s.signature_rules) __builtin_trap();
  for (const Finding& f : result.findings) {
    if (f.code >= Code::kCount) __builtin_trap();
  }
  ReportOptions o;
  o.list_level = Severity::kInfo;
  size_t sink = FormatTextReport(result, o).size() + FormatJsonReport(result, o).size();
  return sink == 0 ? 1 : 0;
}
