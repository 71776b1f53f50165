// Packet header buffers: the bytes `ipv4.hdr`, `ipv6.hdr`, `tcp.hdr`, `udp.hdr`, `icmpv4.hdr` and
// `icmpv6.hdr` inspect, taken from the decoded packet when a rule asks for them (nothing is
// copied; absent when the packet has no such header).
//
// As Suricata: ipv4.hdr is the IPv4 header with its options (IHL * 4 bytes); ipv6.hdr the
// 40-byte IPv6 header with its extension headers (up to the L4 header); tcp.hdr the TCP header with options (data offset * 4); udp.hdr the
// 8-byte UDP header; icmpv4.hdr / icmpv6.hdr the ICMP header up to the message body the decoder
// found (8 bytes for the common types).
//
//   std::span<const uint8_t> h;
//   if (PacketHeaderBuffer(BufferId::kTcpHdr, pkt, &h)) ...
#pragma once

#include <cstdint>
#include <span>

#include "rules/signature/sticky_buffer.h"
#include "sensor/decode/packet.h"

namespace vigil::sensor {

// True for the six header buffers above.
bool IsPacketHeaderBuffer(rules::BufferId id);

// True for the buffers DetectThread takes from the packet itself rather than the BufferSet:
// the six header buffers and ip.src / ip.dst (the last ids of BufferId).
static_assert(rules::BufferId::kIpv4Hdr < rules::BufferId::kIcmpv6Hdr &&
              rules::BufferId::kIcmpv6Hdr < rules::BufferId::kIpSrc &&
              rules::BufferId::kIpSrc < rules::BufferId::kIpDst &&
              rules::BufferId::kIpDst < rules::BufferId::kCount);
inline bool IsPacketDerivedBuffer(rules::BufferId id) {
  return id >= rules::BufferId::kIpv4Hdr && id <= rules::BufferId::kIpDst;
}

// Sets `*out` to the header `id` names in `p`; false when `p` has none (or `id` is not a header
// buffer).
bool PacketHeaderBuffer(rules::BufferId id, const Packet& p, std::span<const uint8_t>* out);

}  // namespace vigil::sensor
