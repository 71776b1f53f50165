// Internet checksum (RFC 1071) for IPv4 headers, TCP, UDP, ICMPv4 and ICMPv6.
//
// The one's complement sum is byte-order independent up to a final byte swap (RFC 1071 §2(B)),
// so these functions sum 16-bit words exactly as they lie in memory, eight bytes at a time, and
// never swap. A checksum is valid when the sum over the covered bytes (checksum field included,
// plus the pseudo header where one applies) folds to 0xffff. To fill in a checksum, zero the
// field, sum, and memcpy ChecksumFinish()'s result into the field (it is in memory order).
//
//   uint64_t s = ChecksumPseudoV4(ip + 12, ip + 16, 6, tcp_len);
//   s = ChecksumAdd(tcp, tcp_len, s);
//   bool ok = ChecksumIsValid(s);
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vigil::sensor {

// Adds `len` bytes at `data` to a running sum. `data` may have any alignment; `len` any value.
// A running sum stays exact for any realistic length (up to 2^32 bytes per call chain).
// Data must start at an even offset of the checksummed region unless it is the last piece.
uint64_t ChecksumAdd(const uint8_t* data, size_t len, uint64_t sum = 0);

// Folds a running sum to 16 bits (memory order, not complemented).
inline uint16_t ChecksumFold(uint64_t sum) {
  sum = (sum & 0xffffffffULL) + (sum >> 32);
  sum = (sum & 0xffffffffULL) + (sum >> 32);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

inline bool ChecksumIsValid(uint64_t sum) { return ChecksumFold(sum) == 0xffff; }

// The value to store in a zeroed checksum field, in memory order (memcpy it into place).
inline uint16_t ChecksumFinish(uint64_t sum) { return static_cast<uint16_t>(~ChecksumFold(sum)); }

// A 16-bit value in network order as the summing code sees it (a native load of its 2 bytes).
inline uint16_t ChecksumWord(uint16_t host_value) {
  const uint8_t b[2] = {static_cast<uint8_t>(host_value >> 8), static_cast<uint8_t>(host_value)};
  uint16_t w;
  std::memcpy(&w, b, 2);
  return w;
}

// Pseudo headers: source and destination addresses as they lie in the IP header, the upper-layer
// protocol and the upper-layer length (RFC 793 / RFC 768 for IPv4, RFC 8200 §8.1 for IPv6).
uint64_t ChecksumPseudoV4(const uint8_t* src4, const uint8_t* dst4, uint8_t proto, uint32_t len);
uint64_t ChecksumPseudoV6(const uint8_t* src16, const uint8_t* dst16, uint8_t proto, uint32_t len);

}  // namespace vigil::sensor
