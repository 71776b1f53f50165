// Size checks (isdataat, bsize, dsize, urilen) and base64_decode, which reads a span of the
// buffer the same way.
//
//   isdataat:!1,relative;   data at position N exists (or not, with '!'), optionally relative
//                           to the previous match; N may be a byte_extract variable
//   bsize:<64;              the current buffer's length (IntegerMatch syntax)
//   dsize:>1000;            the packet payload's length
//   urilen:5<>10,raw;       the URI's length, normalized (default) or raw
#pragma once

#include <cstddef>

#include "core/result.h"
#include "rules/signature/integer_match.h"

namespace vigil::rules {

struct IsDataAtMatch {
  IntOrVar position;
  bool negated = false;
  bool relative = false;
  bool rawbytes = false;
  size_t source_offset = 0;
};

struct BsizeMatch {
  IntegerMatch size;
  size_t source_offset = 0;
};

// base64_decode: decode base64 from the buffer for base64_data to inspect.
//   base64_decode:bytes 100,offset 0,relative;   (every argument optional)
struct Base64DecodeMatch {
  uint32_t bytes = 0;   // 0: to the end of the buffer
  uint32_t offset = 0;
  bool relative = false;
  size_t source_offset = 0;
};

struct UrilenOption {
  IntegerMatch length;
  bool raw = false;
};

Result<IsDataAtMatch> ParseIsDataAt(std::string_view value);
Result<BsizeMatch> ParseBsize(std::string_view value);
Result<IntegerMatch> ParseDsize(std::string_view value);
Result<UrilenOption> ParseUrilen(std::string_view value);
Result<Base64DecodeMatch> ParseBase64Decode(std::string_view value);

}  // namespace vigil::rules
