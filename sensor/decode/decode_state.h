// DecodeState: the per-packet context the layer decoders share while one Decode() call runs, and
// the layer decoders themselves. Internal to sensor/decode; other folders use decoder.h.
//
// Each layer function reads only [data, data + len) (len already bounded by its caller), records
// anomalies through Event()/Fatal(), fills its part of the Packet and hands what it carries to the
// next layer. Fatal() marks the packet invalid and the layer returns without going deeper.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/counters.h"
#include "sensor/decode/decoder_config.h"
#include "sensor/decode/decoder_counters.h"
#include "sensor/decode/packet.h"

namespace vigil::sensor::decode_internal {

inline uint16_t Load16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t Load32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Fills an address in place (4 or 16 bytes). Same result as `a = IpAddress::V4(p)`, but with
// plain stores into the packet: building a temporary and copying it costs a store-forwarding
// stall on the hot path.
inline void SetAddress(IpAddr& a, const uint8_t* src, size_t n) {
  std::memcpy(a.bytes.data(), src, n);
  if (n < a.bytes.size()) std::memset(a.bytes.data() + n, 0, a.bytes.size() - n);
  a.family = n == 4 ? 4 : 6;
}

struct DecodeState {
  const DecoderConfig& cfg;
  const DecoderCounters& ids;
  CounterBlock& block;
  Packet& p;
  bool verify_checksums = true;
  bool invalid = false;    // a malformation stopped decoding
  uint32_t layers = 0;     // headers walked so far (for cfg.max_layers)
  // A tunnel whose inner IP header has not been accepted yet: committed to p.tunnel and
  // p.tunnel_depth only when it is, so a tunnel with a broken inner packet leaves the Packet
  // describing the outer one.
  bool tunnel_pending = false;
  TunnelInfo pending;

  void Count(DecoderCounter c) { block.Add(ids[c]); }

  void Event(DecodeEvent e) {
    block.Add(ids[e]);
    if (p.event_count < kMaxDecodeEvents) {
      p.events[p.event_count++] = e;
    } else {
      Count(DecoderCounter::kEventsOverflow);
    }
  }
  void Fatal(DecodeEvent e) {
    Event(e);
    invalid = true;
  }
  void ChecksumBad(DecodeEvent e) {
    Event(e);
    p.checksum_bad = true;
  }
  // Call on entering each header; false (with decoder.too_many_layers) past cfg.max_layers.
  bool EnterLayer() {
    if (++layers > cfg.max_layers) {
      if (layers == cfg.max_layers + 1) Fatal(DecodeEvent::kTooManyLayers);
      return false;
    }
    return true;
  }
  // Call before decoding a tunnel's payload; false (with decoder.too_many_layers) when the
  // packet is already cfg.max_tunnel_depth tunnels deep.
  bool EnterTunnel(TunnelInfo::Kind kind, bool has_key, uint32_t key) {
    if (p.tunnel_depth >= cfg.max_tunnel_depth) {
      Event(DecodeEvent::kTooManyLayers);
      return false;
    }
    tunnel_pending = true;
    pending = TunnelInfo{kind, has_key, key};
    return true;
  }
};

// Clears the L3-and-below fields before an (inner) IP header is filled in.
void ResetL4(Packet& p);
// Called by the IP layers once their header is accepted: commits a pending tunnel.
void AcceptIpLayer(DecodeState& s);

// Link layers (decode_link.cc).
void DecodeEthernet(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeEthertype(DecodeState& s, uint16_t type, const uint8_t* data, uint32_t len);
void DecodeSll(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeSll2(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeNull(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeRaw(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeRawIpv4(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeRawIpv6(DecodeState& s, const uint8_t* data, uint32_t len);
// PPP payload starting at the protocol field (address/control bytes FF 03 tolerated).
void DecodePpp(DecodeState& s, const uint8_t* data, uint32_t len);

// Network layer (decode_ipv4.cc, decode_ipv6.cc) and the protocol dispatch after it (decoder.cc).
void DecodeIpv4(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeIpv6(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeIpPayload(DecodeState& s, uint8_t proto, const uint8_t* data, uint32_t len);

// Transport layers (decode_tcp.cc, decode_udp.cc, decode_icmp.cc).
void DecodeTcp(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeUdp(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeIcmpv4(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeIcmpv6(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeSctp(DecodeState& s, const uint8_t* data, uint32_t len);

// Tunnels (decode_tunnel.cc).
void DecodeGre(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeVxlan(DecodeState& s, const uint8_t* data, uint32_t len);
void DecodeIpInIp(DecodeState& s, uint8_t proto, const uint8_t* data, uint32_t len);

// Pseudo-header sum for the current (innermost) IP layer of s.p.
uint64_t PseudoHeaderSum(const Packet& p, uint8_t proto, uint32_t len);

}  // namespace vigil::sensor::decode_internal
