// CorrelationAlert: what the engine emits when a correlation rule fires, and its EVE-like JSON.
//
//   {"timestamp":"2024-01-01T12:05:00.000000+0000","event_type":"correlation","src_ip":"10.0.0.9",
//    "correlation":{"alert_id":..,"rule_id":"..","rule_name":"port_scan","title":"Port scan",
//      "type":"value_count","level":"medium","severity":3,"risk":40,
//      "group":{"src_ip":"10.0.0.9"},"window_start":"..","window_end":"..",
//      "count":73,"value":50,"event_ids":[..],"event_ids_truncated":true}}
//
// Group fields that are EVE envelope fields (src_ip, dest_ip, src_port, dest_port, proto,
// sensor_id, province, community_id, flow_id) are also written at the top level, so jq, Kibana
// and the next tier's rules see them where they look for them in any EVE event.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/json_writer.h"
#include "core/time.h"
#include "rules/correlation/correlation_rule.h"

namespace vigil {

struct CorrelationAlert {
  uint64_t alert_id = 0;       // unique within the engine's lifetime (checkpointed)
  bool from_detection = false; // a detection rule with `generate: true`, not a correlation
  uint32_t rule_index = 0;     // into RuleSet::correlations() (or detections())
  std::string rule_id;
  std::string rule_name;
  std::string title;
  std::string level;
  int severity = 3;
  int risk = 50;
  CorrelationType type = CorrelationType::kEventCount;
  std::vector<std::pair<std::string, std::string>> group;  // group-by field -> value
  Timestamp window_start;
  Timestamp window_end;   // also the alert's event time
  uint64_t count = 0;     // events in the window (distinct values for value_count)
  bool has_value = false; // value_*: the aggregate; temporal: rules seen; periodicity: mean s
  double value = 0;
  bool has_jitter = false;  // periodicity: stddev/mean of the intervals
  double jitter = 0;
  std::vector<uint64_t> event_ids;  // first EngineConfig::max_event_ids contributing events
  bool event_ids_truncated = false;
  uint32_t chain_depth = 0;         // 0: fed by events; n: by correlations of depth n-1
};

// Writes the alert as one EVE-like JSON object (no trailing newline) into w.
void WriteCorrelationEve(const CorrelationAlert& a, JsonWriter& w);

}  // namespace vigil
