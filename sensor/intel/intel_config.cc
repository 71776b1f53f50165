#include "sensor/intel/intel_config.h"

#include <filesystem>

#include "rules/bundle/bundle_keys.h"

namespace vigil::sensor {

void DeclareIntelConfig(ConfigSchema& schema) {
  schema.List("intel.trusted-keys", {},
              "files of ed25519-public keys whose signed bundles are accepted (empty: intel off)")
      .String("intel.bundles", "", "directory of signed *.bundle files applied at start");
}

Result<IntelConfig> IntelConfigFromConfig(const Config& config) {
  IntelConfig c;
  VIGIL_TRY(c.trusted_keys, config.GetList("intel.trusted-keys"));
  VIGIL_TRY(c.bundles_dir, config.GetString("intel.bundles"));
  if (!c.enabled() && !c.bundles_dir.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "intel.bundles is set but intel.trusted-keys is empty: no bundle could be verified");
  }
  return c;
}

Result<std::unique_ptr<IntelUpdater>> StartIntel(const IntelConfig& config, IntelStore& store,
                                                 Logger* log, RuleBundleHandler on_rules) {
  if (!config.enabled()) return std::unique_ptr<IntelUpdater>();
  auto trusted = rules::TrustedSigners::Load(config.trusted_keys);
  if (!trusted) return Error(trusted.error().code, "intel.trusted-keys: " + trusted.error().message);
  VIGIL_TRY(auto updater, IntelUpdater::Create(store, std::move(*trusted), log));
  updater->set_rule_handler(std::move(on_rules));
  if (!config.bundles_dir.empty()) {
    VIGIL_TRY(size_t n, updater->LoadDirectory(config.bundles_dir));
    log->Notice("intel", "{} bundle(s) applied from {}", n, config.bundles_dir);
  }
  return updater;
}

Status CheckIntelConfig(const Config& config) {
  VIGIL_TRY(IntelConfig c, IntelConfigFromConfig(config));
  if (!c.enabled()) return Ok();
  auto trusted = rules::TrustedSigners::Load(c.trusted_keys);
  if (!trusted) return Error(trusted.error().code, "intel.trusted-keys: " + trusted.error().message);
  std::error_code ec;
  if (!c.bundles_dir.empty() && !std::filesystem::is_directory(c.bundles_dir, ec)) {
    return Error(ErrorCode::kNotFound, "intel.bundles: '" + c.bundles_dir + "' is not a directory");
  }
  return Ok();
}

Result<std::unique_ptr<IntelUpdater>> StartIntelFromConfig(const Config& config, IntelStore& store,
                                                           Logger* log, RuleBundleHandler on_rules) {
  VIGIL_TRY(IntelConfig c, IntelConfigFromConfig(config));
  return StartIntel(c, store, log, std::move(on_rules));
}

}  // namespace vigil::sensor
