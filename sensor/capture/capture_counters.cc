#include "sensor/capture/capture_counters.h"

namespace vigil::sensor {

Result<CaptureCounters> RegisterCaptureCounters(CounterRegistry& registry) {
  VIGIL_TRY(CounterGroup group, registry.Register(kCaptureCounterDefs));
  CaptureCounters c;
  c.group = group;
  return c;
}

}  // namespace vigil::sensor
