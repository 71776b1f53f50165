#include "sensor/inspect/inspect_events.h"

#include "sensor/app/dns/dns_eve.h"
#include "sensor/pipeline/event_fields.h"

namespace vigil::sensor {

bool BlocksInIps(rules::Action a) {
  return a == rules::Action::kDrop || a == rules::Action::kReject || a == rules::Action::kRejectSrc ||
         a == rules::Action::kRejectDst || a == rules::Action::kRejectBoth;
}

void InspectEvents::Envelope(const Packet& p, const Flow* flow, EventEnvelope& env) const {
  FillPacketEnvelope(p, flow, env);
  if (p.pcap_cnt == 0) {  // a flow-end pseudo packet has no frame number
    env.pcap_cnt.reset();
    env.pkt_src = "stream (flow timeout)";
  }
}

void InspectEvents::Alert(const struct Alert& a, const Packet& p, const Flow* flow,
                          bool to_server, const AppRef& app) {
  ++alerts_;
  if (!ctx_.types.alert) return;
  AlertInfo info;
  info.action = a.action_name.empty() ? std::string_view("allowed") : a.action_name;
  if (ctx_.ips && BlocksInIps(a.action)) info.action = "blocked";
  info.gid = a.gid;
  info.signature_id = a.sid;
  info.rev = a.rev;
  info.signature = a.msg;
  info.category = a.category;
  info.severity = a.severity;
  info.metadata = ctx_.metadata.For(a.rule_index);
  context_json_.Clear();
  WriteDatasetContext(a.contexts(), context_json_);
  info.context = context_json_.view();
  Event ev;
  ev.type = EventType::kAlert;
  ev.alert = &info;
  Envelope(p, flow, ev.envelope);
  ev.envelope.app_proto = AppProtoName(app.proto);
  ev.envelope.tx_id = app.tx_id;
  if (flow != nullptr) {
    ev.envelope.direction = to_server ? Direction::kToServer : Direction::kToClient;
  }
  HttpInfo http;
  DnsInfo dns;
  TlsInfo tls;
  if (app.http != nullptr) {
    app.http->FillHttpInfo(http);
    ev.http = &http;
  } else if (app.dns != nullptr) {
    if (app.dns->is_response()) {
      FillDnsAnswer(*app.dns, dns_scratch_, dns);
    } else if (app.dns_question < app.dns->questions.size()) {
      FillDnsQuery(*app.dns, app.dns_question, dns);
    }
    ev.dns = &dns;
  } else if (app.tls != nullptr) {
    FillTlsInfo(*app.tls, tls);
    ev.tls = &tls;
  } else if (app.mqtt != nullptr) {
    ev.app_json = MqttJson(*app.mqtt);
  }
  FlowInfo fi;
  if (flow != nullptr) {
    fi = MakeFlowInfo(*flow);
    fi.end = Timestamp{};
    fi.age = 0;
    fi.state = {};
    fi.reason = {};
    ev.flow = &fi;
  }
  out_.Write(ev);
}

void InspectEvents::Http(const HttpTransaction& tx, const Flow& flow, const Packet& p) {
  if (!ctx_.types.http) return;
  HttpInfo info;
  tx.FillHttpInfo(info);
  Event ev;
  ev.type = EventType::kHttp;
  FillFlowEnvelope(flow, ev.envelope);
  ev.envelope.timestamp = p.ts;
  if (p.pcap_cnt != 0) ev.envelope.pcap_cnt = p.pcap_cnt;
  ev.envelope.tx_id = tx.id;
  ev.envelope.app_proto = AppProtoName(AppProto::kHttp);
  ev.http = &info;
  out_.Write(ev);
}

void InspectEvents::Dns(const DnsMessage& m, const Flow& flow, const Packet& p) {
  if (!ctx_.types.dns) return;
  Event ev;
  ev.type = EventType::kDns;
  Envelope(p, &flow, ev.envelope);
  ev.envelope.tx_id = m.index;
  ev.envelope.app_proto = AppProtoName(AppProto::kDns);
  DnsInfo info;
  ev.dns = &info;
  if (m.is_response()) {
    FillDnsAnswer(m, dns_scratch_, info);
    out_.Write(ev);
    return;
  }
  for (size_t q = 0; q < m.questions.size(); ++q) {
    info = DnsInfo{};
    FillDnsQuery(m, q, info);
    out_.Write(ev);
  }
}

void InspectEvents::Tls(const TlsSession& s, const Flow& flow, const Packet& p) {
  if (!ctx_.types.tls) return;
  TlsInfo info;
  FillTlsInfo(s, info);
  Event ev;
  ev.type = EventType::kTls;
  FillFlowEnvelope(flow, ev.envelope);
  ev.envelope.timestamp = p.ts;
  if (p.pcap_cnt != 0) ev.envelope.pcap_cnt = p.pcap_cnt;
  ev.envelope.app_proto = AppProtoName(AppProto::kTls);
  ev.tls = &info;
  out_.Write(ev);
}

void InspectEvents::Anomaly(const AppAnomaly& a, AppProto proto, const Flow& flow,
                            const Packet& p) {
  if (!ctx_.anomaly_events) return;
  AnomalyInfo info;
  info.type = "applayer";
  info.event = a.name;
  // Suricata's MQTT parser names its events without the protocol ("invalid_qos_level"); the
  // app-layer-event keyword spells them "mqtt.invalid_qos_level".
  if (proto == AppProto::kMqtt && info.event.starts_with("mqtt.")) info.event.remove_prefix(5);
  info.layer = "proto_parser";
  Event ev;
  ev.type = EventType::kAnomaly;
  Envelope(p, &flow, ev.envelope);
  ev.envelope.app_proto = AppProtoName(proto);
  ev.envelope.tx_id = a.tx_id;
  if (a.dir != vigil::Direction::kNone) ev.envelope.direction = a.dir;
  ev.anomaly = &info;
  out_.Write(ev);
}

}  // namespace vigil::sensor
