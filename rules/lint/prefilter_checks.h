// Prefilter checks: does the sensor have a good way to find candidates for this rule?
//
//   no-fast-pattern     the engine finds no literal to prefilter on and the rule is not
//                       address-indexed: it is evaluated on every inspection of its group. The
//                       message says why (header checks only, only pcre, only negated contents,
//                       only base64_data contents, only size/byte checks).
//   short-fast-pattern  the literal the engine picks is 1–2 bytes: it matches in almost every
//                       payload, so the rule is a candidate almost always. The message names a
//                       longer content to mark `fast_pattern` when the rule has one.
//
// The choice comes from the probe (the engine's own fast pattern selection), so the warning
// describes what the sensor will do, not a guess.
#pragma once

#include <cstdint>

#include "rules/lint/prefilter_probe.h"
#include "rules/lint/rule_context.h"

namespace vigil::rules::lint {

// Patterns of at most this many bytes are "short".
inline constexpr uint32_t kShortFastPatternBytes = 2;

void CheckPrefilter(const RuleContext& ctx, const PrefilterProbe& probe);

}  // namespace vigil::rules::lint
