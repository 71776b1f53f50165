// DecoderConfig: the packet decoder's limits and switches, validated once at load and passed by
// const reference to every Decoder (one per worker thread).
//
//   DecoderConfig cfg;                         // documented defaults
//   cfg.checksums = *ParseChecksumMode("none");  // `vigil-sensor -k none`
//   if (auto st = cfg.Validate(); !st) ...
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace vigil::sensor {

// Which checksums the decoder verifies (Suricata's -k / checksum-validation).
enum class ChecksumMode : uint8_t {
  kAll,   // verify IPv4 header, TCP, UDP, ICMPv4 and ICMPv6 checksums (default)
  kNone,  // verify nothing: for captures from hosts with checksum offload
};

// "all" / "none" (also "yes"/"no", "auto" = all).
Result<ChecksumMode> ParseChecksumMode(std::string_view text);

struct DecoderConfig {
  ChecksumMode checksums = ChecksumMode::kAll;

  // Headers walked per packet, every link/VLAN/PPPoE/IP/extension/tunnel header counting one.
  // Past it the decoder stops with decoder.too_many_layers; what it decoded so far is kept.
  uint32_t max_layers = 32;
  // GRE/VXLAN/IP-in-IP encapsulations decoded through. A tunnel past this depth is left
  // undecoded (the packet describes the outer layers) and decoder.too_many_layers is raised.
  uint32_t max_tunnel_depth = 4;
  // VLAN tags accepted per Ethernet header; more raise vlan.too_many_layers and stop decoding
  // (Suricata's limit is 3). Only the first two are stored in Packet::vlan.
  uint32_t max_vlan_tags = 3;
  // IPv6 extension headers walked; more raise ipv6.exthdr_too_many and the packet has no L4.
  uint32_t max_ipv6_ext_headers = 8;

  // Tunnels decoded through. With a switch off the tunnel packet is plain GRE / UDP.
  bool decode_gre = true;
  bool decode_vxlan = true;
  bool decode_ipip = true;  // IPv4/IPv6 carried in IPv4/IPv6 (protocols 4 and 41)
  // UDP destination ports taken as VXLAN (IANA 4789). Unused slots are 0.
  std::array<uint16_t, 4> vxlan_ports{4789, 0, 0, 0};

  [[nodiscard]] Status Validate() const;
};

}  // namespace vigil::sensor
