// MqttEvent: named MQTT anomalies, with Suricata's app-layer-event names ("mqtt.*").
//
// Events belong to a transaction (a bit in MqttTransaction::events), as in Suricata, so an
// `app-layer-event:mqtt.missing_connect;` rule matches the transaction that raised it.
//
//   MqttEventName(MqttEvent::kInvalidQosLevel) == "mqtt.invalid_qos_level"
#pragma once

#include <cstdint>
#include <iterator>
#include <string_view>

#include "core/counters.h"

namespace vigil::sensor {

// Index into kMqttEventDefs; keep the two in the same order.
enum class MqttEvent : uint8_t {
  kMissingConnect,
  kMissingPublish,
  kMissingSubscribe,
  kMissingUnsubscribe,
  kDoubleConnect,
  kUnintroducedMessage,
  kInvalidQosLevel,
  kMissingMsgId,
  kUnassignedMsgType,
  kTooManyTransactions,
  kMalformedTraffic,
  kCount,
};

inline constexpr CounterDef kMqttEventDefs[] = {
    {"mqtt.missing_connect", "CONNACK without an open CONNECT"},
    {"mqtt.missing_publish", "PUBACK/PUBREC/PUBREL/PUBCOMP for no open PUBLISH"},
    {"mqtt.missing_subscribe", "SUBACK for no open SUBSCRIBE"},
    {"mqtt.missing_unsubscribe", "UNSUBACK for no open UNSUBSCRIBE"},
    {"mqtt.double_connect", "CONNECT after the session was established"},
    {"mqtt.unintroduced_message", "message before CONNECT/CONNACK completed"},
    {"mqtt.invalid_qos_level", "PUBLISH/SUBSCRIBE/UNSUBSCRIBE with QoS 3"},
    {"mqtt.missing_msg_id", "PUBLISH with QoS 1 or 2 but no message id"},
    {"mqtt.unassigned_msg_type", "message type 0 (reserved)"},
    {"mqtt.too_many_transactions", "open transactions over max_tx: the oldest was closed"},
    {"mqtt.malformed_traffic", "message that does not parse; the direction is abandoned"},
};
static_assert(std::size(kMqttEventDefs) == static_cast<size_t>(MqttEvent::kCount));

inline std::string_view MqttEventName(MqttEvent e) {
  auto i = static_cast<size_t>(e);
  return i < std::size(kMqttEventDefs) ? kMqttEventDefs[i].name : std::string_view("mqtt.unknown");
}

}  // namespace vigil::sensor
