// InspectContext: everything the inspection stage shares read-only between workers — the
// compiled rule set (DetectEngine) with the classification and threshold configs it points into,
// the per-rule EVE metadata, the app-layer parser configs and which events to write. Built once
// at start by LoadInspectContext (rule files, variables, classification, thresholds), then
// handed to every worker's InspectPlugin.
//
//   VIGIL_TRY(auto ctx, LoadInspectContext(sensor_config, {}));
//   fmt::print(stderr, "{}", ctx->load_report);
//   options.plugins = MakeInspectPluginFactory(ctx, sensor_config);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "rules/signature/classification_config.h"
#include "rules/signature/rule_loader.h"
#include "rules/signature/rule_variables.h"
#include "rules/signature/threshold_config.h"
#include "sensor/app/app_config.h"
#include "sensor/detect/detect_engine.h"
#include "sensor/detect/load_report.h"
#include "sensor/inspect/alert_metadata.h"
#include "sensor/pipeline/sensor_config.h"

namespace vigil::sensor {

// What LoadInspectContext loads beyond the config (the command line's -S / -s).
struct RuleSources {
  bool replace = false;                 // -S: only these files, the config's rule-files ignored
  std::vector<std::string> files;       // -S / -s files (as given: not under default-rule-path)
  // Rules given as text, loaded after the files (a rule bundle; sensor/reload). `name` stands
  // for the file name in diagnostics.
  struct Text {
    std::string name;
    std::string rules;
  };
  std::vector<Text> texts;
};

struct InspectContext {
  AppLayerConfig app;
  EveTypes types;
  bool anomaly_events = true;
  // simulate-ips: drop/reject matches block (alert.action "blocked") and drop their flow.
  bool ips = false;
  // Rules: null when no rule file was given (app-layer parsing and events still run).
  std::unique_ptr<rules::ClassificationConfig> classes;  // null: the engine's default set
  std::unique_ptr<rules::ThresholdConfig> thresholds;
  std::unique_ptr<DetectEngine> engine;
  AlertMetadataTable metadata;          // per engine rule
  std::vector<uint8_t> tx_scoped;       // per engine rule: alerts at most once per transaction
  std::vector<uint8_t> app_dirs;        // per engine rule: 1 request side, 2 response, 3 both
  uint32_t stream_window_bytes = 4096;
  uint64_t stream_depth_bytes = 1 << 20;
  size_t flow_capacity = 0;             // per worker
  std::string profile_file;             // detect.profiling-file: rule profiles appended here
  // Load results, for the summary printed at start.
  std::vector<std::string> rule_files;  // resolved paths, in load order
  double load_seconds = 0;
  std::string load_report;              // loaded, skipped by reason, top reasons
};

// The address and port variables: Suricata's defaults overridden by vars.address-groups and
// vars.port-groups.
rules::RuleVariables MakeRuleVariables(const SensorConfig& config);

// Which side of a transaction a buffer belongs to: 1 request (to_server), 2 response
// (to_client), 3 either. A rule with a response buffer is inspected on the response (its
// request buffers too); `vigil rules check` uses this to find flow: contradictions.
uint8_t BufferSide(rules::BufferId b);

// Loads rules and configs. A rules, classification or threshold file that cannot be read is an
// error; a rule that fails to parse or uses something unsupported is skipped and counted.
[[nodiscard]] Result<std::shared_ptr<const InspectContext>> LoadInspectContext(
    const SensorConfig& config, const RuleSources& sources);

}  // namespace vigil::sensor
