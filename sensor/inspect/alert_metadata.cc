#include "sensor/inspect/alert_metadata.h"

namespace vigil::sensor {

AlertMetadataTable BuildAlertMetadata(const DetectEngine& engine) {
  AlertMetadataTable t;
  t.rules_.resize(engine.rules().size());
  for (size_t i = 0; i < engine.rules().size(); ++i) {
    const rules::Rule& r = *engine.rules()[i].rule;
    AlertMetadataTable::PerRule& pr = t.rules_[i];
    std::vector<std::string_view> keys;
    for (const auto& [key, value] : r.meta.metadata) {
      size_t k = 0;
      while (k < keys.size() && keys[k] != key) ++k;
      if (k == keys.size()) {
        keys.push_back(key);
        pr.values.emplace_back();
      }
      pr.values[k].push_back(value);
    }
    // Entries are made after every value vector has its final place.
    pr.entries.reserve(keys.size());
    for (size_t k = 0; k < keys.size(); ++k) {
      pr.entries.push_back(AlertMetadata{keys[k], pr.values[k]});
    }
  }
  return t;
}

}  // namespace vigil::sensor
