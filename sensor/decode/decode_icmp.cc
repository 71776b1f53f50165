// ICMPv4 (RFC 792) and ICMPv6 (RFC 4443): type/code validation, echo id/seq, a sanity check of
// the IP header quoted by error messages, and the checksum (ICMPv6 with the IPv6 pseudo header).
#include "sensor/decode/checksum.h"
#include "sensor/decode/decode_state.h"

namespace vigil::sensor::decode_internal {
namespace {

constexpr uint32_t kIcmpHeaderLen = 8;

// Highest defined code per ICMPv4 type, or -1 for unassigned types (IANA icmp-parameters).
int Icmpv4MaxCode(uint8_t type) {
  switch (type) {
    case 0: return 0;    // echo reply
    case 3: return 15;   // destination unreachable
    case 4: return 0;    // source quench (deprecated)
    case 5: return 3;    // redirect
    case 8: return 0;    // echo request
    case 9: return 16;   // router advertisement (0 or 16)
    case 10: return 0;   // router solicitation
    case 11: return 1;   // time exceeded
    case 12: return 2;   // parameter problem
    case 13: case 14:    // timestamp
    case 15: case 16:    // information (deprecated)
    case 17: case 18:    // address mask (deprecated)
      return 0;
    case 30: return 0;   // traceroute (deprecated)
    case 40: return 5;   // Photuris
    case 41: return 255; // experimental mobility
    case 42: return 0;   // extended echo request (RFC 8335)
    case 43: return 4;   // extended echo reply
    case 253: case 254:  // RFC 3692 experiments
      return 255;
    default: return -1;
  }
}

int Icmpv6MaxCode(uint8_t type) {
  switch (type) {
    case 1: return 8;    // destination unreachable (RFC 4443, 7 and 8 from RFC 8554/8883)
    case 2: return 0;    // packet too big
    case 3: return 1;    // time exceeded
    case 4: return 10;   // parameter problem (RFC 4443, RFC 7112, RFC 8883, RFC 9534)
    case 100: case 101: case 200: case 201:  // private experimentation
    case 127: case 255:                      // reserved for expansion
      return 255;
    case 128: case 129: return 0;  // echo
    case 138: return 255;          // router renumbering
    case 139: case 140: return 2;  // node information
    default:
      // 130..161 are neighbour discovery, MLD, mobility, SEND, RPL...: code 0 except a few
      // with their own codes; accept any code for the rarely seen ones.
      if (type >= 130 && type <= 137) return 0;
      if (type >= 141 && type <= 161) return 255;
      return -1;
  }
}

bool IsMld(uint8_t type) { return (type >= 130 && type <= 132) || type == 143; }

// The part of ICMPv4 and ICMPv6 decoding they share: the 4-byte header (type, code, checksum)
// and where the body starts. Returns false when the header does not fit.
bool DecodeIcmpHeader(DecodeState& s, const uint8_t* data, uint32_t len, DecodeEvent too_small,
                      DecoderCounter counter) {
  if (!s.EnterLayer()) return false;
  if (len < kIcmpHeaderLen) {
    s.Fatal(too_small);
    return false;
  }
  s.Count(counter);
  Packet& p = s.p;
  p.icmp.type = data[0];
  p.icmp.code = data[1];
  p.l4 = data;
  p.l4_len = len;
  p.payload = data + kIcmpHeaderLen;
  p.payload_len = len - kIcmpHeaderLen;
  return true;
}

}  // namespace

void DecodeIcmpv4(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!DecodeIcmpHeader(s, data, len, DecodeEvent::kIcmpv4PktTooSmall, DecoderCounter::kIcmpv4)) return;
  Packet& p = s.p;
  IcmpInfo& icmp = p.icmp;

  const int max_code = Icmpv4MaxCode(icmp.type);
  if (max_code < 0) {
    s.Event(DecodeEvent::kIcmpv4UnknownType);
  } else if (icmp.code > max_code || (icmp.type == 9 && icmp.code != 0 && icmp.code != 16)) {
    s.Event(DecodeEvent::kIcmpv4UnknownCode);
  }
  switch (icmp.type) {
    case 0:
    case 8:
      icmp.id = Load16(data + 4);
      icmp.seq = Load16(data + 6);
      break;
    case 3:
    case 4:
    case 5:
    case 11:
    case 12:
      // Errors quote the offending IP header and at least 8 bytes of its payload.
      if (p.payload_len < 20) {
        s.Event(DecodeEvent::kIcmpv4Ipv4TruncPkt);
      } else if ((p.payload[0] >> 4) != 4) {
        s.Event(DecodeEvent::kIcmpv4Ipv4UnknownVer);
      }
      break;
    default:
      break;
  }
  if (s.verify_checksums && !ChecksumIsValid(ChecksumAdd(data, len))) {
    s.ChecksumBad(DecodeEvent::kIcmpv4ChecksumBad);
  }
}

void DecodeIcmpv6(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!DecodeIcmpHeader(s, data, len, DecodeEvent::kIcmpv6PktTooSmall, DecoderCounter::kIcmpv6)) return;
  Packet& p = s.p;
  IcmpInfo& icmp = p.icmp;

  const int max_code = Icmpv6MaxCode(icmp.type);
  if (max_code < 0) {
    s.Event(DecodeEvent::kIcmpv6UnknownType);
  } else if (icmp.code > max_code) {
    s.Event(DecodeEvent::kIcmpv6UnknownCode);
  }
  if (icmp.type == 128 || icmp.type == 129) {
    icmp.id = Load16(data + 4);
    icmp.seq = Load16(data + 6);
  } else if (icmp.type >= 1 && icmp.type <= 4) {
    if (p.payload_len < 40) {
      s.Event(DecodeEvent::kIcmpv6Ipv6TruncPkt);
    } else if ((p.payload[0] >> 4) != 6) {
      s.Event(DecodeEvent::kIcmpv6Ipv6UnknownVersion);
    }
  } else if (IsMld(icmp.type) && p.ttl != 1) {
    // RFC 2710 / 3810: MLD is link-local and must be sent with hop limit 1.
    s.Event(DecodeEvent::kIcmpv6MldMessageWithInvalidHl);
  }
  if (s.verify_checksums &&
      !ChecksumIsValid(ChecksumAdd(data, len, PseudoHeaderSum(p, 58, len)))) {
    s.ChecksumBad(DecodeEvent::kIcmpv6ChecksumBad);
  }
}

}  // namespace vigil::sensor::decode_internal
