// Base64Decode: the one base64 decoder behind `base64_decode` (+ `base64_data`) and the
// `from_base64` transform, with Suricata's three modes.
//
//   kRfc2045  characters outside the alphabet (spaces, line breaks, anything) are skipped;
//   kRfc4648  decoding stops at the first character outside the alphabet;
//   kStrict   a character outside the alphabet makes the whole decode fail (0 bytes).
// '=' ends the data in every mode. A trailing group of 2 or 3 characters yields 1 or 2 bytes;
// a lone trailing character is dropped. Output stops at `out.size()` bytes (the caller's cap).
//
//   uint8_t out[64];
//   size_t n = Base64Decode(in, Base64Mode::kRfc2045, out);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace vigil::sensor {

enum class Base64Mode : uint8_t { kRfc2045, kRfc4648, kStrict };

// Decodes `in` into `out`; returns the number of bytes written.
size_t Base64Decode(std::span<const uint8_t> in, Base64Mode mode, std::span<uint8_t> out);

}  // namespace vigil::sensor
