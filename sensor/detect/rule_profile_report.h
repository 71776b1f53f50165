// RuleProfileReport: a worker's per-rule profile (DetectThread::profile()) written as JSON
// lines, one per rule that the prefilter or the engine touched, for `vigil rules profile` and
// for analysts who want to see which rules make a sensor slow.
//
// Counting is always on (one increment per candidate and per check); the time spent verifying
// each rule is measured only with DetectConfig::profile_timing (two clock reads per check), so
// profiling costs nothing measurable when it is off.
//
//   std::string text = RuleProfileJsonLines(engine, thread.profile());
//   // {"gid":1,"sid":2012981,"rev":5,"msg":"...","prefilter_hits":13443,"checks":13484,
//   //  "matches":0,"ns":67136889}
//
// Lines are independent: several workers (or runs) may append to one file and a reader sums
// them by (gid, sid).
#pragma once

#include <span>
#include <string>

#include "sensor/detect/detect_counters.h"
#include "sensor/detect/detect_engine.h"

namespace vigil::sensor {

// One JSON object per line for every rule with a prefilter hit or a check; "" when none.
// `profile` is indexed like engine.rules().
std::string RuleProfileJsonLines(const DetectEngine& engine, std::span<const RuleProfile> profile);

}  // namespace vigil::sensor
