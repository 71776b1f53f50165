#include "sensor/inspect/mqtt_buffers.h"

#include <algorithm>
#include <string_view>

namespace vigil::sensor {
namespace {

// The first non-empty value `get` yields over the transaction's messages.
template <typename Get>
void SetFirst(const MqttTransaction& tx, BufferId id, BufferSet& out, Get&& get) {
  for (const MqttMessage& m : tx.msgs) {
    std::string_view v = get(m);
    if (!v.empty()) {
      out.Set(id, v);
      return;
    }
  }
}

std::string_view OptText(const std::optional<std::string>& s) {
  return s ? std::string_view(*s) : std::string_view();
}

// Topic `index` of the messages of `type`, counted across them in order.
void SetTopic(const MqttTransaction& tx, uint8_t type, size_t index, BufferId id, BufferSet& out) {
  size_t base = 0;
  for (const MqttMessage& m : tx.msgs) {
    if (m.hdr.type != type) continue;
    if (index < base + m.topics.size()) {
      const std::string& name = m.topics[index - base].name;
      if (!name.empty()) out.Set(id, name);
      return;
    }
    base += m.topics.size();
  }
}

size_t TopicsOf(const MqttTransaction& tx, uint8_t type) {
  size_t n = 0;
  for (const MqttMessage& m : tx.msgs) {
    if (m.hdr.type == type) n += m.topics.size();
  }
  return n;
}

}  // namespace

size_t MqttTopicCount(const MqttTransaction& tx) {
  return std::max(TopicsOf(tx, kMqttSubscribe), TopicsOf(tx, kMqttUnsubscribe));
}

void AddMqttBuffers(const MqttTransaction& tx, size_t topic, BufferSet& out) {
  auto connect = [](auto field) {
    return [field](const MqttMessage& m) {
      return m.hdr.type == kMqttConnect && !m.truncated ? field(m) : std::string_view();
    };
  };
  SetFirst(tx, BufferId::kMqttConnectClientId, out,
           connect([](const MqttMessage& m) { return std::string_view(m.client_id); }));
  SetFirst(tx, BufferId::kMqttConnectUsername, out,
           connect([](const MqttMessage& m) { return OptText(m.username); }));
  SetFirst(tx, BufferId::kMqttConnectPassword, out,
           connect([](const MqttMessage& m) { return OptText(m.password); }));
  SetFirst(tx, BufferId::kMqttConnectWillTopic, out,
           connect([](const MqttMessage& m) { return OptText(m.will_topic); }));
  SetFirst(tx, BufferId::kMqttConnectWillMessage, out,
           connect([](const MqttMessage& m) { return OptText(m.will_message); }));
  SetFirst(tx, BufferId::kMqttConnectProtocolString, out,
           connect([](const MqttMessage& m) { return std::string_view(m.protocol_string); }));
  auto publish = [](auto field) {
    return [field](const MqttMessage& m) {
      return m.hdr.type == kMqttPublish && !m.truncated ? field(m) : std::string_view();
    };
  };
  SetFirst(tx, BufferId::kMqttPublishTopic, out,
           publish([](const MqttMessage& m) { return std::string_view(m.topic); }));
  SetFirst(tx, BufferId::kMqttPublishMessage, out,
           publish([](const MqttMessage& m) { return std::string_view(m.payload); }));
  SetTopic(tx, kMqttSubscribe, topic, BufferId::kMqttSubscribeTopic, out);
  SetTopic(tx, kMqttUnsubscribe, topic, BufferId::kMqttUnsubscribeTopic, out);
}

void MqttFacts::Fill(const MqttTransaction& tx) {
  msgs_.clear();
  for (const MqttMessage& m : tx.msgs) {
    rules::MqttMessageFacts f;
    f.type = m.hdr.type;
    f.dup = m.hdr.dup;
    f.retain = m.hdr.retain;
    f.qos = m.hdr.qos;
    if (!m.truncated) {
      switch (m.hdr.type) {
        case kMqttConnect: f.connect_flags = m.connect_flags; break;
        case kMqttConnack:
          f.session_present = m.session_present ? 1 : 0;
          f.reason_code = m.return_code;
          break;
        case kMqttSuback: case kMqttUnsuback:
          f.codes = m.codes;
          break;
        default:
          if (m.reason_code) f.reason_code = *m.reason_code;
          break;
      }
    }
    msgs_.push_back(f);
  }
  tx_.msgs = msgs_;
  tx_.protocol_version = tx.protocol_version;
}

}  // namespace vigil::sensor
