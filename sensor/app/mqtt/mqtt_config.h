// MqttConfig: the MQTT parser's limits, with their defaults (Suricata's app-layer.protocols.mqtt
// max-msg-length and max-tx).
//
//   MqttConfig cfg;  cfg.max_msg_length = 64 * 1024;
#pragma once

#include <cstddef>

#include "core/result.h"

namespace vigil::sensor {

struct MqttConfig {
  // A message whose remaining length is larger is not buffered or parsed: its bytes are skipped
  // and it becomes a transaction of its own with only the fixed header (truncated).
  size_t max_msg_length = 1024 * 1024;
  // Open transactions kept per flow. Past it the oldest incomplete one is closed and raises
  // mqtt.too_many_transactions.
  size_t max_tx = 1024;
  // Anomalies a flow keeps between two drains of its AnomalyLog (all are counted regardless).
  size_t max_pending_anomalies = 32;

  [[nodiscard]] Status Validate() const {
    if (max_msg_length < 64 || max_msg_length > (size_t{1} << 28)) {
      return Error(ErrorCode::kInvalidArgument, "app.mqtt.max_msg_length must be in 64..2^28");
    }
    if (max_tx < 1) return Error(ErrorCode::kInvalidArgument, "app.mqtt.max_tx must be >= 1");
    return Ok();
  }
};

}  // namespace vigil::sensor
