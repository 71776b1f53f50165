// IpAddress: an IPv4 or IPv6 address by value (17 bytes, no heap), shared by the sensor (packet
// fields, flow keys), the correlator (event fields, indexes) and rules (address matching).
//
//   auto a = IpAddress::Parse("192.0.2.1");   // Result<IpAddress>
//   char buf[IpAddress::kMaxText]; size_t n = a->Format(buf);  // "192.0.2.1"
//
// Text follows inet_ntop (compressed IPv6), as Suricata writes addresses in EVE.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first 4 bytes, the rest zero
  uint8_t family = 0;               // 4 or 6; 0 = unset

  static constexpr size_t kMaxText = 46;  // INET6_ADDRSTRLEN

  static IpAddress V4(const uint8_t* p) {
    IpAddress a;
    std::memcpy(a.bytes.data(), p, 4);
    a.family = 4;
    return a;
  }
  static IpAddress V4(uint32_t host_order) {
    uint8_t b[4] = {static_cast<uint8_t>(host_order >> 24), static_cast<uint8_t>(host_order >> 16),
                    static_cast<uint8_t>(host_order >> 8), static_cast<uint8_t>(host_order)};
    return V4(b);
  }
  static IpAddress V6(const uint8_t* p) {
    IpAddress a;
    std::memcpy(a.bytes.data(), p, 16);
    a.family = 6;
    return a;
  }
  static Result<IpAddress> Parse(std::string_view text);
  // The same without building an error: false when text is not an address. Dotted-quad IPv4
  // (what inet_pton accepts: four decimal octets up to 255, no leading zeros) is parsed inline;
  // other text goes to inet_pton. For hot paths (rule matching on event fields).
  static bool TryParse(std::string_view text, IpAddress* out);

  bool is_v4() const { return family == 4; }
  bool is_v6() const { return family == 6; }
  size_t size() const { return family == 6 ? 16 : (family == 4 ? 4 : 0); }
  const uint8_t* data() const { return bytes.data(); }

  // Writes the text form (no NUL) into out[kMaxText]; returns its length.
  size_t Format(char* out) const;
  std::string ToString() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

}  // namespace vigil
