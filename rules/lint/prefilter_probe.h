// PrefilterProbe: what the sensor's detection engine will do to find candidates for a rule —
// the fast pattern it picks, or an address index for header-only rules, or nothing (the rule
// is then checked on every inspection of its group).
//
// rules/ must not depend on sensor/, so the linter does not choose fast patterns itself: the
// caller (the `vigil rules check` command, tests) hands in a probe built on the engine's own
// choice (sensor/detect/fast_pattern.h, IpOnlyIndex::ChooseSet), and the check reports what the
// sensor will really do.
//
//   PrefilterProbe probe = [&](const Rule& r) {
//     PrefilterChoice c;
//     if (auto fp = sensor::ChooseFastPattern(r, 4)) { c.kind = ...; c.bytes = fp->bytes; ... }
//     return c;
//   };
#pragma once

#include <functional>
#include <string>

#include "rules/signature/rule.h"

namespace vigil::rules::lint {

struct PrefilterChoice {
  enum class Kind : uint8_t {
    kFastPattern,     // `bytes` go into the Hyperscan database of `buffer`
    kAddressIndexed,  // header-only rule found through the address index: cheap
    kAlwaysCheck,     // no prefilter: evaluated on every inspection of its group
  };
  Kind kind = Kind::kAlwaysCheck;
  BufferId buffer = BufferId::kPacket;
  std::string bytes;
  bool nocase = false;
  bool explicit_choice = false;  // the rule said fast_pattern
};

using PrefilterProbe = std::function<PrefilterChoice(const Rule&)>;

// Which side of a transaction the sensor inspects a buffer on (its own table,
// sensor/inspect BufferSide): a rule with a response buffer is inspected on the response (its
// request buffers too), one with request buffers only on the request.
enum class TxSide : uint8_t { kRequest = 1, kResponse = 2, kEither = 3 };
using BufferSideFn = std::function<TxSide(BufferId)>;

// Compiles a pcre the way the engine does (sensor/detect PcreProgram): "" when it compiles, else
// the reason. The engine skips a rule whose pcre does not compile.
using PcreCompileFn = std::function<std::string(const PcreMatch&)>;

}  // namespace vigil::rules::lint
