#include "rules/signature/mqtt_option.h"

#include <string>

#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

Error Bad(std::string m) { return Error(ErrorCode::kParse, std::move(m)); }

constexpr std::string_view kTypeNames[16] = {
    "unassigned", "connect", "connack", "publish", "puback", "pubrec", "pubrel", "pubcomp",
    "subscribe", "suback", "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect",
    "auth"};

Result<MqttTypeCheck> ParseType(std::string_view value) {
  auto parts = SplitTrim(value, ',');
  if (parts.empty() || parts.size() > 2) return Bad("mqtt.type takes <type>[,<index>]");
  std::string lower;
  ToLower(parts[0], &lower);
  MqttTypeCheck c;
  bool found = false;
  for (size_t i = 1; i < 16; ++i) {
    if (kTypeNames[i] == lower) {
      c.type = static_cast<uint8_t>(i);
      found = true;
    }
  }
  if (!found) {
    auto n = ParseUnsigned(parts[0], 15);
    if (!n || *n == 0) return Bad("mqtt.type: unknown message type '" + std::string(parts[0]) + "'");
    c.type = static_cast<uint8_t>(*n);
  }
  if (parts.size() == 2) {
    VIGIL_TRY(uint64_t idx, ParseUnsigned(parts[1], 0xffff));
    c.index = static_cast<int32_t>(idx);
  }
  return c;
}

// "name,!name,..." over a table of (name, bit).
Result<MqttFlagCheck> ParseFlags(std::string_view value, std::string_view keyword,
                                 std::initializer_list<std::pair<std::string_view, uint8_t>> names) {
  MqttFlagCheck f;
  for (std::string_view item : SplitTrim(value, ',')) {
    bool neg = false;
    if (!item.empty() && item[0] == '!') {
      neg = true;
      item = Trim(item.substr(1));
    }
    std::string lower;
    ToLower(item, &lower);
    uint8_t bit = 0;
    for (const auto& [n, b] : names) {
      if (n == lower) bit = b;
    }
    if (bit == 0) return Bad(std::string(keyword) + ": unknown flag '" + std::string(item) + "'");
    if ((f.must | f.cant) & bit) return Bad(std::string(keyword) + ": flag '" + lower + "' given twice");
    (neg ? f.cant : f.must) |= bit;
  }
  if (f.must == 0 && f.cant == 0) return Bad(std::string(keyword) + " needs at least one flag");
  return f;
}

bool AnyMessage(const MqttTxFacts& tx, auto&& pred) {
  for (const MqttMessageFacts& m : tx.msgs) {
    if (pred(m)) return true;
  }
  return false;
}

}  // namespace

bool IsMqttKeyword(std::string_view k) {
  return k == "mqtt.type" || k == "mqtt.flags" || k == "mqtt.qos" ||
         k == "mqtt.protocol_version" || k == "mqtt.reason_code" ||
         k == "mqtt.connack.return_code" || k == "mqtt.connack.session_present" ||
         k == "mqtt.connect.flags";
}

Status ApplyMqttOption(MqttOptions* m, std::string_view k, std::string_view value) {
  const std::string_view v = Trim(value);
  if (v.empty()) return Bad("'" + std::string(k) + "' needs a value");
  if (k == "mqtt.type") {
    VIGIL_TRY(MqttTypeCheck c, ParseType(v));
    m->types.push_back(c);
  } else if (k == "mqtt.flags") {
    VIGIL_TRY(m->flags, ParseFlags(v, k, {{"retain", kMqttRetainBit}, {"dup", kMqttDupBit}}));
  } else if (k == "mqtt.qos") {
    VIGIL_TRY(uint64_t q, ParseUnsigned(v, 2));
    m->qos = IntegerMatch{IntOp::kEq, q, 0};
  } else if (k == "mqtt.protocol_version") {
    VIGIL_TRY(m->protocol_version, ParseIntegerMatch(v, 255));
  } else if (k == "mqtt.reason_code" || k == "mqtt.connack.return_code") {
    VIGIL_TRY(m->reason_code, ParseIntegerMatch(v, 255));
  } else if (k == "mqtt.connack.session_present") {
    std::string lower;
    ToLower(v, &lower);
    if (lower == "true" || lower == "yes") m->session_present = true;
    else if (lower == "false" || lower == "no") m->session_present = false;
    else return Bad("mqtt.connack.session_present takes true or false");
  } else if (k == "mqtt.connect.flags") {
    VIGIL_TRY(m->connect_flags,
              ParseFlags(v, k, {{"username", 0x80}, {"password", 0x40}, {"will_retain", 0x20},
                                {"will", 0x04}, {"clean_session", 0x02}}));
  } else {
    return Bad("'" + std::string(k) + "' is not an MQTT keyword");
  }
  return Ok();
}

bool MqttOptions::Matches(const MqttTxFacts& tx) const {
  for (const MqttTypeCheck& c : types) {
    if (c.index >= 0) {
      const size_t i = static_cast<size_t>(c.index);
      if (i >= tx.msgs.size() || tx.msgs[i].type != c.type) return false;
    } else if (!AnyMessage(tx, [&](const MqttMessageFacts& m) { return m.type == c.type; })) {
      return false;
    }
  }
  if (flags && !AnyMessage(tx, [&](const MqttMessageFacts& m) {
        return flags->Matches(static_cast<uint8_t>((m.retain ? kMqttRetainBit : 0) |
                                                   (m.dup ? kMqttDupBit : 0)));
      })) {
    return false;
  }
  if (qos && !AnyMessage(tx, [&](const MqttMessageFacts& m) { return qos->Matches(m.qos); })) {
    return false;
  }
  if (protocol_version && !protocol_version->Matches(tx.protocol_version)) return false;
  if (reason_code && !AnyMessage(tx, [&](const MqttMessageFacts& m) {
        if (m.reason_code >= 0 && reason_code->Matches(static_cast<uint64_t>(m.reason_code))) {
          return true;
        }
        for (uint8_t c : m.codes) {
          if (reason_code->Matches(c)) return true;
        }
        return false;
      })) {
    return false;
  }
  if (session_present && !AnyMessage(tx, [&](const MqttMessageFacts& m) {
        return m.session_present >= 0 && (m.session_present == 1) == *session_present;
      })) {
    return false;
  }
  if (connect_flags && !AnyMessage(tx, [&](const MqttMessageFacts& m) {
        return m.type == 1 && connect_flags->Matches(m.connect_flags);
      })) {
    return false;
  }
  return true;
}

}  // namespace vigil::rules
