// Helpers for the rules/lint tests: lint rule text with the engine's probe, look up findings.
#pragma once

#include <string>
#include <vector>

#include "rules/lint/signature_linter.h"
#include "tests/rules/lint/engine_buffer_side.h"
#include "tests/rules/lint/engine_probe.h"

namespace vigil::rules::lint::testing {

inline LintResult LintText(const std::string& text, RuleVariables vars = RuleVariables::SuricataDefaults()) {
  SignatureLintConfig cfg;
  cfg.probe = EngineProbe();
  cfg.buffer_side = EngineBufferSide();
  cfg.pcre_compile = EnginePcreCompile();
  SignatureLinter linter(vars, cfg);
  LintResult r;
  linter.LintString(text, "t.rules", &r);
  return r;
}

inline std::vector<const Finding*> WithCode(const LintResult& r, Code c) {
  std::vector<const Finding*> out;
  for (const Finding& f : r.findings)
    if (f.code == c) out.push_back(&f);
  return out;
}

inline std::string Dump(const LintResult& r) {
  std::string s;
  for (const Finding& f : r.findings) s += f.ToString() + "\n";
  return s;
}

}  // namespace vigil::rules::lint::testing
