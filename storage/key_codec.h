// Key codec: fixed-width big-endian integers for RocksDB keys.
//
// RocksDB orders keys by memcmp. Writing integers big-endian (most significant byte first) makes
// byte order equal numeric order, so a key `[time][id]` iterates in time order and a range scan
// is a seek plus a bound. RocksDB's own EncodeFixed64 is little-endian and must not be used for
// keys that are meant to sort.
//
//   std::string key;
//   PutU64BE(&key, ts_ns);          // 8 bytes, sorts numerically
//   PutU32BE(&key, sensor_index);
//   auto ts = GetU64BE(key, 0);      // Result<uint64_t>, fails if key is shorter than 8 bytes
//
// Signed values (timestamps can be negative in theory) go through PutI64BE, which flips the sign
// bit so that negative numbers sort before positive ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::storage {

// Unchecked writers into a buffer of at least N bytes (for callers that sized the buffer already).
inline void EncodeU16BE(char* out, uint16_t v) {
  out[0] = static_cast<char>(v >> 8);
  out[1] = static_cast<char>(v);
}
inline void EncodeU32BE(char* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}
inline void EncodeU64BE(char* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}

// Unchecked readers from a buffer of at least N bytes.
inline uint16_t DecodeU16BE(const char* p) {
  return static_cast<uint16_t>((static_cast<uint16_t>(static_cast<uint8_t>(p[0])) << 8) |
                               static_cast<uint8_t>(p[1]));
}
inline uint32_t DecodeU32BE(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}
inline uint64_t DecodeU64BE(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// Appenders: grow `out` by the encoded width.
void PutU16BE(std::string* out, uint16_t v);
void PutU32BE(std::string* out, uint32_t v);
void PutU64BE(std::string* out, uint64_t v);
void PutI64BE(std::string* out, int64_t v);  // sign bit flipped: sorts in numeric order

// A standalone 8-byte key, the common case for sequence-numbered and time-keyed families.
std::string U64Key(uint64_t v);

// Checked readers: fail with kCorrupt when `in` has fewer than pos + width bytes.
[[nodiscard]] Result<uint16_t> GetU16BE(std::string_view in, size_t pos);
[[nodiscard]] Result<uint32_t> GetU32BE(std::string_view in, size_t pos);
[[nodiscard]] Result<uint64_t> GetU64BE(std::string_view in, size_t pos);
[[nodiscard]] Result<int64_t> GetI64BE(std::string_view in, size_t pos);

}  // namespace vigil::storage
