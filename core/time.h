// Time in Vigil: one type, Timestamp, nanoseconds since the Unix epoch (UTC).
//
// Two clocks matter. Packet time comes from the capture (pcap header); offline runs use it for
// every timeout and window so a replay gives the same result however fast it runs. Wall time is
// the machine's clock, used for live stats intervals and for transport timers. Code that needs
// "now" takes a Clock so tests can drive it.
//
//   Timestamp t = Timestamp::FromTimeval(hdr->ts.tv_sec, hdr->ts.tv_usec);
//   std::string s = t.ToEve();   // "2024-01-01T12:00:00.123456+0000" as Suricata writes it
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

struct Timestamp {
  int64_t ns = 0;  // nanoseconds since 1970-01-01T00:00:00Z

  static constexpr Timestamp FromTimeval(int64_t sec, int64_t usec) {
    return Timestamp{sec * 1'000'000'000 + usec * 1'000};
  }
  static constexpr Timestamp FromSeconds(int64_t sec) { return Timestamp{sec * 1'000'000'000}; }
  static constexpr Timestamp FromMillis(int64_t ms) { return Timestamp{ms * 1'000'000}; }
  static constexpr Timestamp FromMicros(int64_t us) { return Timestamp{us * 1'000}; }

  constexpr int64_t seconds() const { return ns >= 0 ? ns / 1'000'000'000 : -((-ns + 999'999'999) / 1'000'000'000); }
  constexpr int64_t micros() const { return ns / 1'000; }
  constexpr int64_t millis() const { return ns / 1'000'000; }

  // Suricata's EVE timestamp: local-free, always UTC, microseconds: "2024-01-01T12:00:00.123456+0000".
  // Writes exactly kEveLength characters into out.
  static constexpr size_t kEveLength = 31;
  void WriteEve(char* out) const;
  std::string ToEve() const;
  // Parses ISO 8601 / RFC 3339 as found in EVE ("...T12:00:00.123456+0000", "...Z", "+01:00").
  static Result<Timestamp> Parse(std::string_view text);

  friend constexpr auto operator<=>(Timestamp, Timestamp) = default;
};

// Durations are plain nanosecond counts.
inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr int64_t kNanosPerMilli = 1'000'000;

constexpr Timestamp operator+(Timestamp t, int64_t d_ns) { return Timestamp{t.ns + d_ns}; }
constexpr int64_t operator-(Timestamp a, Timestamp b) { return a.ns - b.ns; }

// Source of "now". WallClock reads the system clock; ManualClock is set by hand (tests, and
// offline runs that advance time from packets).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class WallClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// Monotonic nanoseconds for measuring durations (not a date).
int64_t MonotonicNanos();

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = {}) : now_(start) {}
  Timestamp Now() const override { return now_; }
  void Set(Timestamp t) { now_ = t; }
  void Advance(int64_t d_ns) { now_.ns += d_ns; }

 private:
  Timestamp now_;
};

}  // namespace vigil
