// Intel configuration of vigil-sensor:
//   intel.trusted-keys   list of files with "ed25519-public" lines (vigil bundle keygen's .pub):
//                        the signers whose bundles the sensor accepts. Empty: intel off (bundles
//                        arriving upstream are refused and counted as untrusted).
//   intel.bundles        directory of signed *.bundle files applied at start ("" : none)
//
//   DeclareIntelConfig(schema);
//   VIGIL_TRY(IntelConfig ic, IntelConfigFromConfig(cfg));
//   VIGIL_TRY(auto updater, StartIntel(ic, store, &log));   // null when intel is off
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/config_schema.h"
#include "core/log.h"
#include "core/result.h"
#include "sensor/intel/intel_store.h"
#include "sensor/intel/intel_updater.h"

namespace vigil::sensor {

struct IntelConfig {
  std::vector<std::string> trusted_keys;
  std::string bundles_dir;
  bool enabled() const { return !trusted_keys.empty(); }
};

void DeclareIntelConfig(ConfigSchema& schema);
[[nodiscard]] Result<IntelConfig> IntelConfigFromConfig(const Config& config);

// Loads the trusted keys, creates the updater (with `on_rules` for the rules of bundles) and
// applies intel.bundles. Null when intel is off; an unreadable key file or bundle directory is
// an error (the sensor does not start).
[[nodiscard]] Result<std::unique_ptr<IntelUpdater>> StartIntel(const IntelConfig& config,
                                                               IntelStore& store, Logger* log,
                                                               RuleBundleHandler on_rules = {});

// For -T: the intel keys load and intel.bundles is a directory (nothing is applied).
[[nodiscard]] Status CheckIntelConfig(const Config& config);

// IntelConfigFromConfig + StartIntel.
[[nodiscard]] Result<std::unique_ptr<IntelUpdater>> StartIntelFromConfig(const Config& config,
                                                                         IntelStore& store, Logger* log,
                                                                         RuleBundleHandler on_rules = {});

}  // namespace vigil::sensor
