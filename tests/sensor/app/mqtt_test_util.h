// Builders of MQTT control packets for the MQTT tests and fuzz seeds: strings with a two-byte
// length, variable byte integers, and whole messages (fixed header + body).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::sensor::testing {

inline std::string MqttStr(std::string_view s) {
  std::string out;
  out.push_back(static_cast<char>(s.size() >> 8));
  out.push_back(static_cast<char>(s.size() & 0xff));
  out.append(s);
  return out;
}

inline std::string MqttVarInt(uint32_t v) {
  std::string out;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v > 0) b |= 0x80;
    out.push_back(static_cast<char>(b));
  } while (v > 0);
  return out;
}

// A message: first byte (type << 4 | flags), remaining length, body.
inline std::string MqttMsg(uint8_t type, uint8_t flags, std::string_view body) {
  std::string out(1, static_cast<char>((type << 4) | (flags & 0x0f)));
  out += MqttVarInt(static_cast<uint32_t>(body.size()));
  out.append(body);
  return out;
}

inline std::string U16(uint16_t v) {
  return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
}

// CONNECT, protocol version 5 (with receive_maximum 20) or 4, username and password set.
inline std::string MqttConnect(uint8_t version, std::string_view client_id = "cid") {
  std::string body = MqttStr("MQTT");
  body.push_back(static_cast<char>(version));
  body.push_back(static_cast<char>(0xc2));  // username, password, clean session
  body += U16(60);
  if (version == 5) body += std::string("\x03\x21\x00\x14", 4);  // receive_maximum 20
  body += MqttStr(client_id) + MqttStr("user") + MqttStr("pass");
  return MqttMsg(1, 0, body);
}

// CONNACK with return code `rc` (5.0: with topic_alias_maximum 10).
inline std::string MqttConnack(uint8_t version, uint8_t rc) {
  std::string body{0, static_cast<char>(rc)};
  if (version == 5) body += std::string("\x03\x22\x00\x0a", 4);
  return MqttMsg(2, 0, body);
}

inline std::string MqttPublish(uint8_t version, uint8_t qos, uint16_t id, std::string_view topic,
                               std::string_view payload) {
  std::string body = MqttStr(topic);
  if (qos > 0) body += U16(id);
  if (version == 5) body.push_back(0);  // no properties
  body.append(payload);
  return MqttMsg(3, static_cast<uint8_t>(qos << 1), body);
}

}  // namespace vigil::sensor::testing
