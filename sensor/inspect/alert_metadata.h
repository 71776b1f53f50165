// AlertMetadataTable: each rule's `metadata:` pairs grouped by key, in the shape EVE writes them
// ("metadata": {"attack_target": ["Client_Endpoint"], "signature_severity": ["Major"]}).
// Built once per rule set so writing an alert only points at it.
//
//   AlertMetadataTable t = BuildAlertMetadata(engine);
//   alert_info.metadata = t.For(alert.rule_index);
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "sensor/detect/detect_engine.h"

namespace vigil::sensor {

class AlertMetadataTable {
 public:
  std::span<const AlertMetadata> For(uint32_t rule_index) const {
    return rule_index < rules_.size() ? std::span<const AlertMetadata>(rules_[rule_index].entries)
                                      : std::span<const AlertMetadata>();
  }
  friend AlertMetadataTable BuildAlertMetadata(const DetectEngine& engine);

 private:
  struct PerRule {
    std::vector<std::vector<std::string_view>> values;  // per key; views into the rule
    std::vector<AlertMetadata> entries;                 // key + span over values[i]
  };
  std::vector<PerRule> rules_;
};

// Views point into the engine's rules: the engine must outlive the table.
AlertMetadataTable BuildAlertMetadata(const DetectEngine& engine);

}  // namespace vigil::sensor
