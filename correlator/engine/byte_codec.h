// ByteWriter / ByteReader: the little binary format of engine checkpoints.
//
// Fixed-width little-endian integers, doubles as their IEEE bits (so a restored running sum is
// bit-for-bit the saved one), and length-prefixed strings. Version 2 of the checkpoint adds
// LEB128 varints (7 bits a byte, low first, high bit = more follows; at most 10 bytes for 64
// bits), zigzag for signed values (0, -1, 1, -2 .. -> 0, 1, 2, 3 ..) and varint-prefixed strings.
// The reader checks every length against what is left before reading, so corrupt or truncated
// bytes give an error, never a read past the end; a varint longer than 10 bytes or over 64 bits
// is an error too.
//
//   ByteWriter w; w.U64(42); w.VarI64(-3); w.VarStr("key");
//   ByteReader r(w.bytes()); uint64_t v; int64_t d; std::string s;
//   if (!r.U64(&v) || !r.VarI64(&d) || !r.VarStr(&s)) return r.error();
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

inline constexpr uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline constexpr int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>((v >> 1) ^ (0 - (v & 1)));
}
// b - a and a + d with two's-complement wrap-around (no signed overflow): delta-coding any two
// int64 values, kNever included, round-trips exactly.
inline constexpr int64_t WrapSub(int64_t b, int64_t a) {
  return static_cast<int64_t>(static_cast<uint64_t>(b) - static_cast<uint64_t>(a));
}
inline constexpr int64_t WrapAdd(int64_t a, int64_t d) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(d));
}

class ByteWriter {
 public:
  ByteWriter() : out_(&own_) {}
  // Appends to *out (which must outlive the writer) instead of a string of its own.
  explicit ByteWriter(std::string* out) : out_(out) {}
  ByteWriter(const ByteWriter&) = delete;
  ByteWriter& operator=(const ByteWriter&) = delete;

  void U8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Raw(&v, sizeof v); }
  void U64(uint64_t v) { Raw(&v, sizeof v); }
  void I64(int64_t v) { Raw(&v, sizeof v); }
  void F64(double v) { Raw(&v, sizeof v); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_->append(s);
  }
  void VarU64(uint64_t v) {
    char buf[kMaxVarBytes];
    out_->append(buf, PutVarU64(buf, v) - buf);
  }
  void VarI64(int64_t v) { VarU64(ZigZag(v)); }
  void VarStr(std::string_view s) {
    VarU64(s.size());
    out_->append(s);
  }
  std::string& bytes() { return *out_; }

  // Bulk writing: Begin(max) makes room for up to max bytes (the string grows geometrically and
  // keeps its capacity between checkpoints), the caller writes through the returned cursor with
  // the Put* functions (no size check per byte), and Commit(cursor) keeps what was written.
  //   char* p = w.Begin(2 * kMaxVarBytes); p = PutVarI64(p, dt); p = PutVarU64(p, id); w.Commit(p);
  static constexpr size_t kMaxVarBytes = 10;
  char* Begin(size_t max_bytes) {
    const size_t n = out_->size();
    out_->resize(n + max_bytes);
    return out_->data() + n;
  }
  void Commit(const char* end) { out_->resize(static_cast<size_t>(end - out_->data())); }
  static char* PutVarU64(char* p, uint64_t v) {
    while (v >= 0x80) {
      *p++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    return p;
  }
  static char* PutVarI64(char* p, int64_t v) { return PutVarU64(p, ZigZag(v)); }
  static char* PutU64(char* p, uint64_t v) {
    std::memcpy(p, &v, sizeof v);
    return p + sizeof v;
  }
  static char* PutBytes(char* p, std::string_view s) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return p + s.size();
  }

 private:
  // Checkpoints are read back on the same machine class; x86-64 and arm64 are little-endian.
  void Raw(const void* p, size_t n) { out_->append(static_cast<const char*>(p), n); }
  std::string own_;
  std::string* out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  bool U8(uint8_t* v) { return Raw(v, sizeof *v); }
  bool U32(uint32_t* v) { return Raw(v, sizeof *v); }
  bool U64(uint64_t* v) { return Raw(v, sizeof *v); }
  bool I64(int64_t* v) { return Raw(v, sizeof *v); }
  bool F64(double* v) { return Raw(v, sizeof *v); }
  bool Str(std::string* s, uint32_t max_len = 1u << 20) {
    uint32_t n = 0;
    if (!U32(&n)) return false;
    if (n > max_len || n > in_.size() - pos_) return Fail("string length out of range");
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool VarU64(uint64_t* v) {
    uint64_t x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ == in_.size()) return Fail("truncated varint");
      const uint8_t b = static_cast<uint8_t>(in_[pos_++]);
      // The 10th byte holds bit 63 only.
      if (shift == 63 && b > 1) return Fail("varint overflows 64 bits");
      x |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        *v = x;
        return true;
      }
    }
    return Fail("varint overflows 64 bits");
  }
  bool VarU32(uint32_t* v) {
    uint64_t x = 0;
    if (!VarU64(&x)) return false;
    if (x > UINT32_MAX) return Fail("varint overflows 32 bits");
    *v = static_cast<uint32_t>(x);
    return true;
  }
  bool VarI64(int64_t* v) {
    uint64_t x = 0;
    if (!VarU64(&x)) return false;
    *v = UnZigZag(x);
    return true;
  }
  bool VarStr(std::string* s, uint32_t max_len = 1u << 20) {
    uint64_t n = 0;
    if (!VarU64(&n)) return false;
    if (n > max_len || n > in_.size() - pos_) return Fail("string length out of range");
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  // A count of items that each take at least min_item_bytes: rejects counts the input cannot hold.
  bool Count(uint64_t* n, size_t min_item_bytes) { return U64(n) && CountFits(*n, min_item_bytes); }
  bool VarCount(uint64_t* n, size_t min_item_bytes) { return VarU64(n) && CountFits(*n, min_item_bytes); }
  bool CountFits(uint64_t n, size_t min_item_bytes) {
    if (min_item_bytes > 0 && n > (in_.size() - pos_) / min_item_bytes) return Fail("count out of range");
    return true;
  }
  bool Fail(const char* why) {
    if (error_ == nullptr) error_ = why;
    return false;
  }
  bool done() const { return pos_ == in_.size(); }
  Error error() const {
    return Error(ErrorCode::kCorrupt, std::string("bad checkpoint at byte ") + std::to_string(pos_) + ": " +
                                          (error_ ? error_ : "truncated"));
  }

 private:
  bool Raw(void* p, size_t n) {
    if (n > in_.size() - pos_) return Fail("truncated");
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
  const char* error_ = nullptr;
};

}  // namespace vigil
