#include "sensor/detect/header_buffer.h"

namespace vigil::sensor {

using rules::BufferId;

bool IsPacketHeaderBuffer(BufferId id) {
  switch (id) {
    case BufferId::kIpv4Hdr: case BufferId::kIpv6Hdr: case BufferId::kTcpHdr:
    case BufferId::kUdpHdr: case BufferId::kIcmpv4Hdr: case BufferId::kIcmpv6Hdr:
      return true;
    default:
      return false;
  }
}

namespace {

// The L4 header of `p` up to its payload (ICMP), bounded by the L4 bytes present.
bool L4Header(const Packet& p, size_t min_len, std::span<const uint8_t>* out) {
  if (p.l4 == nullptr || p.l4_len < min_len) return false;
  size_t len = min_len;
  if (p.payload != nullptr && p.payload >= p.l4 && p.payload <= p.l4 + p.l4_len) {
    len = static_cast<size_t>(p.payload - p.l4);
  }
  if (len < min_len) len = min_len;
  *out = std::span<const uint8_t>(p.l4, len);
  return true;
}

}  // namespace

bool PacketHeaderBuffer(BufferId id, const Packet& p, std::span<const uint8_t>* out) {
  if (!p.decoded) return false;
  switch (id) {
    case BufferId::kIpv4Hdr: {
      if (p.ip_version != 4 || p.l3 == nullptr || p.l3_len < 20) return false;
      const size_t len = static_cast<size_t>(p.l3[0] & 0x0fu) * 4;
      if (len < 20 || len > p.l3_len) return false;
      *out = std::span<const uint8_t>(p.l3, len);
      return true;
    }
    case BufferId::kIpv6Hdr: {
      if (p.ip_version != 6 || p.l3 == nullptr || p.l3_len < 40) return false;
      size_t len = 40;  // plus the extension headers before the L4 header
      if (p.l4 != nullptr && p.l4 >= p.l3 + 40 && p.l4 <= p.l3 + p.l3_len) {
        len = static_cast<size_t>(p.l4 - p.l3);
      }
      *out = std::span<const uint8_t>(p.l3, len);
      return true;
    }
    case BufferId::kTcpHdr: {
      if (p.is_fragment || p.ip_proto != 6 || p.l4 == nullptr || p.l4_len < 20) return false;
      const size_t len = static_cast<size_t>(p.l4[12] >> 4) * 4;
      if (len < 20 || len > p.l4_len) return false;
      *out = std::span<const uint8_t>(p.l4, len);
      return true;
    }
    case BufferId::kUdpHdr:
      if (p.is_fragment || p.ip_proto != 17 || p.l4 == nullptr || p.l4_len < 8) return false;
      *out = std::span<const uint8_t>(p.l4, 8);
      return true;
    case BufferId::kIcmpv4Hdr:
      return !p.is_fragment && p.ip_proto == 1 && L4Header(p, 4, out);
    case BufferId::kIcmpv6Hdr:
      return !p.is_fragment && p.ip_proto == 58 && L4Header(p, 4, out);
    default:
      return false;
  }
}

}  // namespace vigil::sensor
