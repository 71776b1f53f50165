#include "sensor/inspect/app_event_list.h"

namespace vigil::sensor {

void AppEventList::AddBits(uint64_t bits, std::span<const CounterDef> defs) {
  for (size_t i = 0; i < defs.size() && i < 64 && (bits >> i) != 0; ++i) {
    if ((bits >> i) & 1u) names_.push_back(defs[i].name);
  }
}

void AppEventList::AddFlowLevel(const AnomalyLog& log) {
  for (const AppAnomaly& a : log.items()) {
    if (!a.tx_id) names_.push_back(a.name);
  }
}

}  // namespace vigil::sensor
