// Helpers shared by the app-layer tests: byte views of strings, chunked feeding (whole, one byte
// at a time, random splits) and zlib compression for body tests.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>

namespace vigil::sensor::testing {

inline std::span<const uint8_t> Bytes(std::string_view s) {
  return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Calls fn(piece) over `data` split by `mode`: 0 = whole, 1 = one byte at a time,
// other values = random piece sizes (1..mode) seeded by mode.
template <typename F>
void FeedSplit(std::string_view data, size_t mode, F&& fn) {
  if (mode == 0) {
    fn(data);
    return;
  }
  if (mode == 1) {
    for (size_t i = 0; i < data.size(); ++i) fn(data.substr(i, 1));
    return;
  }
  std::mt19937 rng(static_cast<uint32_t>(mode));
  std::uniform_int_distribution<size_t> dist(1, mode);
  size_t i = 0;
  while (i < data.size()) {
    size_t n = std::min(dist(rng), data.size() - i);
    fn(data.substr(i, n));
    i += n;
  }
}

// window_bits: 31 = gzip, 15 = zlib, -15 = raw deflate.
inline std::string Compress(std::string_view in, int window_bits, int level = 9) {
  z_stream z{};
  deflateInit2(&z, level, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace vigil::sensor::testing
