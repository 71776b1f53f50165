#include "core/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace vigil {
namespace {

// What each byte needs inside a JSON string:
//   0      plain, copied as is
//   'u'    \u00XX
//   other  two-character escape: backslash + that letter
//   kHigh  >= 0x80: plain if the string is valid UTF-8, \xNN text otherwise
constexpr uint8_t kHigh = 1;

constexpr std::array<uint8_t, 256> MakeEscapeTable() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['"'] = '"';
  t['\\'] = '\\';
  t[0x7f] = 'u';
  for (int c = 0x80; c < 0x100; ++c) t[c] = kHigh;
  return t;
}
constexpr std::array<uint8_t, 256> kEscape = MakeEscapeTable();
constexpr char kHex[] = "0123456789abcdef";

// SWAR tests of 8 bytes at once (the classic has-zero-byte / has-less-than tricks, exact for
// "is there any such byte"), so a false result lets us skip all 8 bytes.
constexpr uint64_t k01 = 0x0101010101010101ULL;
constexpr uint64_t k80 = 0x8080808080808080ULL;
inline uint64_t HasZero(uint64_t v) { return (v - k01) & ~v & k80; }
// Any byte < 0x20, '"', '\\' or 0x7f: needs an escape whatever the string's encoding.
inline bool AnyAsciiSpecial(uint64_t x) {
  uint64_t lt20 = (x - k01 * 0x20) & ~x & k80;
  return (lt20 | HasZero(x ^ (k01 * '"')) | HasZero(x ^ (k01 * '\\')) |
          HasZero(x ^ (k01 * 0x7f))) != 0;
}
// The same or any byte >= 0x80 (used until the string's UTF-8 validity is known).
inline bool AnySpecial(uint64_t x) { return (x & k80) != 0 || AnyAsciiSpecial(x); }

}  // namespace

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint8_t lo = 0x80, hi = 0xbf;  // allowed range of the second byte (Unicode Table 3-7)
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0;  // no overlongs
      if (c == 0xed) hi = 0x9f;  // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90;  // no overlongs
      if (c == 0xf4) hi = 0x8f;  // nothing above U+10FFFF
    } else {
      return false;  // continuation byte, overlong 0xc0/0xc1, or 0xf5..0xff
    }
    if (n - i < len) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

void JsonWriter::AppendEscaped(std::string& out, std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  size_t run = 0;          // start of the pending run of plain bytes
  int utf8 = -1;           // -1 unknown, 1 valid (high bytes plain), 0 invalid (high bytes \xNN)
  while (i < n) {
    // Fast path: skip 8 bytes at a time that need nothing (in a string known to be valid
    // UTF-8, high bytes need nothing either).
    if (utf8 == 1) {
      while (i + 8 <= n) {
        uint64_t x;
        std::memcpy(&x, p + i, 8);
        if (AnyAsciiSpecial(x)) break;
        i += 8;
      }
    } else {
      while (i + 8 <= n) {
        uint64_t x;
        std::memcpy(&x, p + i, 8);
        if (AnySpecial(x)) break;
        i += 8;
      }
    }
    if (i >= n) break;
    if (n - i < 8) {
      // Tail shorter than a word (most keys and many values): test it in one go, padded with
      // a plain byte.
      uint64_t x = 0x6161616161616161ULL;  // "aaaaaaaa"
      std::memcpy(&x, p + i, n - i);
      if (!(utf8 == 1 ? AnyAsciiSpecial(x) : AnySpecial(x))) {
        i = n;
        break;
      }
    }
    const uint8_t c = p[i];
    const uint8_t e = kEscape[c];
    if (e == 0) {
      ++i;
      continue;
    }
    if (e == kHigh) {
      if (utf8 < 0) {
        // Everything before i is ASCII, so the whole string is valid iff the rest is.
        utf8 = IsValidUtf8(s.substr(i)) ? 1 : 0;
      }
      if (utf8 == 1) {
        ++i;
        continue;
      }
      out.append(s.data() + run, i - run);
      const char esc[5] = {'\\', '\\', 'x', kHex[c >> 4], kHex[c & 0xf]};
      out.append(esc, 5);
      run = ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    if (e == 'u') {
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out.append(esc, 6);
    } else {
      const char esc[2] = {'\\', static_cast<char>(e)};
      out.append(esc, 2);
    }
    run = ++i;
  }
  out.append(s.data() + run, n - run);
}

JsonWriter::JsonWriter(const JsonWriterConfig& config)
    : max_depth_(config.max_depth > kMaxDepthLimit ? kMaxDepthLimit : config.max_depth) {
  out_.reserve(config.initial_capacity);
}

void JsonWriter::Clear() {
  out_.clear();
  depth_ = 0;
  top_ = kTopEmpty;
  error_ = nullptr;
}

void JsonWriter::Fail(const char* why) {
  if (error_ == nullptr) error_ = why;
}

Status JsonWriter::status() const {
  if (error_ != nullptr) return Error(ErrorCode::kInvalidArgument, std::string("json: ") + error_);
  return Ok();
}

bool JsonWriter::BeforeValue() {
  if (error_ != nullptr) return false;
  if (depth_ == 0) {
    if (top_ == kTopDone) {
      Fail("second top-level value without Newline()");
      return false;
    }
    top_ = kTopDone;
    return true;
  }
  State& st = stack_[depth_ - 1];
  switch (st) {
    case kObjectAfterKey:
      st = kObjectNth;
      return true;
    case kArrayFirst:
      st = kArrayNth;
      return true;
    case kArrayNth:
      out_.push_back(',');
      return true;
    case kObjectFirst:
    case kObjectNth:
      Fail("value in an object without a key");
      return false;
  }
  return false;
}

void JsonWriter::Open(char c, State inner) {
  if (error_ != nullptr) return;
  if (depth_ >= max_depth_) {
    Fail("nesting deeper than max_depth");
    return;
  }
  if (!BeforeValue()) return;
  out_.push_back(c);
  stack_[depth_++] = inner;
}

void JsonWriter::Close(char c, bool object) {
  if (error_ != nullptr) return;
  if (depth_ == 0) {
    Fail("close without an open container");
    return;
  }
  State st = stack_[depth_ - 1];
  bool is_object = st == kObjectFirst || st == kObjectNth || st == kObjectAfterKey;
  if (is_object != object) {
    Fail(object ? "EndObject closes an array" : "EndArray closes an object");
    return;
  }
  if (st == kObjectAfterKey) {
    Fail("object closed after a key without a value");
    return;
  }
  out_.push_back(c);
  --depth_;
}

void JsonWriter::Key(std::string_view key) {
  if (error_ != nullptr) return;
  if (depth_ == 0) {
    Fail("key outside an object");
    return;
  }
  State& st = stack_[depth_ - 1];
  if (st == kObjectNth) {
    out_.push_back(',');
  } else if (st != kObjectFirst) {
    Fail(st == kObjectAfterKey ? "two keys in a row" : "key inside an array");
    return;
  }
  st = kObjectAfterKey;
  out_.push_back('"');
  AppendEscaped(out_, key);
  out_.append("\":", 2);
}

void JsonWriter::String(std::string_view s) {
  if (!BeforeValue()) return;
  out_.push_back('"');
  AppendEscaped(out_, s);
  out_.push_back('"');
}

void JsonWriter::Int(int64_t v) {
  if (!BeforeValue()) return;
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out_.append(buf, static_cast<size_t>(r.ptr - buf));
}

void JsonWriter::Uint(uint64_t v) {
  if (!BeforeValue()) return;
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out_.append(buf, static_cast<size_t>(r.ptr - buf));
}

void JsonWriter::Double(double v) {
  if (!BeforeValue()) return;
  if (!std::isfinite(v)) {
    out_.append("null", 4);
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out_.append(buf, static_cast<size_t>(r.ptr - buf));
}

void JsonWriter::Bool(bool v) {
  if (!BeforeValue()) return;
  if (v) {
    out_.append("true", 4);
  } else {
    out_.append("false", 5);
  }
}

void JsonWriter::Null() {
  if (!BeforeValue()) return;
  out_.append("null", 4);
}

void JsonWriter::Raw(std::string_view json) {
  if (!BeforeValue()) return;
  out_.append(json);
}

void JsonWriter::Newline() {
  if (error_ != nullptr) return;
  if (depth_ != 0 || top_ != kTopDone) {
    Fail("Newline() before the top-level value is complete");
    return;
  }
  out_.push_back('\n');
  top_ = kTopEmpty;
}

}  // namespace vigil
