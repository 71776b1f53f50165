// DecoderCounters: the decoder's named counters (peg counts) and their ids in a CounterRegistry.
//
// Registered once at setup; each worker's Decoder bumps them in its own CounterBlock, so counting
// is lock-free. Besides the per-protocol counters below there is one counter per DecodeEvent,
// "decoder.event.<event name>".
//
//   CounterRegistry reg;
//   auto ids = RegisterDecoderCounters(reg);       // Result<DecoderCounters>
//   Decoder dec(cfg, *ids, reg.NewBlock("worker-0"));
//   reg.Total("decoder.event.ipv4.trunc_pkt");
#pragma once

#include <cstdint>
#include <span>

#include "core/counters.h"
#include "core/result.h"
#include "sensor/decode/decode_event.h"

namespace vigil::sensor {

enum class DecoderCounter : uint32_t {
  kPkts,             // decoder.pkts
  kBytes,            // decoder.bytes
  kInvalid,          // decoder.invalid
  kEthernet,         // decoder.ethernet
  kVlan,             // decoder.vlan
  kVlanQinq,         // decoder.vlan_qinq
  kVlanQinqinq,      // decoder.vlan_qinqinq
  kPppoe,            // decoder.pppoe
  kSll,              // decoder.sll
  kSll2,             // decoder.sll2
  kNull,             // decoder.null
  kRaw,              // decoder.raw
  kArp,              // decoder.arp
  kUnknownEthertype, // decoder.unknown_ethertype
  kIpv4,             // decoder.ipv4
  kIpv6,             // decoder.ipv6
  kIpv4Frag,         // decoder.ipv4_frag
  kIpv6Frag,         // decoder.ipv6_frag
  kTcp,              // decoder.tcp
  kUdp,              // decoder.udp
  kIcmpv4,           // decoder.icmpv4
  kIcmpv6,           // decoder.icmpv6
  kSctp,             // decoder.sctp
  kGre,              // decoder.gre
  kVxlan,            // decoder.vxlan
  kIpip,             // decoder.ipip
  kChecksumBad,      // decoder.checksum_bad
  kEventsOverflow,   // decoder.events_overflow
  kCount
};

inline constexpr uint32_t kDecoderCounterCount = static_cast<uint32_t>(DecoderCounter::kCount);

// The counter table, in DecoderCounter order, and the per-event table, in DecodeEvent order.
std::span<const CounterDef> DecoderCounterDefs();
std::span<const CounterDef> DecodeEventCounterDefs();

struct DecoderCounters {
  CounterGroup base;    // DecoderCounterDefs()
  CounterGroup events;  // DecodeEventCounterDefs()

  CounterId operator[](DecoderCounter c) const { return base[static_cast<uint32_t>(c)]; }
  CounterId operator[](DecodeEvent e) const { return events[static_cast<uint32_t>(e)]; }
};

// Registers both tables; fails if called after the registry handed out a block, or twice.
[[nodiscard]] Result<DecoderCounters> RegisterDecoderCounters(CounterRegistry& registry);

}  // namespace vigil::sensor
