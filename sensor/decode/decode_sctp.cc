// SCTP (RFC 9260): the 12-byte common header only — ports and verification tag — so flows,
// EVE records and port-based rules see SCTP ports. Chunks are not walked and the CRC32c checksum
// is not verified; the payload stays unset (no pkt_data), as before SCTP was decoded.
#include "sensor/decode/decode_state.h"

namespace vigil::sensor::decode_internal {

void DecodeSctp(DecodeState& s, const uint8_t* data, uint32_t len) {
  constexpr uint32_t kSctpHeaderLen = 12;
  if (!s.EnterLayer()) return;
  if (len < kSctpHeaderLen) {
    s.Fatal(DecodeEvent::kSctpPktTooSmall);
    return;
  }
  s.Count(DecoderCounter::kSctp);
  Packet& p = s.p;
  p.sport = Load16(data);
  p.dport = Load16(data + 2);
  p.l4 = data;
  p.l4_len = len;
}

}  // namespace vigil::sensor::decode_internal
