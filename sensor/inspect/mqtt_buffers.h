// MQTT sticky buffers and keyword facts: which bytes of an MQTT transaction each mqtt.* buffer
// inspects (mqtt.connect.clientid/username/password/willtopic/willmessage/protocol_string,
// mqtt.publish.topic/message, mqtt.subscribe.topic, mqtt.unsubscribe.topic), and the flat
// view (rules::MqttTxFacts) that mqtt.type, mqtt.flags, mqtt.qos, ... are evaluated against.
//
// As in Suricata, a buffer takes the first message of the transaction that has a non-empty
// value. mqtt.subscribe.topic and mqtt.unsubscribe.topic are multi-buffers (one per topic
// filter, across the transaction's messages): the pipeline runs one inspection per topic index
// (MqttTopicCount) and the per-transaction alert de-duplication reports a rule once.
//
//   MqttFacts facts;
//   for (size_t k = 0; k < std::max<size_t>(1, MqttTopicCount(tx)); ++k) {
//     AddMqttBuffers(tx, k, bufs);
//     facts.Fill(tx);  in.mqtt = &facts.tx();
//   }
#pragma once

#include <cstddef>
#include <vector>

#include "rules/signature/mqtt_option.h"
#include "sensor/app/mqtt/mqtt_parser.h"
#include "sensor/detect/inspect_input.h"

namespace vigil::sensor {

// The number of subscribe or unsubscribe topic filters of the transaction (the larger).
size_t MqttTopicCount(const MqttTransaction& tx);

// Sets the transaction's MQTT buffers; `topic` selects the topic filter offered as
// mqtt.subscribe.topic / mqtt.unsubscribe.topic (absent when there is no such index).
void AddMqttBuffers(const MqttTransaction& tx, size_t topic, BufferSet& out);

// Reusable storage for one transaction's facts (no allocation once warm).
class MqttFacts {
 public:
  void Fill(const MqttTransaction& tx);
  const rules::MqttTxFacts& tx() const { return tx_; }

 private:
  std::vector<rules::MqttMessageFacts> msgs_;
  rules::MqttTxFacts tx_;
};

}  // namespace vigil::sensor
