#include "correlator/engine/correlation_alert.h"

#include <charconv>
#include <cmath>

namespace vigil {
namespace {

constexpr std::string_view kEnvelopeFields[] = {"src_ip", "dest_ip", "src_port", "dest_port", "proto",
                                                "sensor_id", "province", "community_id", "flow_id"};

bool IsEnvelope(std::string_view f) {
  for (auto e : kEnvelopeFields) {
    if (e == f) return true;
  }
  return false;
}

// Ports and flow ids are numbers in EVE; keep them numbers when the text is an integer.
void WriteGroupValue(std::string_view field, std::string_view v, JsonWriter& w) {
  if (field == "src_port" || field == "dest_port" || field == "flow_id") {
    uint64_t n = 0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), n);
    if (r.ec == std::errc() && r.ptr == v.data() + v.size()) {
      w.Uint(n);
      return;
    }
  }
  w.String(v);
}

}  // namespace

void WriteCorrelationEve(const CorrelationAlert& a, JsonWriter& w) {
  char ts[Timestamp::kEveLength];
  w.BeginObject();
  a.window_end.WriteEve(ts);
  w.KeyString("timestamp", std::string_view(ts, sizeof ts));
  w.KeyString("event_type", "correlation");
  for (const auto& [field, value] : a.group) {
    if (IsEnvelope(field)) {
      w.Key(field);
      WriteGroupValue(field, value, w);
    }
  }
  w.KeyObject("correlation");
  w.KeyUint("alert_id", a.alert_id);
  w.KeyStringIfSet("rule_id", a.rule_id);
  w.KeyStringIfSet("rule_name", a.rule_name);
  w.KeyString("title", a.title);
  w.KeyString("type", a.from_detection ? std::string_view("detection") : CorrelationTypeName(a.type));
  w.KeyString("level", a.level);
  w.KeyInt("severity", a.severity);
  w.KeyInt("risk", a.risk);
  w.KeyObject("group");
  for (const auto& [field, value] : a.group) {
    w.Key(field);
    WriteGroupValue(field, value, w);
  }
  w.EndObject();
  a.window_start.WriteEve(ts);
  w.KeyString("window_start", std::string_view(ts, sizeof ts));
  a.window_end.WriteEve(ts);
  w.KeyString("window_end", std::string_view(ts, sizeof ts));
  w.KeyUint("count", a.count);
  if (a.has_value) w.KeyDouble("value", a.value);
  if (a.has_jitter) w.KeyDouble("jitter", a.jitter);
  w.KeyArray("event_ids");
  for (uint64_t id : a.event_ids) w.Uint(id);
  w.EndArray();
  if (a.event_ids_truncated) w.KeyBool("event_ids_truncated", true);
  if (a.chain_depth > 0) w.KeyUint("chain_depth", a.chain_depth);
  w.EndObject();
  w.EndObject();
}

}  // namespace vigil
