// IPv6 (RFC 8200): fixed header, payload length trimming, the extension header chain (hop-by-hop,
// routing, fragment, destination options, AH, and the generic ones) with RFC 8200 §4.1 order and
// repetition checks, fragment headers handed to the defragmenter, then the protocol dispatch.
#include "sensor/decode/decode_state.h"

namespace vigil::sensor::decode_internal {
namespace {

constexpr uint32_t kIpv6HeaderLen = 40;

constexpr uint8_t kNhHopByHop = 0;
constexpr uint8_t kNhRouting = 43;
constexpr uint8_t kNhFragment = 44;
constexpr uint8_t kNhEsp = 50;
constexpr uint8_t kNhAh = 51;
constexpr uint8_t kNhNone = 59;
constexpr uint8_t kNhDstOpts = 60;
constexpr uint8_t kNhMobility = 135;
constexpr uint8_t kNhHip = 139;
constexpr uint8_t kNhShim6 = 140;
constexpr uint8_t kNhExp1 = 253;
constexpr uint8_t kNhExp2 = 254;

// Walks the TLV options of a hop-by-hop or destination options header (RFC 8200 §4.2).
void DecodeTlvOptions(DecodeState& s, const uint8_t* o, uint32_t n, bool hop_by_hop) {
  const DecodeEvent unknown =
      hop_by_hop ? DecodeEvent::kIpv6HopoptsUnknownOpt : DecodeEvent::kIpv6DstoptsUnknownOpt;
  bool only_padding = true;
  uint32_t i = 0;
  while (i < n) {
    const uint8_t type = o[i];
    if (type == 0) {  // Pad1
      ++i;
      continue;
    }
    if (i + 1 >= n) {
      s.Event(DecodeEvent::kIpv6ExthdrInvalidOptlen);
      return;
    }
    const uint32_t l = o[i + 1];
    if (l > n - i - 2) {
      s.Event(DecodeEvent::kIpv6ExthdrInvalidOptlen);
      return;
    }
    if (type != 1) only_padding = false;
    switch (type) {
      case 1:  // PadN
        if (l == 0) s.Event(DecodeEvent::kIpv6ZeroLenPadn);
        break;
      case 0xc2:  // Jumbo Payload (RFC 2675)
        if (!hop_by_hop) s.Event(unknown);
        if (l != 4) s.Event(DecodeEvent::kIpv6ExthdrInvalidOptlen);
        s.Event(DecodeEvent::kIpv6Jumbogram);
        break;
      case 0x05:  // Router Alert (RFC 2711)
        if (!hop_by_hop) s.Event(unknown);
        if (l != 2) s.Event(DecodeEvent::kIpv6ExthdrInvalidOptlen);
        break;
      case 0xc9:  // Home Address (RFC 6275)
        if (hop_by_hop) s.Event(unknown);
        if (l != 16) s.Event(DecodeEvent::kIpv6ExthdrInvalidOptlen);
        break;
      case 0x04:  // Tunnel Encapsulation Limit (RFC 2473)
        if (l != 1) s.Event(DecodeEvent::kIpv6ExthdrInvalidOptlen);
        break;
      case 0x07:  // CALIPSO (RFC 5570)
      case 0x26:  // Quick-Start (RFC 4782)
      case 0x31:  // IOAM (RFC 9486)
      case 0x63:  // RPL (RFC 6553)
      case 0x6d:  // MPL (RFC 7731)
      case 0x8b:  // ILNP nonce (RFC 6744)
      case 0xee:  // IPv6 DFF (RFC 6971)
        break;
      default:
        s.Event(unknown);
        break;
    }
    i += 2 + l;
  }
  if (only_padding) {
    s.Event(hop_by_hop ? DecodeEvent::kIpv6HopoptsOnlyPadding : DecodeEvent::kIpv6DstoptsOnlyPadding);
  }
}

}  // namespace

void DecodeIpv6(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kIpv6HeaderLen) {
    s.Fatal(DecodeEvent::kIpv6PktTooSmall);
    return;
  }
  if ((data[0] >> 4) != 6) {
    s.Fatal(DecodeEvent::kIpv6WrongIpVersion);
    return;
  }
  const uint32_t plen = Load16(data + 4);
  uint8_t nh = data[6];
  // A jumbogram says payload length 0 and carries its length in a hop-by-hop option. Vigil does
  // not handle payloads over 64 KiB (no link it captures from carries them), so it is rejected.
  if (plen == 0 && nh == kNhHopByHop && len > kIpv6HeaderLen) {
    s.Fatal(DecodeEvent::kIpv6Jumbogram);
    return;
  }
  if (plen > len - kIpv6HeaderLen) {
    s.Fatal(DecodeEvent::kIpv6TruncPkt);
    return;
  }

  s.Count(DecoderCounter::kIpv6);
  AcceptIpLayer(s);
  Packet& p = s.p;
  p.ip_version = 6;
  p.ip_tos = static_cast<uint8_t>(((data[0] & 0x0f) << 4) | (data[1] >> 4));
  p.ttl = data[7];
  SetAddress(p.src, data + 8, 16);
  SetAddress(p.dst, data + 24, 16);
  const uint32_t end = kIpv6HeaderLen + plen;  // trims link padding
  p.l3 = data;
  p.l3_len = end;

  // Extension header chain.
  uint32_t off = kIpv6HeaderLen;
  uint32_t count = 0;
  bool seen_hh = false, seen_rh = false, seen_fh = false, seen_ah = false;
  bool dh_since_rh = false;  // a destination options header may appear once before and once
                             // after the routing header (RFC 8200 §4.1)
  for (;;) {
    p.ip_proto = nh;
    // After an extension header, whatever follows needs at least 2 bytes (Suricata's check,
    // also before an upper-layer header): an empty remainder is a truncated chain.
    if (count > 0 && nh != kNhNone && end - off < 2) {
      s.Fatal(DecodeEvent::kIpv6TruncExthdr);
      return;
    }
    switch (nh) {
      case kNhHopByHop:
      case kNhRouting:
      case kNhDstOpts:
      case kNhMobility:
      case kNhHip:
      case kNhShim6:
      case kNhExp1:
      case kNhExp2:
      case kNhFragment:
      case kNhAh:
        break;
      case kNhNone:
        if (off < end) s.Event(DecodeEvent::kIpv6DataAfterNoneHeader);
        return;
      case kNhEsp:
        return;  // encrypted: nothing more to decode
      default:
        DecodeIpPayload(s, nh, data + off, end - off);
        return;
    }
    // One more extension header.
    if (++count > s.cfg.max_ipv6_ext_headers) {
      s.Fatal(DecodeEvent::kIpv6ExthdrTooMany);
      return;
    }
    if (!s.EnterLayer()) return;
    const uint32_t avail = end - off;
    const uint8_t* h = data + off;
    if (avail < 8) {  // every extension header is at least 8 bytes
      s.Fatal(DecodeEvent::kIpv6TruncExthdr);
      return;
    }
    uint32_t hlen;
    if (nh == kNhFragment) {
      hlen = 8;
    } else if (nh == kNhAh) {
      hlen = (uint32_t{h[1]} + 2) * 4;  // RFC 4302: length in 4-byte units minus 2
    } else {
      hlen = (uint32_t{h[1]} + 1) * 8;
    }
    if (hlen > avail) {
      s.Fatal(DecodeEvent::kIpv6TruncExthdr);
      return;
    }
    switch (nh) {
      case kNhHopByHop:
        if (count != 1) s.Event(DecodeEvent::kIpv6HopoptsNotFirst);
        if (seen_hh) s.Event(DecodeEvent::kIpv6ExthdrDuplHh);
        seen_hh = true;
        DecodeTlvOptions(s, h + 2, hlen - 2, /*hop_by_hop=*/true);
        break;
      case kNhDstOpts:
        if (dh_since_rh) s.Event(DecodeEvent::kIpv6ExthdrDuplDh);
        dh_since_rh = true;
        DecodeTlvOptions(s, h + 2, hlen - 2, /*hop_by_hop=*/false);
        break;
      case kNhRouting:
        if (seen_rh) s.Event(DecodeEvent::kIpv6ExthdrDuplRh);
        seen_rh = true;
        dh_since_rh = false;
        if (h[2] == 0) s.Event(DecodeEvent::kIpv6RhType0);
        break;
      case kNhAh:
        if (seen_ah) s.Event(DecodeEvent::kIpv6ExthdrDuplAh);
        seen_ah = true;
        if (Load16(h + 2) != 0) s.Event(DecodeEvent::kIpv6ExthdrAhResNotNull);
        break;
      case kNhFragment: {
        if (seen_fh) s.Event(DecodeEvent::kIpv6ExthdrDuplFh);
        seen_fh = true;
        const uint16_t field = Load16(h + 2);
        if (h[1] != 0 || (field & 0x0006) != 0) s.Event(DecodeEvent::kIpv6FhNonZeroReservedField);
        const uint32_t frag_off = field & 0xfff8u;
        const bool more = (field & 1) != 0;
        if (frag_off == 0 && !more) {
          // Atomic fragment (RFC 6946): not really fragmented; decode on through it.
          s.Event(DecodeEvent::kIpv6ExthdrUselessFh);
          break;
        }
        const uint32_t frag_len = avail - 8;
        if (more && frag_len % 8 != 0) s.Event(DecodeEvent::kIpv6FragInvalidLength);
        if (frag_off + frag_len > 65535) s.Event(DecodeEvent::kIpv6FragPktTooLarge);
        s.Count(DecoderCounter::kIpv6Frag);
        p.is_fragment = true;
        p.ip_proto = h[0];
        FragmentInfo& f = p.frag;
        f.id = Load32(h + 4);
        f.offset = frag_off;
        f.more_fragments = more;
        f.next_proto = h[0];
        f.ip_header = data;
        f.ip_header_len = static_cast<uint16_t>(off);  // IPv6 header + unfragmentable part
        f.data = h + 8;
        f.data_len = frag_len;
        return;  // L4 is decoded after reassembly
      }
      default:
        break;  // mobility, HIP, shim6, experimental: length only
    }
    nh = h[0];
    off += hlen;
  }
}

}  // namespace vigil::sensor::decode_internal
