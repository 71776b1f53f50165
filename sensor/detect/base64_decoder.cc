#include "sensor/detect/base64_decoder.h"

namespace vigil::sensor {
namespace {

int Value(uint8_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

size_t Base64Decode(std::span<const uint8_t> in, Base64Mode mode, std::span<uint8_t> out) {
  size_t n = 0;
  uint32_t group = 0;
  int chars = 0;
  auto put = [&](uint8_t b) {
    if (n < out.size()) out[n++] = b;
  };
  for (uint8_t c : in) {
    if (n >= out.size()) return n;
    if (c == '=') break;
    int v = Value(c);
    if (v < 0) {
      if (mode == Base64Mode::kRfc2045) continue;
      if (mode == Base64Mode::kStrict) return 0;
      break;
    }
    group = (group << 6) | static_cast<uint32_t>(v);
    if (++chars == 4) {
      put(static_cast<uint8_t>(group >> 16));
      put(static_cast<uint8_t>(group >> 8));
      put(static_cast<uint8_t>(group));
      group = 0;
      chars = 0;
    }
  }
  if (chars == 2) {
    put(static_cast<uint8_t>(group >> 4));
  } else if (chars == 3) {
    put(static_cast<uint8_t>(group >> 10));
    put(static_cast<uint8_t>(group >> 2));
  }
  return n;
}

}  // namespace vigil::sensor
