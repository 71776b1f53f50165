// WriteMqttJson: an MQTT transaction as Suricata's EVE "mqtt" object, one member per message,
// keyed by the message type: {"connect": {"qos": 0, "retain": false, "dup": false,
// "protocol_string": "MQTT", "protocol_version": 5, "flags": {...}, "client_id": "...",
// "properties": {...}}, "connack": {...}, "publish": {"topic": "...", "message": "..."}, ...}.
//
//   JsonWriter w;
//   WriteMqttJson(tx, w);               // one JSON object in w.view()
//   AppJsonInfo info{"mqtt", w.view()};
#pragma once

#include "core/json_writer.h"
#include "sensor/app/mqtt/mqtt_parser.h"

namespace vigil::sensor {

void WriteMqttJson(const MqttTransaction& tx, JsonWriter& w);

}  // namespace vigil::sensor
