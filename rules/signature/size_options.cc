#include "rules/signature/size_options.h"

#include "rules/signature/option_lexer.h"

namespace vigil::rules {

Result<IsDataAtMatch> ParseIsDataAt(std::string_view value) {
  auto parts = SplitTrim(value, ',');
  IsDataAtMatch m;
  std::string_view pos = parts[0];
  if (!pos.empty() && pos[0] == '!') {
    m.negated = true;
    pos = Trim(pos.substr(1));
  }
  VIGIL_TRY(m.position, ParseIntOrVar(pos, 0, 65535));
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i] == "relative") {
      m.relative = true;
    } else if (parts[i] == "rawbytes") {
      m.rawbytes = true;
    } else {
      return Error(ErrorCode::kParse, "isdataat: unknown argument '" + std::string(parts[i]) + "'");
    }
  }
  return m;
}

Result<BsizeMatch> ParseBsize(std::string_view value) {
  BsizeMatch m;
  VIGIL_TRY(m.size, ParseIntegerMatch(value, 0xffffffffu));
  return m;
}

Result<IntegerMatch> ParseDsize(std::string_view value) { return ParseIntegerMatch(value, 65535); }

Result<UrilenOption> ParseUrilen(std::string_view value) {
  auto parts = SplitTrim(value, ',');
  if (parts.size() > 2) return Error(ErrorCode::kParse, "urilen takes <length>[,norm|raw]");
  UrilenOption u;
  VIGIL_TRY(u.length, ParseIntegerMatch(parts[0], 65535));
  if (parts.size() == 2) {
    if (parts[1] == "raw") {
      u.raw = true;
    } else if (parts[1] != "norm") {
      return Error(ErrorCode::kParse, "urilen: expected 'norm' or 'raw', not '" + std::string(parts[1]) + "'");
    }
  }
  return u;
}

Result<Base64DecodeMatch> ParseBase64Decode(std::string_view value) {
  Base64DecodeMatch m;
  if (Trim(value).empty()) return m;
  bool have_bytes = false, have_offset = false;
  for (std::string_view p : SplitTrim(value, ',')) {
    if (p == "relative") {
      if (m.relative) return Error(ErrorCode::kParse, "base64_decode: relative given twice");
      m.relative = true;
    } else if (p.starts_with("bytes")) {
      if (have_bytes) return Error(ErrorCode::kParse, "base64_decode: bytes given twice");
      have_bytes = true;
      VIGIL_TRY(uint64_t n, ParseUnsigned(p.substr(5), 0xffffffffu));
      if (n == 0) return Error(ErrorCode::kParse, "base64_decode: bytes must be at least 1");
      m.bytes = static_cast<uint32_t>(n);
    } else if (p.starts_with("offset")) {
      if (have_offset) return Error(ErrorCode::kParse, "base64_decode: offset given twice");
      have_offset = true;
      VIGIL_TRY(uint64_t n, ParseUnsigned(p.substr(6), 0xffffffffu));
      m.offset = static_cast<uint32_t>(n);
    } else {
      return Error(ErrorCode::kParse, "base64_decode: unknown argument '" + std::string(p) + "'");
    }
  }
  return m;
}

}  // namespace vigil::rules
