// Tunnels decoded through to the inner packet: GRE (RFC 2784 with RFC 2890 key and sequence,
// RFC 1701 source routes; version 1 = PPTP's enhanced GRE, RFC 2637), VXLAN (RFC 7348) and
// IP-in-IP (protocols 4 and 41). Each checks cfg.max_tunnel_depth before going in.
#include "sensor/decode/decode_state.h"

namespace vigil::sensor::decode_internal {
namespace {

constexpr uint32_t kGreBaseLen = 4;
constexpr uint16_t kGreChecksum = 0x8000;
constexpr uint16_t kGreRouting = 0x4000;
constexpr uint16_t kGreKey = 0x2000;
constexpr uint16_t kGreSeq = 0x1000;
constexpr uint16_t kGreStrictRoute = 0x0800;
constexpr uint16_t kGreRecursion = 0x0700;
constexpr uint16_t kGreAck = 0x0080;       // version 1 only
constexpr uint16_t kGreV0Reserved = 0x00f8;
constexpr uint16_t kGreV1Reserved = 0x0078;
constexpr uint16_t kGreVersion = 0x0007;

constexpr uint16_t kGreProtoIpv4 = 0x0800;
constexpr uint16_t kGreProtoIpv6 = 0x86dd;
constexpr uint16_t kGreProtoTeb = 0x6558;  // transparent Ethernet bridging
constexpr uint16_t kGreProtoPpp = 0x880b;

constexpr uint32_t kVxlanHeaderLen = 8;
constexpr uint32_t kEthernetHeaderLen = 14;

// Walks RFC 1701 source route entries; returns the offset after the terminating null SRE, or 0
// when they are malformed.
uint32_t SkipSourceRoutes(const uint8_t* data, uint32_t off, uint32_t len) {
  for (;;) {
    if (len - off < 4) return 0;
    const uint16_t af = Load16(data + off);
    const uint8_t sre_len = data[off + 3];
    off += 4;
    if (af == 0 && sre_len == 0) return off;
    if (sre_len > len - off) return 0;
    off += sre_len;
  }
}

}  // namespace

void DecodeGre(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kGreBaseLen) {
    s.Fatal(DecodeEvent::kGrePktTooSmall);
    return;
  }
  s.Count(DecoderCounter::kGre);
  const uint16_t flags = Load16(data);
  const uint16_t proto = Load16(data + 2);
  uint32_t hlen = kGreBaseLen;
  bool has_key = false;
  uint32_t key = 0;

  switch (flags & kGreVersion) {
    case 0: {
      if (flags & kGreRecursion) s.Event(DecodeEvent::kGreVersion0Recur);
      if (flags & kGreV0Reserved) s.Event(DecodeEvent::kGreVersion0Flags);
      if (flags & (kGreChecksum | kGreRouting)) hlen += 4;  // checksum + offset
      const uint32_t key_off = hlen;
      if (flags & kGreKey) hlen += 4;
      if (flags & kGreSeq) hlen += 4;
      if (hlen > len) {
        s.Fatal(DecodeEvent::kGreVersion0HdrTooBig);
        return;
      }
      if (flags & kGreKey) {
        has_key = true;
        key = Load32(data + key_off);
      }
      if (flags & kGreRouting) {
        hlen = SkipSourceRoutes(data, hlen, len);
        if (hlen == 0) {
          s.Fatal(DecodeEvent::kGreVersion0MalformedSreHdr);
          return;
        }
      }
      break;
    }
    case 1: {
      // Enhanced GRE (PPTP): key present (payload length + call id), no checksum, no routing.
      bool bad = false;
      auto flag_event = [&](bool cond, DecodeEvent e) {
        if (cond) {
          s.Event(e);
          bad = true;
        }
      };
      flag_event(flags & kGreChecksum, DecodeEvent::kGreVersion1Chksum);
      flag_event(flags & kGreRouting, DecodeEvent::kGreVersion1Route);
      flag_event(flags & kGreStrictRoute, DecodeEvent::kGreVersion1Ssr);
      flag_event(flags & kGreRecursion, DecodeEvent::kGreVersion1Recur);
      flag_event(flags & kGreV1Reserved, DecodeEvent::kGreVersion1Flags);
      flag_event(!(flags & kGreKey), DecodeEvent::kGreVersion1NoKey);
      flag_event(proto != kGreProtoPpp, DecodeEvent::kGreVersion1WrongProtocol);
      if (bad) {
        s.invalid = true;
        return;
      }
      hlen += 4;
      if (flags & kGreSeq) hlen += 4;
      if (flags & kGreAck) hlen += 4;
      if (hlen > len) {
        s.Fatal(DecodeEvent::kGreVersion1HdrTooBig);
        return;
      }
      has_key = true;
      key = Load16(data + 6);  // call id
      break;
    }
    default:
      s.Fatal(DecodeEvent::kGreWrongVersion);
      return;
  }

  const uint8_t* inner = data + hlen;
  const uint32_t inner_len = len - hlen;
  switch (proto) {
    case kGreProtoIpv4:
      if (s.EnterTunnel(TunnelInfo::kGre, has_key, key)) DecodeIpv4(s, inner, inner_len);
      break;
    case kGreProtoIpv6:
      if (s.EnterTunnel(TunnelInfo::kGre, has_key, key)) DecodeIpv6(s, inner, inner_len);
      break;
    case kGreProtoTeb:
      if (s.EnterTunnel(TunnelInfo::kGre, has_key, key)) DecodeEthernet(s, inner, inner_len);
      break;
    case kGreProtoPpp:
      // Only reached for version 1; a keepalive or ack-only packet carries no payload.
      if (inner_len > 0 && s.EnterTunnel(TunnelInfo::kGre, has_key, key)) {
        DecodePpp(s, inner, inner_len);
      }
      break;
    default:
      break;  // ERSPAN, MPLS, WCCP...: not decoded; the packet stays the outer GRE packet
  }
}

void DecodeVxlan(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (len < kVxlanHeaderLen + kEthernetHeaderLen) {
    s.Event(DecodeEvent::kVxlanPktTooSmall);  // left as a plain UDP packet
    return;
  }
  // The I flag says the VNI is valid. Without it this is some other protocol on the port.
  if ((data[0] & 0x08) == 0) return;
  if (!s.EnterLayer()) return;
  s.Count(DecoderCounter::kVxlan);
  const uint32_t vni = Load32(data + 4) >> 8;
  if (!s.EnterTunnel(TunnelInfo::kVxlan, true, vni)) return;
  DecodeEthernet(s, data + kVxlanHeaderLen, len - kVxlanHeaderLen);
}

void DecodeIpInIp(DecodeState& s, uint8_t proto, const uint8_t* data, uint32_t len) {
  s.Count(DecoderCounter::kIpip);
  if (!s.EnterTunnel(TunnelInfo::kIpInIp, false, 0)) return;
  if (s.p.ip_version == 6) {
    // Over IPv6 a broken inner header has its own events (Suricata's), naming the tunnel.
    const bool v4 = proto == 4;
    if (len < (v4 ? 20u : 40u)) {
      s.Fatal(v4 ? DecodeEvent::kIpv6Ipv4InIpv6TooSmall : DecodeEvent::kIpv6Ipv6InIpv6TooSmall);
      return;
    }
    if ((data[0] >> 4) != (v4 ? 4 : 6)) {
      s.Fatal(v4 ? DecodeEvent::kIpv6Ipv4InIpv6WrongVersion
                 : DecodeEvent::kIpv6Ipv6InIpv6WrongVersion);
      return;
    }
  }
  if (proto == 4) {
    DecodeIpv4(s, data, len);
  } else {
    DecodeIpv6(s, data, len);
  }
}

}  // namespace vigil::sensor::decode_internal
