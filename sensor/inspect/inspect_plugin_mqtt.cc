// InspectPlugin's MQTT part: inspections of MQTT transactions and their events (see
// inspect_plugin.h; the buffers and keyword facts come from mqtt_buffers.h).
#include <algorithm>

#include "sensor/inspect/inspect_plugin.h"

namespace vigil::sensor {
namespace {

// Transaction key for per-transaction alert de-duplication (as TxKey in inspect_plugin.cc).
uint64_t MqttTxKey(uint64_t id) {
  return (static_cast<uint64_t>(AppProto::kMqtt) << 56) | (id & ((uint64_t{1} << 56) - 1));
}

}  // namespace

void InspectPlugin::MqttUpdates(FlowInspectState& s, const Flow& f, const Packet& p,
                                bool to_server, bool tcp_stream, bool* inspected) {
  MqttParser& mq = *s.mqtt;
  mq.ForEachUpdated([&](const MqttTransaction& tx) {
    if (!detect_) return;
    mqtt_facts_.Fill(tx);
    const size_t topics = std::max<size_t>(1, MqttTopicCount(tx));
    for (size_t k = 0; k < topics; ++k) {
      buffers_.Clear();
      if (!*inspected && p.payload_len > 0) buffers_.Set(BufferId::kPacket, p.payload_span());
      AddMqttBuffers(tx, k, buffers_);
      InspectInput in = BaseInput(p, &s, to_server, tcp_stream);
      in.mqtt = &mqtt_facts_.tx();
      app_events_.Clear();
      app_events_.AddBits(tx.events, kMqttEventDefs);
      in.app_events = app_events_.view();
      AppRef app{.proto = AppProto::kMqtt, .mqtt = &tx, .tx_id = tx.id};
      Run(in, &f, &s, app, MqttTxKey(tx.id), *inspected);
      *inspected = true;
    }
  });
  mq.DrainCompleted([&](const MqttTransaction& tx) {
    events_->Mqtt(tx, f, p);
    const uint64_t key = MqttTxKey(tx.id);
    std::erase_if(s.tx_alerted, [key](const auto& e) { return e.first == key; });
  });
}

void InspectPlugin::MqttFlush(FlowInspectState& s, const Flow& f, const Packet& p) {
  s.mqtt->DrainCompleted([&](const MqttTransaction& tx) { events_->Mqtt(tx, f, p); },
                         /*all=*/true);
}

}  // namespace vigil::sensor
