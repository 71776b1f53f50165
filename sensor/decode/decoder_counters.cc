#include "sensor/decode/decoder_counters.h"

#include <array>

namespace vigil::sensor {
namespace {

constexpr CounterDef kDefs[] = {
    {"decoder.pkts", "packets handed to the decoder"},
    {"decoder.bytes", "bytes (captured length) handed to the decoder"},
    {"decoder.invalid", "packets whose decoding stopped on a malformation (see decoder.event.*)"},
    {"decoder.ethernet", "Ethernet II headers decoded (inner ones of tunnels included)"},
    {"decoder.vlan", "Ethernet frames with at least one 802.1Q/802.1ad tag"},
    {"decoder.vlan_qinq", "Ethernet frames with two or more VLAN tags"},
    {"decoder.vlan_qinqinq", "Ethernet frames with more than two VLAN tags (extras not stored)"},
    {"decoder.pppoe", "PPPoE frames (session and discovery)"},
    {"decoder.sll", "Linux cooked (SLL) headers decoded"},
    {"decoder.sll2", "Linux cooked v2 (SLL2) headers decoded"},
    {"decoder.null", "BSD loopback (DLT_NULL / DLT_LOOP) headers decoded"},
    {"decoder.raw", "raw IP frames (DLT_RAW, LINKTYPE_IPV4/IPV6)"},
    {"decoder.arp", "ARP frames (counted, not decoded)"},
    {"decoder.unknown_ethertype", "frames whose ethertype the decoder does not handle"},
    {"decoder.ipv4", "IPv4 headers decoded (inner ones of tunnels included)"},
    {"decoder.ipv6", "IPv6 headers decoded (inner ones of tunnels included)"},
    {"decoder.ipv4_frag", "IPv4 fragments (left to the defragmenter)"},
    {"decoder.ipv6_frag", "IPv6 fragments (left to the defragmenter)"},
    {"decoder.tcp", "TCP headers decoded"},
    {"decoder.udp", "UDP headers decoded"},
    {"decoder.icmpv4", "ICMPv4 headers decoded"},
    {"decoder.icmpv6", "ICMPv6 headers decoded"},
    {"decoder.sctp", "SCTP common headers decoded (ports; chunks are not walked)"},
    {"decoder.gre", "GRE headers decoded"},
    {"decoder.vxlan", "VXLAN headers decoded"},
    {"decoder.ipip", "IP-in-IP encapsulations decoded (4in4, 6in4, 4in6, 6in6)"},
    {"decoder.checksum_bad", "packets with a failed checksum (not inspected); per layer: decoder.event.*.checksum_bad"},
    {"decoder.events_overflow", "decoder events beyond the per-packet list (still counted per event)"},
};
static_assert(std::size(kDefs) == kDecoderCounterCount, "one CounterDef per DecoderCounter");

// Built at first use from the event table (whose strings are static), never written after.
std::array<CounterDef, kDecodeEventCount> BuildEventDefs() {
  std::array<CounterDef, kDecodeEventCount> defs{};
  for (size_t i = 0; i < kDecodeEventCount; ++i) {
    auto e = static_cast<DecodeEvent>(i);
    defs[i] = CounterDef{DecodeEventCounterName(e), DecodeEventHelp(e)};
  }
  return defs;
}

}  // namespace

std::span<const CounterDef> DecoderCounterDefs() { return kDefs; }

std::span<const CounterDef> DecodeEventCounterDefs() {
  // A function-local constant initialised once (thread-safe), not mutable global state.
  static const std::array<CounterDef, kDecodeEventCount> defs = BuildEventDefs();
  return defs;
}

Result<DecoderCounters> RegisterDecoderCounters(CounterRegistry& registry) {
  DecoderCounters ids;
  VIGIL_TRY(ids.base, registry.Register(DecoderCounterDefs()));
  VIGIL_TRY(ids.events, registry.Register(DecodeEventCounterDefs()));
  return ids;
}

}  // namespace vigil::sensor
