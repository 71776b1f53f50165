// InspectEvents' MQTT parts (see inspect_events.h): the "mqtt" event of a transaction and the
// "mqtt" object of alerts on it, as Suricata writes them.
#include "sensor/app/mqtt/mqtt_eve.h"
#include "sensor/inspect/inspect_events.h"

namespace vigil::sensor {

const AppJsonInfo* InspectEvents::MqttJson(const MqttTransaction& tx) {
  mqtt_json_.Clear();
  WriteMqttJson(tx, mqtt_json_);
  if (!mqtt_json_.Complete()) return nullptr;
  mqtt_info_ = AppJsonInfo{"mqtt", mqtt_json_.view()};
  return &mqtt_info_;
}

void InspectEvents::Mqtt(const MqttTransaction& tx, const Flow& flow, const Packet& p) {
  // Written whenever the flow is MQTT (no outputs.eve.mqtt switch yet: EveTypes has none).
  Event ev;
  ev.type = EventType::kMqtt;
  ev.app_json = MqttJson(tx);
  if (ev.app_json == nullptr) return;
  Envelope(p, &flow, ev.envelope);
  ev.envelope.tx_id = tx.id;
  ev.envelope.app_proto = AppProtoName(AppProto::kMqtt);
  out_.Write(ev);
}

}  // namespace vigil::sensor
