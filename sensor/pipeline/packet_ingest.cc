#include "sensor/pipeline/packet_ingest.h"

namespace vigil::sensor {

PacketIngest::PacketIngest(const SensorConfig& config, const PipelineCounters& ids,
                           CounterBlock* block, AnomalyReporter& anomalies)
    : ids_(ids),
      block_(block),
      anomalies_(anomalies),
      decoder_(config.decoder, ids.decoder, block),
      defrag_(config.defrag, ids.defrag, block) {}

IngestOutcome PacketIngest::Process(Packet& p, std::span<const uint8_t>* datagram) {
  decoder_.Decode(p);
  if (!p.decoded || !p.is_fragment) return IngestOutcome::kDeliver;

  ids_.Add(block_, PipelineCounter::kFragmentsConsumed);
  anomalies_.Decode(p, nullptr);
  if (p.checksum_bad) {
    // An IPv4 header that fails its checksum is not trusted to place data in a datagram.
    ids_.Add(block_, PipelineCounter::kChecksumSkipped);
    return IngestOutcome::kConsumed;
  }
  const DefragResult r = defrag_.Process(p);
  anomalies_.Defrag(p, r.events);
  // Overlaps are also Suricata decoder events on the fragment (decode-event:ipv6.frag_overlap),
  // counted as decoder.event.ipvN.frag_overlap too.
  for (const bool v6 : {false, true}) {
    if (((r.events >> DefragEventBit(DefragAnomaly::kOverlap, v6)) & 1u) == 0) continue;
    const DecodeEvent e = v6 ? DecodeEvent::kIpv6FragOverlap : DecodeEvent::kIpv4FragOverlap;
    block_->Add(ids_.decoder[e]);
    p.add_event(e);
  }
  if (r.action != DefragAction::kReassembled) return IngestOutcome::kConsumed;
  *datagram = r.datagram;
  return IngestOutcome::kReassembled;
}

void PacketIngest::DecodeReassembled(const Packet& last_fragment, std::span<const uint8_t> bytes,
                                     Packet& out) {
  out = Packet{};
  out.data = bytes.data();
  out.caplen = static_cast<uint32_t>(bytes.size());
  out.wirelen = last_fragment.wirelen;
  out.datalink = link_type::kRaw;
  out.ts = last_fragment.ts;
  out.pcap_cnt = last_fragment.pcap_cnt;
  decoder_.Decode(out);
  // The datagram was decoded without its link layer and outer tunnels: give it the fragment's,
  // so it lands in the same flow as the unfragmented packets of its conversation.
  out.vlan_count = last_fragment.vlan_count;
  out.vlan = last_fragment.vlan;
  out.vlan_extra = last_fragment.vlan_extra;
  out.tunnel_depth = static_cast<uint8_t>(out.tunnel_depth + last_fragment.tunnel_depth);
  if (last_fragment.tunnel_depth > 0 && out.tunnel.kind == TunnelInfo::kNone) {
    out.tunnel = last_fragment.tunnel;
  }
  ids_.Add(block_, PipelineCounter::kReassembledDelivered);
}

}  // namespace vigil::sensor
