#include "rules/correlation/timespan.h"

#include <charconv>

namespace vigil {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t ns;
};
// Longest suffix first so "ms" is not read as "m".
constexpr Unit kUnits[] = {{"ms", 1'000'000},
                           {"s", 1'000'000'000},
                           {"m", 60LL * 1'000'000'000},
                           {"h", 3600LL * 1'000'000'000},
                           {"d", 86400LL * 1'000'000'000},
                           {"w", 7 * 86400LL * 1'000'000'000}};

}  // namespace

Result<int64_t> ParseTimespan(std::string_view text) {
  auto bad = [&](std::string why) {
    return Error(ErrorCode::kInvalidArgument,
                 "bad timespan '" + std::string(text.substr(0, 32)) + "': " + why);
  };
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return bad("expected a number followed by a unit (ms, s, m, h, d, w), e.g. 5m");
  std::string_view unit = text.substr(digits);
  for (const Unit& u : kUnits) {
    if (unit != u.suffix) continue;
    int64_t n = 0;
    auto r = std::from_chars(text.data(), text.data() + digits, n);
    if (r.ec != std::errc() || n > kMaxTimespanNs / u.ns) return bad("longer than 366d");
    if (n == 0) return bad("must be greater than zero");
    return n * u.ns;
  }
  if (unit.empty()) return bad("missing unit (ms, s, m, h, d, w)");
  return bad("unknown unit '" + std::string(unit.substr(0, 8)) + "' (use ms, s, m, h, d or w)");
}

std::string FormatTimespan(int64_t ns) {
  for (int i = static_cast<int>(std::size(kUnits)) - 1; i >= 0; --i) {
    if (ns % kUnits[i].ns == 0) return std::to_string(ns / kUnits[i].ns) + std::string(kUnits[i].suffix);
  }
  return std::to_string(ns) + "ns";
}

}  // namespace vigil
