// UDP (RFC 768): header, length field against the IP payload, checksum (zero means "none" over
// IPv4), then VXLAN on its configured ports.
#include "sensor/decode/checksum.h"
#include "sensor/decode/decode_state.h"

namespace vigil::sensor::decode_internal {
namespace {

constexpr uint32_t kUdpHeaderLen = 8;

bool IsVxlanPort(const DecoderConfig& cfg, uint16_t port) {
  for (uint16_t p : cfg.vxlan_ports) {
    if (p != 0 && p == port) return true;
  }
  return false;
}

}  // namespace

void DecodeUdp(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kUdpHeaderLen) {
    s.Fatal(DecodeEvent::kUdpHlenTooSmall);
    return;
  }
  const uint32_t ulen = Load16(data + 4);
  if (ulen < kUdpHeaderLen) {
    s.Fatal(DecodeEvent::kUdpLenInvalid);
    return;
  }
  if (ulen > len) {
    s.Fatal(DecodeEvent::kUdpPktTooSmall);
    return;
  }
  if (ulen < len) {
    // Bytes inside the IP packet after the datagram: not UDP data; keep them out of the payload.
    s.Event(DecodeEvent::kUdpHlenInvalid);
  }
  s.Count(DecoderCounter::kUdp);
  Packet& p = s.p;
  p.sport = Load16(data);
  p.dport = Load16(data + 2);
  p.l4 = data;
  p.l4_len = ulen;
  p.payload = data + kUdpHeaderLen;
  p.payload_len = ulen - kUdpHeaderLen;

  if (s.verify_checksums) {
    const uint16_t csum = Load16(data + 6);
    if (csum == 0) {
      // IPv4: the sender computed none. IPv6: forbidden by RFC 8200 but allowed for tunnels by
      // RFC 6935, so it is an anomaly, not a bad checksum.
      if (p.ip_version == 6) s.Event(DecodeEvent::kUdpIpv6ZeroChecksum);
    } else if (!ChecksumIsValid(ChecksumAdd(data, ulen, PseudoHeaderSum(p, 17, ulen)))) {
      s.ChecksumBad(DecodeEvent::kUdpChecksumBad);
    }
  }

  if (s.cfg.decode_vxlan && IsVxlanPort(s.cfg, p.dport)) {
    DecodeVxlan(s, p.payload, p.payload_len);
  }
}

}  // namespace vigil::sensor::decode_internal
