#include "sensor/flow/flow_key.h"

namespace vigil::sensor {

namespace {

bool IsEcho(uint8_t proto, uint8_t type) {
  if (proto == 1) return type == 8 || type == 0;
  if (proto == 58) return type == 128 || type == 129;
  return false;
}

}  // namespace

FlowKey FlowKey::FromPacket(const Packet& p, bool* src_is_a) {
  FlowKey k;
  uint16_t sport = p.sport;
  uint16_t dport = p.dport;
  if ((p.ip_proto == 1 || p.ip_proto == 58) && !p.is_fragment) {
    if (IsEcho(p.ip_proto, p.icmp.type)) {
      sport = dport = p.icmp.id;
    } else {
      sport = p.icmp.type;
      dport = p.icmp.code;
    }
  }
  // Canonical order: the smaller (address, port) is endpoint a.
  int c = std::memcmp(p.src.bytes.data(), p.dst.bytes.data(), 16);
  bool a_is_src = c < 0 || (c == 0 && sport <= dport);
  if (a_is_src) {
    k.addr_a = p.src.bytes;
    k.addr_b = p.dst.bytes;
    k.port_a = sport;
    k.port_b = dport;
  } else {
    k.addr_a = p.dst.bytes;
    k.addr_b = p.src.bytes;
    k.port_a = dport;
    k.port_b = sport;
  }
  if (p.vlan_count > 0) k.vlan[0] = p.vlan[0];
  if (p.vlan_count > 1) k.vlan[1] = p.vlan[1];
  k.proto = p.ip_proto;
  k.family = p.ip_version;
  if (p.tunnel_depth > 0) {
    k.tunnel = static_cast<uint8_t>(p.tunnel.kind);
    if (p.tunnel.has_key) k.tunnel_key = p.tunnel.key;
  }
  if (src_is_a != nullptr) *src_is_a = a_is_src;
  return k;
}

uint64_t FlowKey::Hash(uint64_t seed) const {
  // Twelve 32-bit words through a multiply-xorshift chain, then a full avalanche: cheap, and
  // every key bit reaches every hash bit, so `hash % workers` and `hash & mask` are both even.
  const auto* bytes = reinterpret_cast<const unsigned char*>(this);
  uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i < sizeof(FlowKey); i += 4) {
    uint32_t w;
    std::memcpy(&w, bytes + i, 4);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace vigil::sensor
