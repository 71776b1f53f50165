#include "tools/synth/address_plan.h"

namespace vigil::synth {
namespace {

// First octets of well-known hosting and ISP ranges; all outside private and reserved space.
constexpr uint8_t kPublicFirstOctets[] = {23, 34, 52, 64, 93, 104, 142, 151, 157, 185, 199, 212};

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

IpAddress V6(std::initializer_list<uint16_t> groups) {
  uint8_t b[16] = {};
  size_t i = 0;
  for (uint16_t g : groups) {
    b[i++] = static_cast<uint8_t>(g >> 8);
    b[i++] = static_cast<uint8_t>(g);
  }
  return IpAddress::V6(b);
}

}  // namespace

AddressPlan::AddressPlan(uint32_t clients, Rng& rng) : next_port_(clients) {
  for (auto& p : next_port_) p = static_cast<uint16_t>(rng.Range(kEphemeralLow, kEphemeralHigh));
  gateway_.b = {0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01};
}

Host AddressPlan::Client(uint32_t index, bool v6) const {
  Host h;
  const uint32_t n = index + 10;  // skip .0-.9 (network, gateway, infrastructure)
  if (v6) {
    h.ip = V6({0xfd00, 0x20, 0, 0, 0, 0, static_cast<uint16_t>(n >> 16), static_cast<uint16_t>(n)});
  } else {
    h.ip = IpAddress::V4(((10u << 24) | (20u << 16)) + n);
  }
  // Locally administered unicast MAC derived from the index.
  h.mac.b = {0x02, 0x42, static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
             static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  return h;
}

uint16_t AddressPlan::NextPort(uint32_t client_index) {
  uint16_t& p = next_port_[client_index];
  const uint16_t port = p;
  p = p >= kEphemeralHigh ? kEphemeralLow : static_cast<uint16_t>(p + 1);
  return port;
}

Host AddressPlan::FromHash(uint64_t h, bool v6) const {
  Host host;
  host.mac = gateway_;
  if (v6) {
    host.ip = V6({0x2001, 0x0db8, static_cast<uint16_t>(h >> 48), static_cast<uint16_t>(h >> 32), 0, 0,
                  static_cast<uint16_t>(h >> 16), static_cast<uint16_t>((h & 0xFFFF) | 1)});
  } else {
    const uint8_t a = kPublicFirstOctets[(h >> 56) % std::size(kPublicFirstOctets)];
    const uint8_t d = static_cast<uint8_t>(1 + (h & 0xFF) % 253);  // never .0 or .255
    host.ip = IpAddress::V4((uint32_t{a} << 24) | (((h >> 16) & 0xFFFF) << 8) | d);
  }
  return host;
}

Host AddressPlan::Server(std::string_view name, bool v6) const { return FromHash(Fnv1a(name), v6); }

Host AddressPlan::RandomPublic(Rng& rng, bool v6) const { return FromHash(rng.Next(), v6); }

Host AddressPlan::Resolver(bool v6) const {
  Host h;
  h.mac = gateway_;
  h.ip = v6 ? V6({0xfd00, 0x20, 0, 0, 0, 0, 0, 0x53}) : IpAddress::V4((10u << 24) | (20u << 16) | 5u);
  return h;
}

Host AddressPlan::Scanner(uint32_t attack_id, bool v6) const {
  Host h;
  h.mac = gateway_;
  const uint32_t n = 10 + attack_id % 240;
  h.ip = v6 ? V6({0x2001, 0x0db8, 0xbad, 0, 0, 0, 0, static_cast<uint16_t>(n)})
            : IpAddress::V4((185u << 24) | (220u << 16) | (101u << 8) | n);
  return h;
}

}  // namespace vigil::synth
