// AddressPlan: who talks to whom. Clients live on an internal LAN (10.20.0.0/12-ish and
// fd00:20::/64), servers have public-looking addresses derived from their host name (the same
// name always maps to the same address, so DNS answers and later connections agree), and every
// frame crosses the capture point between a client MAC and the gateway MAC.
//
// Ephemeral ports come from a per-client counter that starts at a random offset, so no 5-tuple
// repeats within a capture until a single client has opened 28,232 connections; tshark and the
// truth file then always agree on what a conversation is.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/ip_address.h"
#include "tools/synth/packet_builder.h"
#include "tools/synth/rng.h"

namespace vigil::synth {

struct Host {
  IpAddress ip;
  MacAddress mac;
};

class AddressPlan {
 public:
  static constexpr uint16_t kEphemeralLow = 32768;   // Linux ip_local_port_range
  static constexpr uint16_t kEphemeralHigh = 60999;

  AddressPlan(uint32_t clients, Rng& rng);

  uint32_t client_count() const { return static_cast<uint32_t>(next_port_.size()); }
  Host Client(uint32_t index, bool v6) const;
  // The next ephemeral source port of a client.
  uint16_t NextPort(uint32_t client_index);
  // A server address for a host name (stable for the name).
  Host Server(std::string_view name, bool v6) const;
  // An arbitrary public address (UDP noise peers, scan targets).
  Host RandomPublic(Rng& rng, bool v6) const;
  // The LAN's DNS resolver.
  Host Resolver(bool v6) const;
  // The address a port-scan attack comes from (one per attack instance).
  Host Scanner(uint32_t attack_id, bool v6) const;
  const MacAddress& gateway_mac() const { return gateway_; }

 private:
  Host FromHash(uint64_t h, bool v6) const;

  std::vector<uint16_t> next_port_;
  MacAddress gateway_;
};

}  // namespace vigil::synth
