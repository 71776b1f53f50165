// Timespans in correlation rules: "number + lowercase unit" as the Sigma correlation spec says
// ("30s", "5m", "1h", "7d"), plus "ms" and "w" as Vigil extensions. A timespan is a positive
// duration of at most kMaxTimespanNs; anything else is a rule error.
//
//   Result<int64_t> ns = ParseTimespan("5m");   // 300'000'000'000
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

// One year: windows longer than that would hold state far beyond any retention we run.
inline constexpr int64_t kMaxTimespanNs = 366LL * 24 * 3600 * 1'000'000'000;

// Nanoseconds, or an error whose message says what is wrong with the text (no location: the
// caller adds file:line:col).
Result<int64_t> ParseTimespan(std::string_view text);
// The shortest exact form: 300'000'000'000 -> "5m", 90 s -> "90s", 1500 ms -> "1500ms".
std::string FormatTimespan(int64_t ns);

}  // namespace vigil
