#include "sensor/reassembly/reassembly_counters.h"

namespace vigil::sensor {

Result<ReassemblyCounters> RegisterReassemblyCounters(CounterRegistry& registry) {
  ReassemblyCounters c;
  VIGIL_TRY(c.group, registry.Register(kTcpCounterDefs));
  VIGIL_TRY(c.events, registry.Register(kStreamEventDefs));
  return c;
}

}  // namespace vigil::sensor
