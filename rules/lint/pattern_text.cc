#include "rules/lint/pattern_text.h"

namespace vigil::rules::lint {

std::string PatternText(std::string_view bytes, size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  bool in_hex = false;
  const size_t n = bytes.size() < max_bytes ? bytes.size() : max_bytes;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    const bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != ';' && c != '|' && c != '\\';
    if (plain) {
      if (in_hex) out += '|';
      in_hex = false;
      out += static_cast<char>(c);
    } else {
      out += in_hex ? ' ' : '|';
      in_hex = true;
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (in_hex) out += '|';
  if (n < bytes.size()) out += "...";
  return out;
}

}  // namespace vigil::rules::lint
