// byte_test, byte_jump and byte_extract: read a number from the buffer and compare it, skip by
// it, or keep it in a variable for later keywords.
//
//   byte_test:4,>,1000,0,relative,little;          byte_test:<bytes>,[!]<op>,<value>,<offset>,...
//   byte_jump:4,12,relative,little,multiplier 2;   byte_jump:<bytes>,<offset>,...
//   byte_extract:2,0,len,relative;                 byte_extract:<bytes>,<offset>,<name>,...
//
// Shared flags: relative, big|little, dce, string followed by hex|dec|oct, bitmask N.
// byte_jump adds multiplier N, align, from_beginning|from_end, post_offset N; byte_extract adds
// multiplier N and align 2|4. <value> and <offset> may name a byte_extract variable; the rule
// parser checks that the variable was extracted earlier in the rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "rules/signature/integer_match.h"

namespace vigil::rules {

enum class ByteEndian : uint8_t { kBig, kLittle, kDce };
enum class NumberBase : uint8_t { kBinary, kDec, kHex, kOct };  // kBinary: not a string number

struct ByteCommon {
  uint8_t num_bytes = 0;
  std::string num_bytes_var;  // byte_test/byte_jump: the count may be a byte_extract variable
  IntOrVar offset;
  bool relative = false;
  ByteEndian endian = ByteEndian::kBig;
  NumberBase base = NumberBase::kBinary;
  std::optional<uint32_t> bitmask;
};

enum class ByteTestOp : uint8_t { kLt, kGt, kEq, kLe, kGe, kAnd, kXor };

struct ByteTestMatch {
  ByteCommon common;
  ByteTestOp op = ByteTestOp::kEq;
  bool negated = false;
  IntOrVar value;
  size_t source_offset = 0;
};

struct ByteJumpMatch {
  ByteCommon common;
  uint32_t multiplier = 1;
  bool align = false;  // round the jump up to a multiple of 4
  bool from_beginning = false;
  bool from_end = false;
  int32_t post_offset = 0;
  size_t source_offset = 0;
};

struct ByteExtractMatch {
  ByteCommon common;
  std::string name;  // the variable it defines
  uint32_t multiplier = 1;
  uint8_t align = 0;  // 0, 2 or 4
  size_t source_offset = 0;
};

Result<ByteTestMatch> ParseByteTest(std::string_view value);
Result<ByteJumpMatch> ParseByteJump(std::string_view value);
Result<ByteExtractMatch> ParseByteExtract(std::string_view value);

}  // namespace vigil::rules
