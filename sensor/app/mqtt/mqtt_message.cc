#include "sensor/app/mqtt/mqtt_message.h"

namespace vigil::sensor {
namespace {

// A bounds-checked reader over a message body. Every Read* returns false, and reads nothing,
// when the field would run past the end.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> b) : b_(b) {}
  size_t left() const { return b_.size() - pos_; }
  bool U8(uint8_t* v) {
    if (left() < 1) return false;
    *v = b_[pos_++];
    return true;
  }
  bool U16(uint16_t* v) {
    if (left() < 2) return false;
    *v = static_cast<uint16_t>((b_[pos_] << 8) | b_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool U32(uint32_t* v) {
    if (left() < 4) return false;
    *v = (uint32_t{b_[pos_]} << 24) | (uint32_t{b_[pos_ + 1]} << 16) |
         (uint32_t{b_[pos_ + 2]} << 8) | b_[pos_ + 3];
    pos_ += 4;
    return true;
  }
  // MQTT variable byte integer: at most four bytes.
  bool VarInt(uint32_t* v) {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      if (left() < 1) return false;
      const uint8_t byte = b_[pos_++];
      value |= uint32_t{static_cast<uint8_t>(byte & 0x7f)} << (7 * i);
      if ((byte & 0x80) == 0) {
        *v = value;
        return true;
      }
    }
    return false;
  }
  // A two-byte length then that many bytes (UTF-8 string or binary data).
  bool LengthPrefixed(std::string* out) {
    uint16_t n = 0;
    const size_t start = pos_;
    if (!U16(&n) || left() < n) {
      pos_ = start;
      return false;
    }
    out->assign(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  std::span<const uint8_t> Take(size_t n) {
    std::span<const uint8_t> s = b_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  std::span<const uint8_t> Rest() { return Take(left()); }

 private:
  std::span<const uint8_t> b_;
  size_t pos_ = 0;
};

enum class PropKind : uint8_t { kUnknown, kByte, kU16, kU32, kVarInt, kText, kPair };

struct PropDef {
  std::string_view name;
  PropKind kind;
};

PropDef PropInfo(uint8_t id) {
  switch (id) {
    case 0x01: return {"payload_format_indicator", PropKind::kByte};
    case 0x02: return {"message_expiry_interval", PropKind::kU32};
    case 0x03: return {"content_type", PropKind::kText};
    case 0x08: return {"response_topic", PropKind::kText};
    case 0x09: return {"correlation_data", PropKind::kText};
    case 0x0b: return {"subscription_identifier", PropKind::kVarInt};
    case 0x11: return {"session_expiry_interval", PropKind::kU32};
    case 0x12: return {"assigned_client_identifier", PropKind::kText};
    case 0x13: return {"server_keep_alive", PropKind::kU16};
    case 0x15: return {"authentication_method", PropKind::kText};
    case 0x16: return {"authentication_data", PropKind::kText};
    case 0x17: return {"request_problem_information", PropKind::kByte};
    case 0x18: return {"will_delay_interval", PropKind::kU32};
    case 0x19: return {"request_response_information", PropKind::kByte};
    case 0x1a: return {"response_information", PropKind::kText};
    case 0x1c: return {"server_reference", PropKind::kText};
    case 0x1f: return {"reason_string", PropKind::kText};
    case 0x21: return {"receive_maximum", PropKind::kU16};
    case 0x22: return {"topic_alias_maximum", PropKind::kU16};
    case 0x23: return {"topic_alias", PropKind::kU16};
    case 0x24: return {"maximum_qos", PropKind::kByte};
    case 0x25: return {"retain_available", PropKind::kByte};
    case 0x26: return {"user_property", PropKind::kPair};
    case 0x27: return {"maximum_packet_size", PropKind::kU32};
    case 0x28: return {"wildcard_subscription_available", PropKind::kByte};
    case 0x29: return {"subscription_identifier_available", PropKind::kByte};
    case 0x2a: return {"shared_subscription_available", PropKind::kByte};
    default: return {"", PropKind::kUnknown};
  }
}

bool ReadProperty(Reader& r, std::vector<MqttProperty>* out) {
  uint32_t id = 0;
  if (!r.VarInt(&id)) return false;
  MqttProperty p;
  p.id = id <= 0xff ? static_cast<uint8_t>(id) : 0;
  const PropKind kind = id <= 0xff ? PropInfo(p.id).kind : PropKind::kUnknown;
  bool ok = true;
  switch (kind) {
    case PropKind::kUnknown: return true;  // skipped by its identifier, as Suricata
    case PropKind::kByte: {
      uint8_t v = 0;
      ok = r.U8(&v);
      p.number = v;
      break;
    }
    case PropKind::kU16: {
      uint16_t v = 0;
      ok = r.U16(&v);
      p.number = v;
      break;
    }
    case PropKind::kU32: ok = r.U32(&p.number); break;
    case PropKind::kVarInt: ok = r.VarInt(&p.number); break;
    case PropKind::kText:
      p.is_text = true;
      ok = r.LengthPrefixed(&p.text);
      break;
    case PropKind::kPair:
      p.is_text = true;
      ok = r.LengthPrefixed(&p.text) && r.LengthPrefixed(&p.text2);
      break;
  }
  if (!ok) return false;
  out->push_back(std::move(p));
  return true;
}

// A property length (variable integer) and the properties it covers; a length running past
// the body is malformed (the mqtt5-excessiveproplen case).
bool ReadProperties(Reader& r, std::vector<MqttProperty>* out) {
  uint32_t len = 0;
  if (!r.VarInt(&len) || len > r.left()) return false;
  Reader props(r.Take(len));
  while (props.left() > 0) {
    if (!ReadProperty(props, out)) return false;
  }
  return true;
}

bool ParseConnect(Reader& r, MqttMessage& m) {
  if (!r.LengthPrefixed(&m.protocol_string) || !r.U8(&m.protocol_version) ||
      !r.U8(&m.connect_flags) || !r.U16(&m.keepalive)) {
    return false;
  }
  const bool v5 = m.protocol_version == 5;
  if (v5 && !ReadProperties(r, &m.properties)) return false;
  if (!r.LengthPrefixed(&m.client_id)) return false;
  if (m.connect_flags & kMqttFlagWill) {
    if (v5 && !ReadProperties(r, &m.will_properties)) return false;
    if (!r.LengthPrefixed(&m.will_topic.emplace())) return false;
    if (!r.LengthPrefixed(&m.will_message.emplace())) return false;
  }
  if ((m.connect_flags & kMqttFlagUsername) && !r.LengthPrefixed(&m.username.emplace())) {
    return false;
  }
  if ((m.connect_flags & kMqttFlagPassword) && !r.LengthPrefixed(&m.password.emplace())) {
    return false;
  }
  return true;
}

// PUBACK, PUBREC, PUBREL, PUBCOMP: message id, then in 5.0 an optional reason code and
// optional properties.
bool ParseMsgIdOnly(Reader& r, uint8_t version, MqttMessage& m) {
  uint16_t id = 0;
  if (!r.U16(&id)) return false;
  m.message_id = id;
  if (version < 5) return true;
  uint8_t code = 0;  // omitted: 0x00 success
  if (r.left() > 0 && !r.U8(&code)) return false;
  m.reason_code = code;
  if (r.left() > 0 && !ReadProperties(r, &m.properties)) return false;
  return true;
}

bool ParseByType(const MqttFixedHeader& h, Reader& r, uint8_t version, MqttMessage& m) {
  const bool v5 = version == 5;
  const size_t body_len = r.left();
  switch (h.type) {
    case kMqttConnect: return ParseConnect(r, m);
    case kMqttConnack: {
      uint8_t ack = 0;
      if (!r.U8(&ack) || !r.U8(&m.return_code)) return false;
      m.session_present = (ack & 1) != 0;
      return !v5 || ReadProperties(r, &m.properties);
    }
    case kMqttPublish: {
      if (!r.LengthPrefixed(&m.topic)) return false;
      if (h.qos > 0) {
        uint16_t id = 0;
        if (!r.U16(&id)) return false;
        m.message_id = id;
      }
      if (v5 && !ReadProperties(r, &m.properties)) return false;
      std::span<const uint8_t> rest = r.Rest();
      m.payload.assign(reinterpret_cast<const char*>(rest.data()), rest.size());
      return true;
    }
    case kMqttPuback: case kMqttPubrec: case kMqttPubrel: case kMqttPubcomp:
      return ParseMsgIdOnly(r, version, m);
    case kMqttSubscribe: {
      uint16_t id = 0;
      if (!r.U16(&id)) return false;
      m.message_id = id;
      if (v5 && !ReadProperties(r, &m.properties)) return false;
      while (r.left() > 0) {  // complete topic filters; a partial one ends the list
        MqttTopic t;
        if (!r.LengthPrefixed(&t.name) || !r.U8(&t.qos)) break;
        m.topics.push_back(std::move(t));
      }
      return !m.topics.empty();  // at least one topic filter
    }
    case kMqttUnsubscribe: {
      uint16_t id = 0;
      if (!r.U16(&id)) return false;
      m.message_id = id;
      if (v5 && !ReadProperties(r, &m.properties)) return false;
      while (r.left() > 0) {
        MqttTopic t;
        if (!r.LengthPrefixed(&t.name)) break;
        m.topics.push_back(std::move(t));
      }
      return true;
    }
    case kMqttSuback: case kMqttUnsuback: {
      uint16_t id = 0;
      if (!r.U16(&id)) return false;
      m.message_id = id;
      if (v5 && !ReadProperties(r, &m.properties)) return false;
      std::span<const uint8_t> rest = r.Rest();
      m.codes.assign(rest.begin(), rest.end());
      return true;
    }
    case kMqttDisconnect: {
      if (!v5) return true;
      uint8_t code = 0;  // omitted: normal disconnection
      if (r.left() > 0 && !r.U8(&code)) return false;
      // A one-byte body (reason code, no properties) reads as 0, as Suricata's parser reports
      // it, so mqtt.reason_code rules written for Suricata mean the same here.
      m.reason_code = body_len == 1 ? 0 : code;
      if (r.left() > 0 && !ReadProperties(r, &m.properties)) return false;
      return true;
    }
    case kMqttAuth: {
      uint8_t code = 0;
      if (!r.U8(&code)) return false;
      m.reason_code = code;
      return ReadProperties(r, &m.properties);
    }
    default:  // PINGREQ, PINGRESP, unassigned: no fields
      return true;
  }
}

}  // namespace

std::string_view MqttTypeKey(uint8_t type) {
  static constexpr std::string_view kKeys[16] = {
      "unassigned", "connect", "connack", "publish", "puback", "pubrec", "pubrel", "pubcomp",
      "subscribe", "suback", "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect",
      "auth"};
  return type < 16 ? kKeys[type] : kKeys[0];
}

std::string_view MqttPropertyName(uint8_t id) { return PropInfo(id).name; }

void MqttMessage::Clear() { *this = MqttMessage{}; }

MqttHeaderResult ParseMqttFixedHeader(std::span<const uint8_t> in, MqttFixedHeader* h,
                                      size_t* header_len) {
  if (in.size() < 2) return MqttHeaderResult::kNeedMore;
  uint32_t len = 0;
  for (size_t i = 1; i <= 4; ++i) {
    if (i >= in.size()) return MqttHeaderResult::kNeedMore;
    len |= uint32_t{static_cast<uint8_t>(in[i] & 0x7f)} << (7 * (i - 1));
    if ((in[i] & 0x80) == 0) {
      h->type = in[0] >> 4;
      h->dup = (in[0] & 0x08) != 0;
      h->qos = (in[0] >> 1) & 0x03;
      h->retain = (in[0] & 0x01) != 0;
      h->remaining_length = len;
      *header_len = i + 1;
      return MqttHeaderResult::kOk;
    }
  }
  return MqttHeaderResult::kError;
}

bool ParseMqttBody(const MqttFixedHeader& h, std::span<const uint8_t> body, uint8_t version,
                   MqttMessage& m) {
  m.hdr = h;
  Reader r(body);
  return ParseByType(h, r, version, m);
}

}  // namespace vigil::sensor
