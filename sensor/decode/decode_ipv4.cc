// IPv4 (RFC 791): header and total length checks, trimming of link padding, options walk,
// header checksum, fragments handed to the defragmenter, then the protocol dispatch.
#include "sensor/decode/checksum.h"
#include "sensor/decode/decode_state.h"

namespace vigil::sensor::decode_internal {
namespace {

constexpr uint32_t kIpv4MinHeader = 20;

// Option types (copy/class/number byte) that the walk validates.
constexpr uint8_t kOptEol = 0;
constexpr uint8_t kOptNop = 1;
constexpr uint8_t kOptRr = 7;        // record route
constexpr uint8_t kOptQs = 25;       // quick-start (RFC 4782)
constexpr uint8_t kOptTs = 68;       // timestamp
constexpr uint8_t kOptSec = 130;     // security (RFC 1108)
constexpr uint8_t kOptLsrr = 131;    // loose source route
constexpr uint8_t kOptEsec = 133;    // extended security (RFC 1108)
constexpr uint8_t kOptCipso = 134;   // commercial security
constexpr uint8_t kOptSid = 136;     // stream id
constexpr uint8_t kOptSsrr = 137;    // strict source route
constexpr uint8_t kOptRtrAlt = 148;  // router alert (RFC 2113)

// Route options: type, length, pointer, then 4-byte addresses; the pointer is 1-based and
// starts at 4.
bool RouteOptionValid(const uint8_t* o, uint8_t l, DecodeState& s) {
  if (l < 3 || (l - 3) % 4 != 0) {
    s.Event(DecodeEvent::kIpv4OptInvalidLen);
    return false;
  }
  if (o[2] < 4) {
    s.Event(DecodeEvent::kIpv4OptInvalid);
    return false;
  }
  return true;
}

// Walks the options, records each type seen in p.ipv4_opts (Packet::has_ipv4_option) and the
// anomalies found.
void DecodeOptions(DecodeState& s, const uint8_t* o, uint32_t n) {
  uint16_t& seen = s.p.ipv4_opts;
  uint32_t i = 0;
  while (i < n) {
    const uint8_t type = o[i];
    if (type == kOptEol) {
      seen = static_cast<uint16_t>(seen | (1u << Ipv4OptionBit(kOptEol)));
      // What follows end-of-list is padding and must be zero.
      for (uint32_t j = i + 1; j < n; ++j) {
        if (o[j] != 0) {
          s.Event(DecodeEvent::kIpv4OptPadRequired);
          break;
        }
      }
      return;
    }
    if (type == kOptNop) {
      seen = static_cast<uint16_t>(seen | (1u << Ipv4OptionBit(kOptNop)));
      ++i;
      continue;
    }
    if (i + 1 >= n) {
      s.Event(DecodeEvent::kIpv4OptMalformed);  // no room for the length byte
      return;
    }
    const uint8_t l = o[i + 1];
    if (l < 2) {
      s.Event(DecodeEvent::kIpv4OptInvalidLen);
      return;  // cannot advance past it safely
    }
    if (l > n - i) {
      s.Event(DecodeEvent::kIpv4OptMalformed);
      return;
    }
    const uint8_t* opt = o + i;
    const int bit = Ipv4OptionBit(type);
    if (bit < 0) {
      seen = static_cast<uint16_t>(seen | kIpv4OptionUnknownBit);
      s.Event(DecodeEvent::kIpv4OptUnknown);
    } else {
      if (seen & (1u << bit)) s.Event(DecodeEvent::kIpv4OptDuplicate);
      seen = static_cast<uint16_t>(seen | (1u << bit));
      switch (type) {
        case kOptRr:
        case kOptLsrr:
        case kOptSsrr:
          RouteOptionValid(opt, l, s);
          break;
        case kOptTs:
          // type, len, pointer (>= 5), overflow/flags, then 4- or 8-byte entries.
          if (l < 4 || (l - 4) % 4 != 0) {
            s.Event(DecodeEvent::kIpv4OptInvalidLen);
          } else if (opt[2] < 5) {
            s.Event(DecodeEvent::kIpv4OptInvalid);
          }
          break;
        case kOptQs:
          if (l != 8) s.Event(DecodeEvent::kIpv4OptInvalidLen);
          break;
        case kOptSid:
        case kOptRtrAlt:
          if (l != 4) s.Event(DecodeEvent::kIpv4OptInvalidLen);
          break;
        case kOptSec:
        case kOptEsec:
          if (l < 3) s.Event(DecodeEvent::kIpv4OptInvalidLen);
          break;
        case kOptCipso:
          if (l < 6) s.Event(DecodeEvent::kIpv4OptInvalidLen);  // type, len, 4-byte DOI
          break;
        default:
          break;
      }
    }
    i += l;
  }
}

}  // namespace

void DecodeIpv4(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kIpv4MinHeader) {
    s.Fatal(DecodeEvent::kIpv4PktTooSmall);
    return;
  }
  if ((data[0] >> 4) != 4) {
    s.Fatal(DecodeEvent::kIpv4WrongIpVersion);
    return;
  }
  const uint32_t hlen = uint32_t{data[0] & 0x0fu} * 4;
  if (hlen < kIpv4MinHeader) {
    s.Fatal(DecodeEvent::kIpv4HlenTooSmall);
    return;
  }
  const uint32_t total = Load16(data + 2);
  if (total < hlen) {
    s.Fatal(DecodeEvent::kIpv4IplenSmallerThanHlen);
    return;
  }
  if (total > len) {
    s.Fatal(DecodeEvent::kIpv4TruncPkt);
    return;
  }

  // Header accepted: from here the packet describes this IP layer. Bytes past `total` are link
  // padding (Ethernet's 60-byte minimum) and are dropped.
  s.Count(DecoderCounter::kIpv4);
  AcceptIpLayer(s);
  Packet& p = s.p;
  p.ip_version = 4;
  p.ip_tos = data[1];
  p.ip_id = Load16(data + 4);
  p.ttl = data[8];
  const uint8_t proto = data[9];
  p.ip_proto = proto;
  SetAddress(p.src, data + 12, 4);
  SetAddress(p.dst, data + 16, 4);
  p.l3 = data;
  p.l3_len = total;

  if (s.verify_checksums && !ChecksumIsValid(ChecksumAdd(data, hlen))) {
    s.ChecksumBad(DecodeEvent::kIpv4ChecksumBad);
  }
  if (hlen > kIpv4MinHeader) DecodeOptions(s, data + kIpv4MinHeader, hlen - kIpv4MinHeader);

  const uint16_t frag_field = Load16(data + 6);
  const bool more = (frag_field & 0x2000) != 0;
  const uint32_t offset = uint32_t{frag_field & 0x1fffu} * 8;
  if (more || offset != 0) {
    s.Count(DecoderCounter::kIpv4Frag);
    p.is_fragment = true;
    FragmentInfo& f = p.frag;
    f.id = p.ip_id;
    f.offset = offset;
    f.more_fragments = more;
    f.next_proto = proto;
    f.ip_header = data;
    f.ip_header_len = static_cast<uint16_t>(hlen);
    f.data = data + hlen;
    f.data_len = total - hlen;
    if (offset + f.data_len > 65535) s.Event(DecodeEvent::kIpv4FragPktTooLarge);
    return;  // L4 is decoded after reassembly
  }
  DecodeIpPayload(s, proto, data + hlen, total - hlen);
}

}  // namespace vigil::sensor::decode_internal
