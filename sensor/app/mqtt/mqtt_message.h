// MqttMessage: one decoded MQTT control packet (3.1, 3.1.1 and 5.0), and the functions that
// decode its fixed header and its body.
//
// A message is a fixed header (type, DUP/QoS/RETAIN flags, a variable-length "remaining
// length" of 1..4 bytes) and a body of that length. The body's layout depends on the type and,
// for properties and reason codes, on the protocol version the session's CONNECT announced.
// Decoding follows Suricata's MQTT parser: trailing bytes after the fields a type defines are
// ignored, a 5.0 property with an unknown identifier is skipped by its identifier only, and any
// field running past the body makes the message malformed.
//
//   MqttFixedHeader h; size_t hlen = 0;
//   if (ParseMqttFixedHeader(bytes, &h, &hlen) == MqttHeaderResult::kOk &&
//       bytes.size() >= hlen + h.remaining_length) {
//     MqttMessage m;
//     bool ok = ParseMqttBody(h, bytes.subspan(hlen, h.remaining_length), version, m);
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::sensor {

// Control packet types (the high nibble of the first byte). 0 is reserved ("unassigned").
enum MqttType : uint8_t {
  kMqttUnassigned = 0,
  kMqttConnect = 1,
  kMqttConnack = 2,
  kMqttPublish = 3,
  kMqttPuback = 4,
  kMqttPubrec = 5,
  kMqttPubrel = 6,
  kMqttPubcomp = 7,
  kMqttSubscribe = 8,
  kMqttSuback = 9,
  kMqttUnsubscribe = 10,
  kMqttUnsuback = 11,
  kMqttPingreq = 12,
  kMqttPingresp = 13,
  kMqttDisconnect = 14,
  kMqttAuth = 15,
};

// Lower-case EVE key of a type: "connect", "connack", ..., "unassigned".
std::string_view MqttTypeKey(uint8_t type);

// CONNECT flag bits (byte 8 of the variable header).
inline constexpr uint8_t kMqttFlagUsername = 0x80;
inline constexpr uint8_t kMqttFlagPassword = 0x40;
inline constexpr uint8_t kMqttFlagWillRetain = 0x20;
inline constexpr uint8_t kMqttFlagWill = 0x04;
inline constexpr uint8_t kMqttFlagCleanSession = 0x02;

struct MqttFixedHeader {
  uint8_t type = kMqttUnassigned;
  bool dup = false;
  uint8_t qos = 0;  // 0..3 (3 is invalid, but decoded)
  bool retain = false;
  uint32_t remaining_length = 0;
};

// A 5.0 property. Numeric ones (byte, two/four-byte integer, variable integer) use `number`;
// strings and binary data use `text`; a user property (a string pair) uses `text` and `text2`.
struct MqttProperty {
  uint8_t id = 0;
  bool is_text = false;
  uint32_t number = 0;
  std::string text;
  std::string text2;
};
// The EVE key of a property ("receive_maximum", ...); "" for an unknown identifier.
std::string_view MqttPropertyName(uint8_t id);

struct MqttTopic {
  std::string name;
  uint8_t qos = 0;  // SUBSCRIBE only (the whole options byte)
};

struct MqttMessage {
  MqttFixedHeader hdr;
  bool truncated = false;  // over max_msg_length: body skipped, only hdr is known

  // CONNECT
  std::string protocol_string;
  uint8_t protocol_version = 0;
  uint8_t connect_flags = 0;
  uint16_t keepalive = 0;
  std::string client_id;
  std::optional<std::string> will_topic, will_message, username, password;
  std::vector<MqttProperty> will_properties;
  // CONNACK
  bool session_present = false;
  uint8_t return_code = 0;
  // PUBLISH (topic, message_id, payload); PUBACK/PUBREC/PUBREL/PUBCOMP, SUBSCRIBE, SUBACK,
  // UNSUBSCRIBE, UNSUBACK (message_id)
  std::string topic;
  std::optional<uint16_t> message_id;
  std::string payload;
  // PUBACK/PUBREC/PUBREL/PUBCOMP (5.0), DISCONNECT (5.0), AUTH
  std::optional<uint8_t> reason_code;
  // SUBSCRIBE / UNSUBSCRIBE
  std::vector<MqttTopic> topics;
  // SUBACK: granted QoS / reason codes; UNSUBACK: reason codes (5.0)
  std::vector<uint8_t> codes;
  // Every type with 5.0 properties
  std::vector<MqttProperty> properties;

  void Clear();
};

enum class MqttHeaderResult : uint8_t { kNeedMore, kOk, kError };

// Decodes the fixed header at the start of `in`; `*header_len` is its size (2..5 bytes).
// kError: a remaining length of more than four bytes.
MqttHeaderResult ParseMqttFixedHeader(std::span<const uint8_t> in, MqttFixedHeader* h,
                                      size_t* header_len);

// Decodes `body` (exactly h.remaining_length bytes) of a message with header `h` into `m`,
// for protocol version `version` (5 enables properties and reason codes). False: malformed.
bool ParseMqttBody(const MqttFixedHeader& h, std::span<const uint8_t> body, uint8_t version,
                   MqttMessage& m);

}  // namespace vigil::sensor
