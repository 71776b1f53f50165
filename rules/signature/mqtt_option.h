// MQTT keywords that are not sticky buffers: mqtt.type, mqtt.flags, mqtt.qos,
// mqtt.protocol_version, mqtt.reason_code (alias mqtt.connack.return_code),
// mqtt.connack.session_present and mqtt.connect.flags, with Suricata's semantics: each holds
// when some message of the inspected transaction satisfies it (a transaction is a CONNECT and
// its CONNACK, a PUBLISH and its acknowledgements, ...).
//
//   mqtt.type:CONNACK;              mqtt.type:CONNECT,0;   (the transaction's first message)
//   mqtt.flags:!retain,dup;         mqtt.qos:1;            mqtt.protocol_version:>=4;
//   mqtt.reason_code:134;           mqtt.connack.session_present:true;
//   mqtt.connect.flags:username,!password,clean_session;
//
// The detection engine evaluates MqttOptions against MqttTxFacts, a flat view of the
// transaction the app layer fills in (so rules/ does not depend on the sensor's parser).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "rules/signature/integer_match.h"

namespace vigil::rules {

// What the keywords look at in one message of a transaction.
struct MqttMessageFacts {
  uint8_t type = 0;  // 0..15 (1 CONNECT ... 15 AUTH)
  bool dup = false;
  bool retain = false;
  uint8_t qos = 0;
  uint8_t connect_flags = 0;      // CONNECT only (the variable header's flag byte)
  int8_t session_present = -1;    // CONNACK only: 0 or 1
  int16_t reason_code = -1;       // CONNACK return code, PUBACK..PUBCOMP/DISCONNECT (5.0), AUTH
  std::span<const uint8_t> codes; // SUBACK / UNSUBACK reason codes (any of them matches)
};

struct MqttTxFacts {
  std::span<const MqttMessageFacts> msgs;
  uint8_t protocol_version = 0;  // the session's (from its CONNECT)
};

struct MqttTypeCheck {
  uint8_t type = 0;
  int32_t index = -1;  // >= 0: only the message at this position in the transaction
};

// Flag checks: bits that must be set and bits that must be clear.
struct MqttFlagCheck {
  uint8_t must = 0;
  uint8_t cant = 0;
  bool Matches(uint8_t v) const { return (v & must) == must && (v & cant) == 0; }
};

// mqtt.flags bits (as the fixed header's low nibble).
inline constexpr uint8_t kMqttRetainBit = 0x01;
inline constexpr uint8_t kMqttDupBit = 0x08;

struct MqttOptions {
  std::vector<MqttTypeCheck> types;
  std::optional<MqttFlagCheck> flags;
  std::optional<IntegerMatch> qos;
  std::optional<IntegerMatch> protocol_version;
  std::optional<IntegerMatch> reason_code;
  std::optional<bool> session_present;
  std::optional<MqttFlagCheck> connect_flags;

  bool empty() const {
    return types.empty() && !flags && !qos && !protocol_version && !reason_code &&
           !session_present && !connect_flags;
  }
  // True when every keyword holds for the transaction.
  bool Matches(const MqttTxFacts& tx) const;
};

bool IsMqttKeyword(std::string_view keyword);
Status ApplyMqttOption(MqttOptions* m, std::string_view keyword, std::string_view value);

}  // namespace vigil::rules
