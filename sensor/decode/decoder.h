// Decoder: turns a captured frame into the decoded fields of a Packet, in place.
//
// One Decoder per worker thread. Decode() reads p.data[0, p.caplen) according to p.datalink,
// walks link → (VLAN/PPPoE) → IPv4/IPv6 (+ extension headers) → TCP/UDP/ICMP, decodes GRE,
// VXLAN and IP-in-IP tunnels through to the inner packet, and fills the Packet's fields as
// pointers into the frame: no copy, no allocation, no lock. Every malformation is a named
// DecodeEvent recorded on the packet and counted in the worker's CounterBlock.
//
//   CounterRegistry reg;
//   DecoderConfig cfg;                                   // validated at load
//   auto ids = RegisterDecoderCounters(reg);             // before any NewBlock()
//   Decoder dec(cfg, *ids, reg.NewBlock("worker-0"));
//   if (dec.Decode(pkt) && !pkt.checksum_bad) Inspect(pkt);
//
// A defragmenter re-decodes a reassembled datagram by handing it over as a raw IP frame
// (datalink = link_type::kRaw).
#pragma once

#include "core/counters.h"
#include "sensor/decode/decoder_config.h"
#include "sensor/decode/decoder_counters.h"
#include "sensor/decode/packet.h"

namespace vigil::sensor {

// pcap DLT_* values the decoder handles (as returned by pcap_datalink(); the LINKTYPE_* values
// stored in pcap files are accepted too where they differ).
namespace link_type {
inline constexpr int kNull = 0;          // DLT_NULL: BSD loopback, host byte order family
inline constexpr int kEthernet = 1;      // DLT_EN10MB
inline constexpr int kRaw = 12;          // DLT_RAW (Linux value)
inline constexpr int kRawLinktype = 101; // LINKTYPE_RAW as stored in pcap files
inline constexpr int kLoop = 108;        // DLT_LOOP: BSD loopback, network byte order family
inline constexpr int kLinuxSll = 113;    // DLT_LINUX_SLL
inline constexpr int kIpv4 = 228;        // DLT_IPV4 / LINKTYPE_IPV4
inline constexpr int kIpv6 = 229;        // DLT_IPV6 / LINKTYPE_IPV6
inline constexpr int kLinuxSll2 = 276;   // DLT_LINUX_SLL2
}  // namespace link_type

// Whether Decode() understands frames of this link type.
bool DecoderSupportsLinkType(int datalink);

class Decoder {
 public:
  // `config` must outlive the Decoder and be valid (DecoderConfig::Validate). `counters` is the
  // calling thread's own block from the registry the ids were registered in; not null.
  Decoder(const DecoderConfig& config, const DecoderCounters& ids, CounterBlock* counters);

  // Resets every decoder-filled field of p, then decodes it. Returns p.decoded: true when an IP
  // layer was decoded (L4 fields may still be missing: check p.l4 / is_tcp()). Never reads
  // outside p.data[0, p.caplen).
  bool Decode(Packet& p);

  const DecoderConfig& config() const { return *config_; }

 private:
  const DecoderConfig* config_;
  DecoderCounters ids_;
  CounterBlock* counters_;
};

}  // namespace vigil::sensor
