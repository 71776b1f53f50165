// Link layers: Ethernet II with 802.1Q/802.1ad tags, PPPoE session + PPP, Linux cooked v1/v2,
// BSD loopback (either byte order) and raw IP.
#include "sensor/decode/decode_state.h"

namespace vigil::sensor::decode_internal {
namespace {

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherArp = 0x0806;
constexpr uint16_t kEtherVlan = 0x8100;     // 802.1Q
constexpr uint16_t kEtherQinq = 0x88a8;     // 802.1ad service tag
constexpr uint16_t kEtherQinqOld = 0x9100;  // pre-standard QinQ, still seen
constexpr uint16_t kEtherIpv6 = 0x86dd;
constexpr uint16_t kEtherPppoeDisc = 0x8863;
constexpr uint16_t kEtherPppoeSess = 0x8864;

constexpr uint32_t kEthernetHeaderLen = 14;
constexpr uint32_t kVlanTagLen = 4;
constexpr uint32_t kSllHeaderLen = 16;
constexpr uint32_t kSll2HeaderLen = 20;
constexpr uint32_t kNullHeaderLen = 4;
constexpr uint32_t kPppoeHeaderLen = 6;

void DecodeVlan(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kVlanTagLen) {
    s.Fatal(DecodeEvent::kVlanHeaderTooSmall);
    return;
  }
  Packet& p = s.p;
  const uint32_t tags = uint32_t{p.vlan_count} + p.vlan_extra + 1;
  if (tags > s.cfg.max_vlan_tags) {
    s.Fatal(DecodeEvent::kVlanTooManyLayers);
    return;
  }
  const uint16_t vid = Load16(data) & 0x0fff;
  if (p.vlan_count < p.vlan.size()) {
    p.vlan[p.vlan_count++] = vid;
  } else if (p.vlan_extra < 255) {
    p.vlan_extra++;
  }
  DecodeEthertype(s, Load16(data + 2), data + kVlanTagLen, len - kVlanTagLen);
}

void DecodePppoe(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  s.Count(DecoderCounter::kPppoe);
  if (len < kPppoeHeaderLen) {
    s.Fatal(DecodeEvent::kPppoePktTooSmall);
    return;
  }
  // RFC 2516: version 1, type 1, code 0 for session data.
  if (data[0] != 0x11 || data[1] != 0) {
    s.Fatal(DecodeEvent::kPppoeWrongCode);
    return;
  }
  const uint32_t payload_len = Load16(data + 4);
  if (payload_len > len - kPppoeHeaderLen) {
    s.Fatal(DecodeEvent::kPppoePktTooSmall);
    return;
  }
  // The PPPoE length trims Ethernet padding off the PPP frame.
  DecodePpp(s, data + kPppoeHeaderLen, payload_len);
}

}  // namespace

void DecodeEthertype(DecodeState& s, uint16_t type, const uint8_t* data, uint32_t len) {
  switch (type) {
    case kEtherIpv4:
      DecodeIpv4(s, data, len);
      return;
    case kEtherIpv6:
      DecodeIpv6(s, data, len);
      return;
    case kEtherVlan:
    case kEtherQinq:
    case kEtherQinqOld:
      DecodeVlan(s, data, len);
      return;
    case kEtherPppoeSess:
      DecodePppoe(s, data, len);
      return;
    case kEtherPppoeDisc:
      s.Count(DecoderCounter::kPppoe);  // discovery: control traffic, nothing to inspect
      return;
    case kEtherArp:
      s.Count(DecoderCounter::kArp);
      return;
    default:
      s.Count(DecoderCounter::kUnknownEthertype);
      return;
  }
}

void DecodeEthernet(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kEthernetHeaderLen) {
    s.Fatal(DecodeEvent::kEthernetPktTooSmall);
    return;
  }
  s.Count(DecoderCounter::kEthernet);
  DecodeEthertype(s, Load16(data + 12), data + kEthernetHeaderLen, len - kEthernetHeaderLen);
}

void DecodeSll(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kSllHeaderLen) {
    s.Fatal(DecodeEvent::kSllPktTooSmall);
    return;
  }
  s.Count(DecoderCounter::kSll);
  // packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2)
  DecodeEthertype(s, Load16(data + 14), data + kSllHeaderLen, len - kSllHeaderLen);
}

void DecodeSll2(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kSll2HeaderLen) {
    s.Fatal(DecodeEvent::kSll2PktTooSmall);
    return;
  }
  s.Count(DecoderCounter::kSll2);
  // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) addr len(1) addr(8)
  DecodeEthertype(s, Load16(data), data + kSll2HeaderLen, len - kSll2HeaderLen);
}

void DecodeNull(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kNullHeaderLen) {
    s.Fatal(DecodeEvent::kNullPktTooSmall);
    return;
  }
  s.Count(DecoderCounter::kNull);
  // DLT_NULL stores the address family in the capturing host's byte order, DLT_LOOP in network
  // order; families are small numbers, so whichever reading is small is the right one.
  const uint32_t be = Load32(data);
  const uint32_t le = (uint32_t{data[3]} << 24) | (uint32_t{data[2]} << 16) |
                      (uint32_t{data[1]} << 8) | data[0];
  const uint32_t family = be < 256 ? be : le;
  switch (family) {
    case 2:  // AF_INET everywhere
      DecodeIpv4(s, data + kNullHeaderLen, len - kNullHeaderLen);
      return;
    case 10:  // AF_INET6: Linux
    case 24:  // NetBSD, OpenBSD, BSD/OS
    case 28:  // FreeBSD, DragonFly
    case 30:  // macOS
      DecodeIpv6(s, data + kNullHeaderLen, len - kNullHeaderLen);
      return;
    default:
      s.Fatal(DecodeEvent::kNullUnsupportedType);
      return;
  }
}

void DecodeRaw(DecodeState& s, const uint8_t* data, uint32_t len) {
  s.Count(DecoderCounter::kRaw);
  const uint8_t version = len > 0 ? data[0] >> 4 : 0;
  if (version == 4) {
    DecodeIpv4(s, data, len);
  } else if (version == 6) {
    DecodeIpv6(s, data, len);
  } else {
    s.Fatal(DecodeEvent::kRawInvalidIpVersion);
  }
}

void DecodeRawIpv4(DecodeState& s, const uint8_t* data, uint32_t len) {
  s.Count(DecoderCounter::kRaw);
  DecodeIpv4(s, data, len);
}

void DecodeRawIpv6(DecodeState& s, const uint8_t* data, uint32_t len) {
  s.Count(DecoderCounter::kRaw);
  DecodeIpv6(s, data, len);
}

void DecodePpp(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  // HDLC-like framing (GRE/PPTP) may keep the address/control bytes; PPPoE never does.
  if (len >= 2 && data[0] == 0xff && data[1] == 0x03) {
    data += 2;
    len -= 2;
  }
  if (len < 1) {
    s.Fatal(DecodeEvent::kPppPktTooSmall);
    return;
  }
  // Protocol-field compression (RFC 1661 §6.5): an odd first byte is a one-byte protocol.
  uint16_t proto;
  uint32_t hdr;
  if (data[0] & 1) {
    proto = data[0];
    hdr = 1;
  } else {
    if (len < 2) {
      s.Fatal(DecodeEvent::kPppPktTooSmall);
      return;
    }
    proto = Load16(data);
    hdr = 2;
  }
  switch (proto) {
    case 0x0021:
      DecodeIpv4(s, data + hdr, len - hdr);
      return;
    case 0x0057:
      DecodeIpv6(s, data + hdr, len - hdr);
      return;
    default:
      // 0x8000-0xffff are link and network control protocols (LCP, IPCP, CHAP...): legitimate
      // and nothing to inspect. Anything else is a data protocol we do not decode.
      if (proto < 0x8000) s.Event(DecodeEvent::kPppUnsupProto);
      return;
  }
}

}  // namespace vigil::sensor::decode_internal
