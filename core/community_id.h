// Community ID v1: a flow identifier that Zeek, Suricata, Arkime and Vigil compute the same way,
// so an analyst can pivot between their logs with one string comparison.
//
//   char buf[kCommunityIdLength];
//   CommunityIdV1(src, dst, /*proto=*/6, 1122, 3344, /*seed=*/0, buf);  // "1:wCb3OG7y...="
//
// Spec (github.com/corelight/community-id-spec): SHA-1 over
//   seed (2 bytes, network order) . saddr . daddr . proto (1) . padding (1 zero byte)
//   . sport (2, network order) . dport (2, network order)
// base64-encoded and prefixed with "1:". The endpoints are ordered so both directions of a flow
// give the same ID: the smaller address first (ties broken by the smaller port). Ports are hashed
// only for TCP, UDP, SCTP, ICMP and ICMPv6. For ICMP/ICMPv6 the caller passes the type as sport and
// the code as dport; types that have a request/reply counterpart (echo, timestamp, info, router
// and neighbour discovery, MLD, ...) hash as (type, counterpart type) so a request and its reply
// share an ID; other ICMP types are one-way: hashed as (type, code) and never reordered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/ip_address.h"
#include "core/result.h"

namespace vigil {

// "1:" + 28 base64 characters.
inline constexpr size_t kCommunityIdLength = 30;

// Writes exactly kCommunityIdLength characters (no NUL) into out. Fails only when the two
// addresses are unset or of different families.
[[nodiscard]] Status CommunityIdV1(const IpAddress& src, const IpAddress& dst, uint8_t proto,
                                   uint16_t sport, uint16_t dport, uint16_t seed, char* out);

// Convenience form for tests and tools.
[[nodiscard]] Result<std::string> CommunityIdV1String(const IpAddress& src, const IpAddress& dst,
                                                      uint8_t proto, uint16_t sport,
                                                      uint16_t dport, uint16_t seed = 0);

}  // namespace vigil
