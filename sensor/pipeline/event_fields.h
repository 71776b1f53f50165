// Event fields from packets and flows: the few functions that turn a Packet or a Flow into an
// EVE envelope and flow summary, shared by every event the pipeline (and later app-layer and
// detection) writes, so flow_id, community_id, the 5-tuple and pcap_cnt look the same in all
// of them. Views point into the Packet and the Flow: write the event before they change.
//
//   EventEnvelope env;
//   FillPacketEnvelope(pkt, flow, env);           // wire direction, pcap_cnt, flow ids
//   FlowInfo info = MakeFlowInfo(flow);           // for flow events (and alerts later)
#pragma once

#include <string_view>

#include "core/event.h"
#include "sensor/decode/packet.h"
#include "sensor/flow/flow.h"

namespace vigil::sensor {

// The packet's own direction (src -> dst), timestamp, pcap_cnt, protocol, ports (TCP/UDP) or
// ICMP type/code, and — when `flow` is set — flow_id and community_id. A packet without an IP
// layer gets only the timestamp and pcap_cnt.
void FillPacketEnvelope(const Packet& p, const Flow* flow, EventEnvelope& env);

// The flow's orientation (client -> server), flow_id, community_id and last_seen as timestamp.
void FillFlowEnvelope(const Flow& f, EventEnvelope& env);

// flow_id and community_id only.
void FillFlowIds(const Flow& f, EventEnvelope& env);

// Packets and bytes per direction, start/end (last packet), age in seconds, state and reason.
FlowInfo MakeFlowInfo(const Flow& f);

// The EVE "reason" for an ended flow, in Suricata's vocabulary: "timeout" (idle or TCP closed
// timeout), "forced" (ended by another stage, port reuse, emergency eviction) or "shutdown".
std::string_view EveFlowEndReason(FlowEndReason r);

}  // namespace vigil::sensor
