// DNS mnemonics: resource-record type names ("A", "AAAA", "MX", ...) and response code names
// ("NOERROR", "NXDOMAIN", ...), as Suricata writes them in EVE `rrtype` and `rcode`.
//
//   DnsTypeName(28) == "AAAA";  DnsRcodeName(3) == "NXDOMAIN";
//   std::string t; DnsTypeText(65280, t);  // "65280": unknown types are written as numbers
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::sensor {

// "" when the type has no mnemonic here.
std::string_view DnsTypeName(uint16_t type);
// The mnemonic, or the decimal number for unknown types; `out` is replaced.
void DnsTypeText(uint16_t type, std::string& out);

// "" when the code has no name here (codes above 23).
std::string_view DnsRcodeName(uint16_t rcode);
void DnsRcodeText(uint16_t rcode, std::string& out);

}  // namespace vigil::sensor
