#include "core/ip_address.h"

#include <arpa/inet.h>

namespace vigil {

namespace {

// inet_pton's AF_INET grammar, inline: exactly four octets of 1-3 digits, each at most 255, no
// leading zero, separated by single dots. False on anything else (the caller may try IPv6).
bool ParseDottedQuad(std::string_view text, uint8_t out[4]) {
  size_t octet = 0;
  unsigned value = 0;
  size_t digits = 0;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      if (digits > 0 && value == 0) return false;  // leading zero
      value = value * 10 + static_cast<unsigned>(c - '0');
      if (value > 255) return false;
      ++digits;
    } else if (c == '.' && digits > 0 && octet < 3) {
      out[octet++] = static_cast<uint8_t>(value);
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (octet != 3 || digits == 0) return false;
  out[3] = static_cast<uint8_t>(value);
  return true;
}

}  // namespace

bool IpAddress::TryParse(std::string_view text, IpAddress* out) {
  if (text.empty() || text.size() > kMaxText) return false;
  uint8_t raw[16];
  if (ParseDottedQuad(text, raw)) {
    *out = V4(raw);
    return true;
  }
  if (text.find(':') == std::string_view::npos) return false;  // not IPv4, and IPv6 needs a colon
  char buf[kMaxText + 1];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  if (inet_pton(AF_INET6, buf, raw) != 1) return false;
  *out = V6(raw);
  return true;
}

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  IpAddress a;
  if (TryParse(text, &a)) return a;
  return Error(ErrorCode::kParse, "not an IP address: '" + std::string(text.substr(0, 64)) + "'");
}

size_t IpAddress::Format(char* out) const {
  if (family == 4) {
    // Hand-rolled: glibc's inet_ntop formats IPv4 through sprintf, which dominated the cost of
    // writing an EVE event (four addresses per alert).
    size_t n = 0;
    for (int i = 0; i < 4; ++i) {
      unsigned v = bytes[i];
      if (v >= 100) out[n++] = static_cast<char>('0' + v / 100);
      if (v >= 10) out[n++] = static_cast<char>('0' + (v / 10) % 10);
      out[n++] = static_cast<char>('0' + v % 10);
      if (i < 3) out[n++] = '.';
    }
    return n;
  }
  char buf[kMaxText];
  const char* r = nullptr;
  if (family == 6) {
    r = inet_ntop(AF_INET6, bytes.data(), buf, sizeof(buf));
  }
  if (r == nullptr) return 0;
  size_t n = std::strlen(buf);
  std::memcpy(out, buf, n);
  return n;
}

std::string IpAddress::ToString() const {
  char buf[kMaxText];
  return std::string(buf, Format(buf));
}

}  // namespace vigil
