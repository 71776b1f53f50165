#include "core/ip_address.h"

#include <arpa/inet.h>

namespace vigil {

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  char buf[kMaxText + 1];
  if (text.empty() || text.size() > kMaxText) {
    return Error(ErrorCode::kParse, "not an IP address: '" + std::string(text.substr(0, 64)) + "'");
  }
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  uint8_t raw[16];
  if (inet_pton(AF_INET, buf, raw) == 1) return V4(raw);
  if (inet_pton(AF_INET6, buf, raw) == 1) return V6(raw);
  return Error(ErrorCode::kParse, "not an IP address: '" + std::string(text) + "'");
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
