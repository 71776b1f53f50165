// IntegerMatch: a comparison of one unsigned number against a rule's operand, the shape shared by
// dsize, bsize, urilen, itype, icode, ttl, icmp_id, icmp_seq, id, window, seq, ack and
// stream_size.
//
// Suricata's syntax (detect-engine-uint): "N" or "=N" equal, "!N" not equal, "<N", "<=N", ">N",
// ">=N", and two ranges with *exclusive* bounds, "A<>B" and "A-B" (A < v < B); "!A<>B" negates
// the range.
//
//   auto m = ParseIntegerMatch("10<>20", 65535);   // Result<IntegerMatch>
//   m->Matches(15);  // true
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::rules {

enum class IntOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kRange, kNotRange };

struct IntegerMatch {
  IntOp op = IntOp::kEq;
  uint64_t value = 0;  // the operand; the lower bound of a range
  uint64_t max = 0;    // the upper bound of a range

  bool Matches(uint64_t v) const {
    switch (op) {
      case IntOp::kEq: return v == value;
      case IntOp::kNe: return v != value;
      case IntOp::kLt: return v < value;
      case IntOp::kLe: return v <= value;
      case IntOp::kGt: return v > value;
      case IntOp::kGe: return v >= value;
      case IntOp::kRange: return v > value && v < max;
      case IntOp::kNotRange: return !(v > value && v < max);
    }
    return false;
  }
  std::string ToString() const;
  friend bool operator==(const IntegerMatch&, const IntegerMatch&) = default;
};

// A numeric rule argument that may instead name a byte_extract variable (offset, depth,
// distance, within, isdataat, byte_test's value...).
struct IntOrVar {
  int64_t value = 0;
  std::string var;  // non-empty: the value comes from this byte_extract variable at match time
  bool is_var() const { return !var.empty(); }
  friend bool operator==(const IntOrVar&, const IntOrVar&) = default;
};

// Parses `text` (surrounding whitespace allowed); operands above `limit` are an error.
Result<IntegerMatch> ParseIntegerMatch(std::string_view text, uint64_t limit);

// Parses a plain unsigned decimal number no greater than `limit` (whitespace trimmed).
Result<uint64_t> ParseUnsigned(std::string_view text, uint64_t limit);
// Parses a signed decimal number within [lo, hi] (whitespace trimmed).
Result<int64_t> ParseSigned(std::string_view text, int64_t lo, int64_t hi);
// A number in [lo, hi], or a variable name (which must start with a letter or '_').
Result<IntOrVar> ParseIntOrVar(std::string_view text, int64_t lo, int64_t hi);

}  // namespace vigil::rules
