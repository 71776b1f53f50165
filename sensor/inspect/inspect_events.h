// InspectEvents: writes the inspection stage's EVE events through a worker's EventWriter —
// alerts (with the matching transaction's http/dns/tls object and the flow summary), http, dns,
// tls and app-layer anomaly events — honouring outputs.eve.<type>.enabled. Scratch storage is
// reused, so writing an event allocates nothing once warm.
//
//   InspectEvents ev(ctx, writer);
//   ev.Alert(alert, pkt, &flow, AppRef{.proto = AppProto::kHttp, .http = &tx, .tx_id = tx.id});
//   ev.Http(tx, flow, pkt);
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/event.h"
#include "core/json_writer.h"
#include "sensor/app/app_anomaly.h"
#include "sensor/app/app_proto.h"
#include "sensor/app/dns/dns_message.h"
#include "sensor/app/http/http_transaction.h"
#include "sensor/app/mqtt/mqtt_parser.h"
#include "sensor/app/tls/tls_parser.h"
#include "sensor/decode/packet.h"
#include "sensor/detect/alert.h"
#include "sensor/flow/flow.h"
#include "sensor/inspect/inspect_context.h"
#include "sensor/output/event_writer.h"

namespace vigil::sensor {

// Whether a match of this action blocks in IPS mode (drop and the reject variants).
bool BlocksInIps(rules::Action a);

// The app-layer object an inspection covered (none, or one transaction / message / session).
struct AppRef {
  AppProto proto = AppProto::kUnknown;  // the flow's protocol (for app_proto)
  const HttpTransaction* http = nullptr;
  const DnsMessage* dns = nullptr;
  size_t dns_question = 0;
  const TlsSession* tls = nullptr;
  const MqttTransaction* mqtt = nullptr;
  std::optional<uint64_t> tx_id;
};

class InspectEvents {
 public:
  InspectEvents(const InspectContext& ctx, EventWriter& out) : ctx_(ctx), out_(out) {}

  void Alert(const struct Alert& a, const Packet& p, const Flow* flow, bool to_server,
             const AppRef& app);
  void Http(const HttpTransaction& tx, const Flow& flow, const Packet& p);
  void Dns(const DnsMessage& m, const Flow& flow, const Packet& p);
  void Tls(const TlsSession& s, const Flow& flow, const Packet& p);
  void Mqtt(const MqttTransaction& tx, const Flow& flow, const Packet& p);
  void Anomaly(const AppAnomaly& a, AppProto proto, const Flow& flow, const Packet& p);

  uint64_t alerts() const { return alerts_; }

 private:
  void Envelope(const Packet& p, const Flow* flow, EventEnvelope& env) const;
  // The transaction's "mqtt" object, serialised into mqtt_json_ (mqtt_events.cc).
  const AppJsonInfo* MqttJson(const MqttTransaction& tx);

  const InspectContext& ctx_;
  EventWriter& out_;
  std::vector<DnsAnswer> dns_scratch_;
  JsonWriter mqtt_json_;
  AppJsonInfo mqtt_info_;
  JsonWriter context_json_;  // alert.context (datajson), reused
  uint64_t alerts_ = 0;
};

}  // namespace vigil::sensor
