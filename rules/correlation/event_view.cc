#include "rules/correlation/event_view.h"

#include <charconv>
#include <cmath>

namespace vigil {

FieldPath::FieldPath(std::string text) : text_(std::move(text)), hash_(Hash(text_)) {
  size_t start = 0;
  while (start <= text_.size()) {
    size_t dot = text_.find('.', start);
    if (dot == std::string::npos) dot = text_.size();
    segments_.emplace_back(text_.substr(start, dot - start));
    start = dot + 1;
  }
}

uint64_t FieldPath::Hash(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

bool FieldPath::Valid(std::string_view text) {
  if (text.empty() || text.size() > 256) return false;
  if (text.front() == '.' || text.back() == '.') return false;
  char prev = 0;
  for (char c : text) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (c == '.' && prev == '.') return false;
    prev = c;
  }
  return true;
}

std::string_view FormatNumber(double d, char (&buf)[32]) {
  // Integral values that fit an int64 print without a fraction, as JSON writers emit them.
  if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.0e18) {
    auto r = std::to_chars(buf, buf + sizeof(buf), static_cast<int64_t>(d));
    return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
  }
  auto r = std::to_chars(buf, buf + sizeof(buf), d);
  return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

}  // namespace vigil
