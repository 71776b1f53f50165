// The sensor's buffer-side table (sensor/inspect BufferSide) as a lint BufferSideFn and its
// pcre compiler (sensor/detect PcreProgram) as a PcreCompileFn, for tests (the `vigil rules
// check` command builds the same ones).
#pragma once

#include "rules/lint/prefilter_probe.h"
#include "sensor/detect/pcre_program.h"
#include "sensor/inspect/inspect_context.h"

namespace vigil::rules::lint::testing {

inline BufferSideFn EngineBufferSide() {
  return [](BufferId b) { return static_cast<TxSide>(sensor::BufferSide(b)); };
}

inline PcreCompileFn EnginePcreCompile() {
  return [](const PcreMatch& p) {
    auto prog = sensor::PcreProgram::Compile(p);
    return prog ? std::string() : prog.error().message;
  };
}

}  // namespace vigil::rules::lint::testing
