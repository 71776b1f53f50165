#include "sensor/pipeline/event_fields.h"

namespace vigil::sensor {

namespace {

constexpr std::string_view kPktSrcWire = "wire/pcap";

bool HasPorts(uint8_t proto) { return proto == 6 || proto == 17 || proto == 132; }

}  // namespace

void FillFlowIds(const Flow& f, EventEnvelope& env) {
  env.flow_id = f.flow_id;
  env.community_id = f.community_id_view();
}

void FillPacketEnvelope(const Packet& p, const Flow* flow, EventEnvelope& env) {
  env.timestamp = p.ts;
  if (p.pcap_cnt != 0) env.pcap_cnt = p.pcap_cnt;
  env.pkt_src = kPktSrcWire;
  if (p.ip_version == 4 || p.ip_version == 6) {
    env.src_ip = p.src;
    env.dest_ip = p.dst;
    env.ip_proto = p.ip_proto;
    if (HasPorts(p.ip_proto) && !p.is_fragment) {
      env.src_port = p.sport;
      env.dest_port = p.dport;
    }
    if ((p.ip_proto == 1 || p.ip_proto == 58) && p.l4 != nullptr && !p.is_fragment) {
      env.icmp_type = p.icmp.type;
      env.icmp_code = p.icmp.code;
    }
  }
  if (flow != nullptr) FillFlowIds(*flow, env);
}

void FillFlowEnvelope(const Flow& f, EventEnvelope& env) {
  env.timestamp = f.last_seen;
  env.src_ip = f.client();
  env.dest_ip = f.server();
  env.ip_proto = f.key.proto;
  if (HasPorts(f.key.proto)) {
    env.src_port = f.client_port();
    env.dest_port = f.server_port();
  }
  FillFlowIds(f, env);
}

std::string_view EveFlowEndReason(FlowEndReason r) {
  switch (r) {
    case FlowEndReason::kTimeout:
    case FlowEndReason::kTcpClosed:
      return "timeout";
    case FlowEndReason::kShutdown:
      return "shutdown";
    case FlowEndReason::kForced:
    case FlowEndReason::kEmergencyEviction:
    case FlowEndReason::kNone:
      return "forced";
  }
  return "forced";
}

FlowInfo MakeFlowInfo(const Flow& f) {
  FlowInfo info;
  info.pkts_toserver = f.pkts_toserver;
  info.pkts_toclient = f.pkts_toclient;
  info.bytes_toserver = f.bytes_toserver;
  info.bytes_toclient = f.bytes_toclient;
  info.start = f.start;
  info.end = f.last_seen;
  // Suricata: whole seconds between the start and the last packet.
  info.age = f.last_seen.seconds() - f.start.seconds();
  info.state = f.bypassed ? std::string_view("bypassed") : FlowStateName(f.state);
  info.reason = EveFlowEndReason(f.end_reason);
  info.alerted = f.alerted;
  if (f.action == FlowAction::kPass) info.action = "pass";
  if (f.action == FlowAction::kDrop) info.action = "drop";
  return info;
}

}  // namespace vigil::sensor
