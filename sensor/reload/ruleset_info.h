// RulesetInfo: which rule set is live in a sensor — reported in a log line on every (re)load,
// in the periodic stats event (sensor/reload's RuleReloader::StatsCounters) and to `vigil status`.
//
//   RulesetInfo info = MakeRulesetInfo(*ctx, bundle_rules, "2026.11.24-3", "national", 2);
//   log.Notice("rules", "{}", info.Describe());
//   // ... [notice] rules: generation 2 live: 1234 rules, version 2026.11.24-3 (bundle national),
//   //     sha256 3fa2c1d09e7b4411, loaded 2026-11-24T01:00:00.000000+0000 in 0.52 s
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"
#include "sensor/inspect/inspect_context.h"

namespace vigil::sensor {

struct RulesetInfo {
  uint64_t generation = 0;  // 1: the rules loaded at start; +1 per successful reload
  std::string hash;         // SHA-256 (hex) of the rule files' bytes in load order, then the bundle's rules
  std::string version;      // the bundle's version, or "files"
  std::string bundle_id;    // empty without a bundle
  Timestamp loaded_at;      // wall clock, when it went live
  uint64_t rules = 0;       // rules compiled into the engine (skipped ones not counted)
  double load_seconds = 0;  // reading, parsing and compiling

  std::string Describe() const;
};

// Describes `ctx` (its rule files are read again for the hash; a file that vanished since the
// load hashes as empty). `bundle_rules` empty and `version` empty: "files".
RulesetInfo MakeRulesetInfo(const InspectContext& ctx, std::string_view bundle_rules,
                            std::string version, std::string bundle_id, uint64_t generation);

}  // namespace vigil::sensor
