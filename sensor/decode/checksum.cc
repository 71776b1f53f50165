#include "sensor/decode/checksum.h"

namespace vigil::sensor {
namespace {

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// sum += v with the carry wrapped around (one's complement addition on 64 bits).
inline uint64_t AddCarry(uint64_t sum, uint64_t v) {
  sum += v;
  return sum + (sum < v ? 1 : 0);
}

}  // namespace

uint64_t ChecksumAdd(const uint8_t* data, size_t len, uint64_t sum) {
  // Four independent accumulators of 64-bit words hide the carry dependency chain; each word is
  // four 16-bit lanes and one's complement addition lets us add them in any grouping.
  uint64_t a = 0, b = 0, c = 0, d = 0;
  while (len >= 32) {
    a = AddCarry(a, Load64(data));
    b = AddCarry(b, Load64(data + 8));
    c = AddCarry(c, Load64(data + 16));
    d = AddCarry(d, Load64(data + 24));
    data += 32;
    len -= 32;
  }
  while (len >= 8) {
    a = AddCarry(a, Load64(data));
    data += 8;
    len -= 8;
  }
  // The remaining 0..7 bytes as a 4-, a 2- and a 1-byte piece, each loaded straight into a
  // register (assembling them in memory first would stall on store forwarding). Every piece
  // starts at an even offset, so its bytes keep their 16-bit lane positions.
  if (len & 4) {
    uint32_t v;
    std::memcpy(&v, data, 4);
    b = AddCarry(b, v);
    data += 4;
  }
  if (len & 2) {
    uint16_t v;
    std::memcpy(&v, data, 2);
    c = AddCarry(c, v);
    data += 2;
  }
  if (len & 1) {
    // RFC 1071: an odd last byte is padded with a zero byte on its right.
    const uint8_t last[2] = {data[0], 0};
    uint16_t v;
    std::memcpy(&v, last, 2);
    d = AddCarry(d, v);
  }
  a = AddCarry(a, b);
  c = AddCarry(c, d);
  a = AddCarry(a, c);
  // Reduce to 32 bits before merging with the caller's sum so repeated calls cannot overflow.
  uint64_t folded = (a & 0xffffffffULL) + (a >> 32);
  return AddCarry(sum, folded);
}

uint64_t ChecksumPseudoV4(const uint8_t* src4, const uint8_t* dst4, uint8_t proto, uint32_t len) {
  uint32_t s, d;
  std::memcpy(&s, src4, 4);
  std::memcpy(&d, dst4, 4);
  uint64_t sum = uint64_t{s} + d;
  sum += ChecksumWord(proto);
  sum += ChecksumWord(static_cast<uint16_t>(len));
  return sum;
}

uint64_t ChecksumPseudoV6(const uint8_t* src16, const uint8_t* dst16, uint8_t proto, uint32_t len) {
  uint64_t sum = ChecksumAdd(src16, 16, 0);
  sum = ChecksumAdd(dst16, 16, sum);
  sum += ChecksumWord(static_cast<uint16_t>(len >> 16));
  sum += ChecksumWord(static_cast<uint16_t>(len));
  sum += ChecksumWord(proto);
  return sum;
}

}  // namespace vigil::sensor
