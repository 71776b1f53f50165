// TCP (RFC 9293): header, data offset, options (MSS, window scale, SACK permitted, SACK blocks,
// timestamps; RFC 7323, RFC 2018) and the checksum over the pseudo header.
#include "sensor/decode/checksum.h"
#include "sensor/decode/decode_state.h"

namespace vigil::sensor::decode_internal {
namespace {

constexpr uint32_t kTcpMinHeader = 20;

constexpr uint8_t kOptEol = 0;
constexpr uint8_t kOptNop = 1;
constexpr uint8_t kOptMss = 2;
constexpr uint8_t kOptWscale = 3;
constexpr uint8_t kOptSackPermitted = 4;
constexpr uint8_t kOptSack = 5;
constexpr uint8_t kOptTimestamp = 8;

void DecodeOptions(DecodeState& s, const uint8_t* o, uint32_t n) {
  TcpInfo& t = s.p.tcp;
  uint32_t seen = 0;  // bit per option kind < 32
  uint32_t i = 0;
  while (i < n) {
    const uint8_t kind = o[i];
    if (kind == kOptEol) return;
    if (kind == kOptNop) {
      ++i;
      continue;
    }
    if (i + 1 >= n) {
      s.Event(DecodeEvent::kTcpOptInvalidLen);  // no room for the length byte
      return;
    }
    const uint8_t l = o[i + 1];
    if (l < 2 || l > n - i) {
      s.Event(DecodeEvent::kTcpOptInvalidLen);
      return;  // the rest cannot be walked
    }
    const uint8_t* opt = o + i;
    bool duplicate = false;
    if (kind < 32) {
      duplicate = (seen & (1u << kind)) != 0;
      seen |= 1u << kind;
    }
    if (duplicate) {
      // The first occurrence stands; a receiver must not act on a conflicting second one.
      s.Event(DecodeEvent::kTcpOptDuplicate);
    } else {
      switch (kind) {
        case kOptMss:
          if (l == 4) {
            t.has_mss = true;
            t.mss = Load16(opt + 2);
          } else {
            s.Event(DecodeEvent::kTcpOptInvalidLen);
          }
          break;
        case kOptWscale:
          if (l == 3) {
            t.has_wscale = true;
            t.wscale = opt[2];
          } else {
            s.Event(DecodeEvent::kTcpOptInvalidLen);
          }
          break;
        case kOptSackPermitted:
          if (l == 2) {
            t.has_sack_permitted = true;
          } else {
            s.Event(DecodeEvent::kTcpOptInvalidLen);
          }
          break;
        case kOptSack:
          // An empty SACK (length 2) carries no block but is allowed (Suricata accepts it too).
          if (l == 2 || (l >= 10 && (l - 2) % 8 == 0)) {
            t.sack_blocks = static_cast<uint8_t>((l - 2) / 8);
          } else {
            s.Event(DecodeEvent::kTcpOptInvalidLen);
          }
          break;
        case kOptTimestamp:
          if (l == 10) {
            t.has_timestamp = true;
            t.ts_val = Load32(opt + 2);
            t.ts_ecr = Load32(opt + 6);
          } else {
            s.Event(DecodeEvent::kTcpOptInvalidLen);
          }
          break;
        default:
          break;  // MD5 (19), TCP-AO (29), MPTCP (30), TFO (34), experimental...: skipped
      }
    }
    i += l;
  }
}

}  // namespace

void DecodeTcp(DecodeState& s, const uint8_t* data, uint32_t len) {
  if (!s.EnterLayer()) return;
  if (len < kTcpMinHeader) {
    s.Fatal(DecodeEvent::kTcpPktTooSmall);
    return;
  }
  const uint32_t hlen = static_cast<uint32_t>(data[12] >> 4) * 4;
  if (hlen < kTcpMinHeader) {
    s.Fatal(DecodeEvent::kTcpHlenTooSmall);
    return;
  }
  if (hlen > len) {
    s.Fatal(DecodeEvent::kTcpPktTooSmall);
    return;
  }
  s.Count(DecoderCounter::kTcp);
  Packet& p = s.p;
  p.sport = Load16(data);
  p.dport = Load16(data + 2);
  TcpInfo& t = p.tcp;
  t.seq = Load32(data + 4);
  t.ack = Load32(data + 8);
  t.flags = data[13];
  t.window = Load16(data + 14);
  t.header_len = static_cast<uint8_t>(hlen);
  p.l4 = data;
  p.l4_len = len;
  p.payload = data + hlen;
  p.payload_len = len - hlen;
  if (hlen > kTcpMinHeader) DecodeOptions(s, data + kTcpMinHeader, hlen - kTcpMinHeader);
  if (s.verify_checksums &&
      !ChecksumIsValid(ChecksumAdd(data, len, PseudoHeaderSum(p, 6, len)))) {
    s.ChecksumBad(DecodeEvent::kTcpChecksumBad);
  }
}

}  // namespace vigil::sensor::decode_internal
