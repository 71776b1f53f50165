#include "rules/signature/byte_options.h"

#include <vector>

#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

Error Bad(std::string m) { return Error(ErrorCode::kParse, std::move(m)); }

// Offsets are 32-bit signed in Suricata (relative reads may step backwards).
constexpr int64_t kMaxOffset = 0x7fffffff;

// Parses an unsigned value that may be written in hex (0x...) as Suricata accepts for values
// and bitmasks.
Result<uint64_t> ParseNumber(std::string_view s, uint64_t limit) {
  s = Trim(s);
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    uint64_t v = 0;
    for (char c : s.substr(2)) {
      int d = (c >= '0' && c <= '9') ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) return Bad("not a hex number: '" + std::string(s) + "'");
      if (v > (limit >> 4)) return Bad("number '" + std::string(s) + "' is too large");
      v = (v << 4) | static_cast<uint64_t>(d);
    }
    if (v > limit) return Bad("number '" + std::string(s) + "' is too large");
    return v;
  }
  return ParseUnsigned(s, limit);
}

// Applies the flags after the positional arguments. `extra` handles keyword-specific words and
// returns true when it consumed one.
template <typename Extra>
Status ParseFlags(const std::vector<std::string_view>& parts, size_t first, ByteCommon* c,
                  const char* keyword, Extra extra) {
  bool endian_set = false, string_set = false;
  for (size_t i = first; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (p.empty()) return Bad(std::string(keyword) + ": empty argument");
    if (p == "relative") {
      if (c->relative) return Bad(std::string(keyword) + ": 'relative' repeated");
      c->relative = true;
    } else if (p == "big" || p == "little" || p == "dce") {
      if (endian_set) return Bad(std::string(keyword) + ": endianness given twice");
      endian_set = true;
      c->endian = p == "big" ? ByteEndian::kBig : p == "little" ? ByteEndian::kLittle : ByteEndian::kDce;
    } else if (p == "string") {
      if (string_set) return Bad(std::string(keyword) + ": 'string' repeated");
      string_set = true;
      if (c->base == NumberBase::kBinary) c->base = NumberBase::kDec;
    } else if (p == "hex" || p == "dec" || p == "oct") {
      c->base = p == "hex" ? NumberBase::kHex : p == "dec" ? NumberBase::kDec : NumberBase::kOct;
      if (!string_set) {
        // Suricata accepts the base before "string" too; it only means something with it.
        bool later = false;
        for (size_t j = i + 1; j < parts.size(); ++j) later |= parts[j] == "string";
        if (!later) return Bad(std::string(keyword) + ": '" + std::string(p) + "' needs 'string'");
      }
    } else if (p.starts_with("bitmask")) {
      if (c->bitmask) return Bad(std::string(keyword) + ": bitmask repeated");
      VIGIL_TRY(uint64_t m, ParseNumber(p.substr(7), 0xffffffffu));
      if (m == 0) return Bad(std::string(keyword) + ": bitmask 0 masks everything");
      c->bitmask = static_cast<uint32_t>(m);
    } else {
      VIGIL_TRY(bool used, extra(p));
      if (!used) return Bad(std::string(keyword) + ": unknown argument '" + std::string(p) + "'");
    }
  }
  if (c->base != NumberBase::kBinary && c->endian == ByteEndian::kDce) {
    return Bad(std::string(keyword) + ": 'dce' cannot be used with 'string'");
  }
  uint64_t max_bytes = c->base == NumberBase::kBinary ? 8 : 23;
  // With 'string', 0 bytes means "the number that is there, up to 23 digits" (ET uses it with
  // http.content_len); a binary read of 0 bytes means nothing.
  const bool zero_ok = c->base != NumberBase::kBinary;
  if (c->num_bytes_var.empty() && ((c->num_bytes == 0 && !zero_ok) || c->num_bytes > max_bytes)) {
    return Bad(std::string(keyword) + ": number of bytes must be 1.." + std::to_string(max_bytes) +
               (c->base == NumberBase::kBinary ? " (up to 23 with 'string')" : "") + ", not " +
               std::to_string(c->num_bytes));
  }
  return Ok();
}

Result<uint8_t> ParseNumBytes(std::string_view s) {
  VIGIL_TRY(uint64_t n, ParseUnsigned(s, 255));
  return static_cast<uint8_t>(n);
}

}  // namespace

Result<ByteTestMatch> ParseByteTest(std::string_view value) {
  auto parts = SplitTrim(value, ',');
  if (parts.size() < 4) return Bad("byte_test needs <bytes>,<operator>,<value>,<offset>");
  ByteTestMatch m;
  VIGIL_TRY(IntOrVar nb, ParseIntOrVar(parts[0], 0, 255));
  if (nb.is_var()) m.common.num_bytes_var = nb.var;
  m.common.num_bytes = static_cast<uint8_t>(nb.value);
  std::string_view op = parts[1];
  if (!op.empty() && op[0] == '!') {
    m.negated = true;
    op = Trim(op.substr(1));
  }
  if (op == "<") m.op = ByteTestOp::kLt;
  else if (op == ">") m.op = ByteTestOp::kGt;
  else if (op == "=") m.op = ByteTestOp::kEq;
  else if (op == "<=") m.op = ByteTestOp::kLe;
  else if (op == ">=") m.op = ByteTestOp::kGe;
  else if (op == "&") m.op = ByteTestOp::kAnd;
  else if (op == "^") m.op = ByteTestOp::kXor;
  else return Bad("byte_test: unknown operator '" + std::string(parts[1]) + "'");
  std::string_view val = parts[2];
  if (!val.empty() && ((val[0] >= 'a' && val[0] <= 'z') || (val[0] >= 'A' && val[0] <= 'Z') || val[0] == '_')) {
    VIGIL_TRY(m.value, ParseIntOrVar(val, 0, 0));
  } else {
    VIGIL_TRY(uint64_t n, ParseNumber(val, ~uint64_t{0} >> 1));
    m.value.value = static_cast<int64_t>(n);
  }
  VIGIL_TRY(m.common.offset, ParseIntOrVar(parts[3], -kMaxOffset, kMaxOffset));
  VIGIL_CHECK_OK(ParseFlags(parts, 4, &m.common, "byte_test", [](std::string_view) -> Result<bool> { return false; }));
  return m;
}

Result<ByteJumpMatch> ParseByteJump(std::string_view value) {
  auto parts = SplitTrim(value, ',');
  if (parts.size() < 2) return Bad("byte_jump needs <bytes>,<offset>");
  ByteJumpMatch m;
  VIGIL_TRY(IntOrVar nb, ParseIntOrVar(parts[0], 0, 255));
  if (nb.is_var()) m.common.num_bytes_var = nb.var;
  m.common.num_bytes = static_cast<uint8_t>(nb.value);
  VIGIL_TRY(m.common.offset, ParseIntOrVar(parts[1], -kMaxOffset, kMaxOffset));
  auto extra = [&m](std::string_view p) -> Result<bool> {
    if (p == "align") {
      m.align = true;
    } else if (p == "from_beginning") {
      if (m.from_end) return Bad("byte_jump: from_beginning and from_end both given");
      m.from_beginning = true;
    } else if (p == "from_end") {
      if (m.from_beginning) return Bad("byte_jump: from_beginning and from_end both given");
      m.from_end = true;
    } else if (p.starts_with("multiplier")) {
      VIGIL_TRY(uint64_t n, ParseUnsigned(p.substr(10), 65535));
      if (n == 0) return Bad("byte_jump: multiplier must be at least 1");
      m.multiplier = static_cast<uint32_t>(n);
    } else if (p.starts_with("post_offset")) {
      VIGIL_TRY(int64_t n, ParseSigned(p.substr(11), -kMaxOffset, kMaxOffset));
      m.post_offset = static_cast<int32_t>(n);
    } else {
      return false;
    }
    return true;
  };
  VIGIL_CHECK_OK(ParseFlags(parts, 2, &m.common, "byte_jump", extra));
  return m;
}

Result<ByteExtractMatch> ParseByteExtract(std::string_view value) {
  auto parts = SplitTrim(value, ',');
  if (parts.size() < 3) return Bad("byte_extract needs <bytes>,<offset>,<name>");
  ByteExtractMatch m;
  VIGIL_TRY(m.common.num_bytes, ParseNumBytes(parts[0]));
  VIGIL_TRY(IntOrVar off, ParseIntOrVar(parts[1], -kMaxOffset, kMaxOffset));
  if (off.is_var()) return Bad("byte_extract: the offset must be a number");
  m.common.offset = off;
  std::string_view name = parts[2];
  if (name.empty() || !IsIdentifier(name) || (name[0] >= '0' && name[0] <= '9') || name[0] == '-') {
    return Bad("byte_extract: invalid variable name '" + std::string(name) + "'");
  }
  m.name = std::string(name);
  auto extra = [&m](std::string_view p) -> Result<bool> {
    if (p.starts_with("multiplier")) {
      VIGIL_TRY(uint64_t n, ParseUnsigned(p.substr(10), 65535));
      if (n == 0) return Bad("byte_extract: multiplier must be at least 1");
      m.multiplier = static_cast<uint32_t>(n);
    } else if (p.starts_with("align")) {
      VIGIL_TRY(uint64_t n, ParseUnsigned(p.substr(5), 4));
      if (n != 2 && n != 4) return Bad("byte_extract: align must be 2 or 4");
      m.align = static_cast<uint8_t>(n);
    } else {
      return false;
    }
    return true;
  };
  VIGIL_CHECK_OK(ParseFlags(parts, 3, &m.common, "byte_extract", extra));
  return m;
}

}  // namespace vigil::rules
