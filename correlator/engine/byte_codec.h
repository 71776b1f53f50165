// ByteWriter / ByteReader: the little binary format of engine checkpoints.
//
// Fixed-width little-endian integers, doubles as their IEEE bits (so a restored running sum is
// bit-for-bit the saved one), and length-prefixed strings. The reader checks every length
// against what is left before reading, so corrupt or truncated bytes give an error, never a
// read past the end.
//
//   ByteWriter w; w.U64(42); w.Str("key");
//   ByteReader r(w.bytes()); uint64_t v; std::string s;
//   if (!r.U64(&v) || !r.Str(&s)) return r.error();
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil {

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
  std::string& bytes() { return *out_; }

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
  // A count of items that each take at least min_item_bytes: rejects counts the input cannot hold.
  bool Count(uint64_t* n, size_t min_item_bytes) {
    if (!U64(n)) return false;
    if (min_item_bytes > 0 && *n > (in_.size() - pos_) / min_item_bytes) return Fail("count out of range");
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
