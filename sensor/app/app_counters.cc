#include "sensor/app/app_counters.h"

namespace vigil::sensor {

Result<AppCounters> RegisterAppCounters(CounterRegistry& registry) {
  AppCounters c;
  VIGIL_TRY(c.app, registry.Register(kAppCounterDefs));
  VIGIL_TRY(c.http_events, registry.Register(kHttpEventDefs));
  VIGIL_TRY(c.dns_events, registry.Register(kDnsEventDefs));
  VIGIL_TRY(c.tls_events, registry.Register(kTlsEventDefs));
  return c;
}

}  // namespace vigil::sensor
