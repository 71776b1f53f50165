// FlowKey: the direction-free identity of a flow, and its symmetric hash.
//
// A key is built from a decoded Packet: both addresses, both ports, the IP protocol, the IP
// version, up to two VLAN ids and the innermost tunnel (kind and GRE key / VXLAN VNI), so the same
// inner 5-tuple carried in two different tunnels is two flows. The two endpoints are put in a canonical order (the smaller
// (address, port) first), so a packet and its reply give byte-identical keys and the same hash.
// The capture stage picks a packet's worker by `FlowKey::FromPacket(p).Hash() % workers`, so
// both directions of a flow land on the worker that owns it.
//
//   bool src_is_a;
//   FlowKey k = FlowKey::FromPacket(pkt, &src_is_a);
//   uint64_t h = k.Hash();
//
// Ports: TCP/UDP (and anything else the decoder set sport/dport for) use the ports. ICMP echo
// request/reply (v4 types 8/0, v6 128/129) use the echo id on both sides so a ping and its reply
// are one flow, as Suricata pairs them; other ICMP messages use (type, code) as (sport, dport).
// Protocols without ports use 0.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

#include "core/ip_address.h"
#include "sensor/decode/packet.h"

namespace vigil::sensor {

struct FlowKey {
  std::array<uint8_t, 16> addr_a{};  // the canonical lower endpoint
  std::array<uint8_t, 16> addr_b{};
  uint16_t port_a = 0;
  uint16_t port_b = 0;
  std::array<uint16_t, 2> vlan{};  // outer first; 0 when absent
  uint8_t proto = 0;
  uint8_t family = 0;              // 4 or 6
  uint8_t tunnel = 0;              // TunnelInfo::Kind of the innermost tunnel; 0 = none
  uint8_t pad = 0;                 // explicit so keys compare and hash as bytes
  uint32_t tunnel_key = 0;         // GRE key / VXLAN VNI when the tunnel has one, else 0

  // `src_is_a` (optional) tells whether the packet's source is endpoint a.
  static FlowKey FromPacket(const Packet& p, bool* src_is_a = nullptr);

  // 64-bit hash of the key; the same for both directions because the key is canonical. The
  // default seed 0 is what the capture stage uses to pick workers.
  uint64_t Hash(uint64_t seed = 0) const;

  IpAddress a() const { return family == 6 ? IpAddress::V6(addr_a.data()) : IpAddress::V4(addr_a.data()); }
  IpAddress b() const { return family == 6 ? IpAddress::V6(addr_b.data()) : IpAddress::V4(addr_b.data()); }

  friend bool operator==(const FlowKey& x, const FlowKey& y) {
    return std::memcmp(&x, &y, sizeof(FlowKey)) == 0;
  }
};

static_assert(sizeof(FlowKey) == 48, "FlowKey must have no implicit padding");

}  // namespace vigil::sensor
