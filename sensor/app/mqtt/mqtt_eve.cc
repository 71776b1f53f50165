#include "sensor/app/mqtt/mqtt_eve.h"

namespace vigil::sensor {
namespace {

void WriteProperties(std::string_view key, const std::vector<MqttProperty>& props, JsonWriter& w) {
  if (props.empty()) return;
  w.KeyObject(key);
  for (const MqttProperty& p : props) {
    if (p.id == 0x26) {  // user property: its own name and value, as Suricata writes it
      w.KeyString(p.text, p.text2);
    } else if (p.is_text) {
      w.KeyString(MqttPropertyName(p.id), p.text);
    } else {
      w.KeyUint(MqttPropertyName(p.id), p.number);
    }
  }
  w.EndObject();
}

void WriteCodes(std::string_view key, const std::vector<uint8_t>& codes, JsonWriter& w) {
  w.KeyArray(key);
  for (uint8_t c : codes) w.Uint(c);
  w.EndArray();
}

void WriteConnect(const MqttMessage& m, JsonWriter& w) {
  w.KeyString("protocol_string", m.protocol_string);
  w.KeyUint("protocol_version", m.protocol_version);
  w.KeyObject("flags");
  w.KeyBool("username", (m.connect_flags & kMqttFlagUsername) != 0);
  w.KeyBool("password", (m.connect_flags & kMqttFlagPassword) != 0);
  w.KeyBool("will_retain", (m.connect_flags & kMqttFlagWillRetain) != 0);
  w.KeyBool("will", (m.connect_flags & kMqttFlagWill) != 0);
  w.KeyBool("clean_session", (m.connect_flags & kMqttFlagCleanSession) != 0);
  w.EndObject();
  w.KeyString("client_id", m.client_id);
  if (m.username) w.KeyString("username", *m.username);
  if (m.password) w.KeyString("password", *m.password);
  if (m.will_topic) {
    w.KeyObject("will");
    w.KeyString("topic", *m.will_topic);
    if (m.will_message) w.KeyString("message", *m.will_message);
    WriteProperties("properties", m.will_properties, w);
    w.EndObject();
  }
}

void WriteMessage(const MqttMessage& m, JsonWriter& w) {
  const uint8_t type = m.hdr.type;
  if (type == kMqttUnassigned && !m.truncated) return;
  w.KeyObject(m.truncated ? std::string_view("truncated") : MqttTypeKey(type));
  w.KeyUint("qos", m.hdr.qos);
  w.KeyBool("retain", m.hdr.retain);
  w.KeyBool("dup", m.hdr.dup);
  if (m.truncated) {
    w.KeyUint("skipped_length", m.hdr.remaining_length);
    w.EndObject();
    return;
  }
  switch (type) {
    case kMqttConnect: WriteConnect(m, w); break;
    case kMqttConnack:
      w.KeyBool("session_present", m.session_present);
      w.KeyUint("return_code", m.return_code);
      break;
    case kMqttPublish:
      w.KeyString("topic", m.topic);
      if (m.message_id) w.KeyUint("message_id", *m.message_id);
      w.KeyString("message", m.payload);
      break;
    case kMqttSubscribe:
      if (m.message_id) w.KeyUint("message_id", *m.message_id);
      w.KeyArray("topics");
      for (const MqttTopic& t : m.topics) {
        w.BeginObject();
        w.KeyString("topic", t.name);
        w.KeyUint("qos", t.qos);
        w.EndObject();
      }
      w.EndArray();
      break;
    case kMqttUnsubscribe:
      if (m.message_id) w.KeyUint("message_id", *m.message_id);
      w.KeyArray("topics");
      for (const MqttTopic& t : m.topics) w.String(t.name);
      w.EndArray();
      break;
    case kMqttSuback:
      if (m.message_id) w.KeyUint("message_id", *m.message_id);
      WriteCodes("qos_granted", m.codes, w);
      break;
    case kMqttUnsuback:
      if (m.message_id) w.KeyUint("message_id", *m.message_id);
      WriteCodes("reason_codes", m.codes, w);
      break;
    default:  // PUBACK..PUBCOMP, DISCONNECT, AUTH, PINGREQ, PINGRESP
      if (m.message_id) w.KeyUint("message_id", *m.message_id);
      if (m.reason_code) w.KeyUint("reason_code", *m.reason_code);
      break;
  }
  WriteProperties("properties", m.properties, w);
  w.EndObject();
}

}  // namespace

void WriteMqttJson(const MqttTransaction& tx, JsonWriter& w) {
  w.BeginObject();
  for (const MqttMessage& m : tx.msgs) WriteMessage(m, w);
  w.EndObject();
}

}  // namespace vigil::sensor
