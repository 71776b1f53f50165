// DnsMessage: builds DNS queries and resolver answers in wire format (RFC 1035) with name
// compression pointers, as a stub resolver and a recursive resolver send them over UDP.
// Answers: A / AAAA (addresses from the AddressPlan, so later connections go where DNS said),
// CNAME chains, MX, TXT, NXDOMAIN with an SOA in the authority section, optional EDNS0 OPT.
//
//   DnsQuestion q{.id = 0x1a2b, .name = "www.example.com", .qtype = kDnsTypeA, .edns = true};
//   WriteDnsQuery(q, bytes);
//   WriteDnsResponse(rng, q, /*nxdomain=*/false, plan, bytes);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/synth/address_plan.h"
#include "tools/synth/rng.h"

namespace vigil::synth {

inline constexpr uint16_t kDnsTypeA = 1;
inline constexpr uint16_t kDnsTypeCname = 5;
inline constexpr uint16_t kDnsTypeSoa = 6;
inline constexpr uint16_t kDnsTypeMx = 15;
inline constexpr uint16_t kDnsTypeTxt = 16;
inline constexpr uint16_t kDnsTypeAaaa = 28;
inline constexpr uint16_t kDnsTypeOpt = 41;

struct DnsQuestion {
  uint16_t id = 0;
  std::string name;  // dotted, no trailing dot
  uint16_t qtype = kDnsTypeA;
  bool edns = false;  // add an OPT record (UDP payload size 1232)
};

void WriteDnsQuery(const DnsQuestion& q, std::vector<uint8_t>& out);
void WriteDnsResponse(Rng& rng, const DnsQuestion& q, bool nxdomain, const AddressPlan& plan,
                      std::vector<uint8_t>& out);

}  // namespace vigil::synth
