#include "core/time.h"

#include <chrono>
#include <ctime>

namespace vigil {
namespace {

void Put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// Days since 1970-01-01 to civil date (Howard Hinnant's algorithm, public domain description).
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

void Timestamp::WriteEve(char* out) const {
  int64_t secs = ns / kNanosPerSecond;
  int64_t rem = ns % kNanosPerSecond;
  if (rem < 0) {
    rem += kNanosPerSecond;
    --secs;
  }
  int64_t days = secs / 86400;
  int64_t sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    --days;
  }
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  if (year < 0) year = 0;
  if (year > 9999) year = 9999;
  int y = static_cast<int>(year);
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + (y / 100) % 10);
  out[2] = static_cast<char>('0' + (y / 10) % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  Put2(out + 5, static_cast<int>(month));
  out[7] = '-';
  Put2(out + 8, static_cast<int>(day));
  out[10] = 'T';
  Put2(out + 11, static_cast<int>(sod / 3600));
  out[13] = ':';
  Put2(out + 14, static_cast<int>((sod / 60) % 60));
  out[16] = ':';
  Put2(out + 17, static_cast<int>(sod % 60));
  out[19] = '.';
  int64_t us = rem / 1000;
  for (int i = 25; i >= 20; --i) {
    out[i] = static_cast<char>('0' + us % 10);
    us /= 10;
  }
  out[26] = '+';
  out[27] = '0';
  out[28] = '0';
  out[29] = '0';
  out[30] = '0';
}

std::string Timestamp::ToEve() const {
  std::string s(kEveLength, '\0');
  WriteEve(s.data());
  return s;
}

Result<Timestamp> Timestamp::Parse(std::string_view t) {
  auto bad = [&](const char* why) {
    return Error(ErrorCode::kParse, std::string("bad timestamp '") +
                                        std::string(t.substr(0, 64)) + "': " + why);
  };
  auto digits = [&](size_t pos, size_t n, int* out) {
    if (pos + n > t.size()) return false;
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
      char c = t[pos + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h, mi, s;
  if (!digits(0, 4, &y) || t.size() < 19 || t[4] != '-' || !digits(5, 2, &mo) || t[7] != '-' ||
      !digits(8, 2, &d) || (t[10] != 'T' && t[10] != ' ') || !digits(11, 2, &h) || t[13] != ':' ||
      !digits(14, 2, &mi) || t[16] != ':' || !digits(17, 2, &s)) {
    return bad("expected YYYY-MM-DDTHH:MM:SS");
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return bad("field out of range");
  }
  size_t pos = 19;
  int64_t frac_ns = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    int64_t scale = 100'000'000;
    size_t start = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (scale > 0) {
        frac_ns += (t[pos] - '0') * scale;
        scale /= 10;
      }
      ++pos;
    }
    if (pos == start) return bad("empty fraction");
  }
  int64_t offset_s = 0;
  if (pos < t.size()) {
    char c = t[pos];
    if (c == 'Z' || c == 'z') {
      ++pos;
    } else if (c == '+' || c == '-') {
      int oh, om;
      if (!digits(pos + 1, 2, &oh)) return bad("bad zone offset");
      size_t mpos = pos + 3;
      if (mpos < t.size() && t[mpos] == ':') ++mpos;
      if (!digits(mpos, 2, &om)) return bad("bad zone offset");
      offset_s = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
      pos = mpos + 2;
    } else {
      return bad("unexpected character after seconds");
    }
  }
  if (pos != t.size()) return bad("trailing characters");
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_s;
  int64_t ns = 0;  // nanoseconds since 1970 fit in int64 for years 1678..2261 only
  if (__builtin_mul_overflow(secs, kNanosPerSecond, &ns) || __builtin_add_overflow(ns, frac_ns, &ns)) {
    return bad("time out of range (years 1678 to 2261)");
  }
  return Timestamp{ns};
}

Timestamp WallClock::Now() const {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()};
}

int64_t MonotonicNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace vigil
