#include "sensor/flow/flow_table_config.h"

#include <algorithm>
#include <limits>
#include <string>

namespace vigil::sensor {

uint32_t FlowTableConfig::Capacity() const {
  size_t buckets_bytes = size_t{hash_buckets} * sizeof(uint32_t);
  if (memcap <= buckets_bytes) return 0;
  size_t n = (memcap - buckets_bytes) / sizeof(Flow);
  // Indices are uint32 and the top value marks "none".
  n = std::min<size_t>(n, std::numeric_limits<uint32_t>::max() - 1);
  if (max_flows != 0) n = std::min<size_t>(n, max_flows);
  return static_cast<uint32_t>(n);
}

Status FlowTableConfig::Validate() const {
  auto bad = [](std::string m) { return Error(ErrorCode::kInvalidArgument, "flow: " + m); };
  if (hash_buckets == 0 || (hash_buckets & (hash_buckets - 1)) != 0 || hash_buckets > (1u << 30)) {
    return bad("hash_buckets must be a power of two up to 2^30");
  }
  if (Capacity() < 1) {
    return bad("memcap " + std::to_string(memcap) + " holds no flow beside " +
               std::to_string(hash_buckets) + " hash buckets");
  }
  for (const auto* table : {&timeouts, &emergency_timeouts}) {
    for (const auto& t : *table) {
      if (t.new_ns < 0 || t.established_ns < 0 || t.closed_ns < 0) {
        return bad("timeouts must not be negative");
      }
    }
  }
  if (emergency_enter_pct == 0 || emergency_enter_pct > 100) {
    return bad("emergency_enter_pct must be 1..100");
  }
  if (emergency_exit_pct >= emergency_enter_pct) {
    return bad("emergency_exit_pct must be below emergency_enter_pct");
  }
  if (sweep_budget == 0) return bad("sweep_budget must be at least 1");
  return Ok();
}

}  // namespace vigil::sensor
