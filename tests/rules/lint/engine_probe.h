// The sensor's prefilter decision as a lint PrefilterProbe, for tests and the fuzz target (the
// `vigil rules check` command builds the same one): sensor/detect's ChooseFastPattern, else the
// address index for header-only rules, else always-check.
#pragma once

#include <cstdint>

#include "rules/lint/prefilter_probe.h"
#include "sensor/detect/fast_pattern.h"
#include "sensor/detect/ip_only_index.h"

namespace vigil::rules::lint::testing {

inline PrefilterProbe EngineProbe(uint32_t min_preferred = 4) {
  return [min_preferred](const Rule& r) {
    PrefilterChoice c;
    if (auto fp = sensor::ChooseFastPattern(r, min_preferred)) {
      c.kind = PrefilterChoice::Kind::kFastPattern;
      c.buffer = fp->buffer;
      c.bytes = std::move(fp->bytes);
      c.nocase = fp->nocase;
      c.explicit_choice = fp->explicit_choice;
    } else if (r.buffers.empty() && sensor::IpOnlyIndex::ChooseSet(r.header.src.get(), r.header.dst.get())) {
      c.kind = PrefilterChoice::Kind::kAddressIndexed;
    }
    return c;
  };
}

}  // namespace vigil::rules::lint::testing
