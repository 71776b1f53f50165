// CheckJsonNesting: see json_nesting.h.
#include "correlator/ingest/json_nesting.h"

#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vigil::correlator {
namespace {

// The scan's state between bytes: inside a string, after a backslash inside one, and the open
// brackets on the stack.
struct Scan {
  uint32_t max_depth;
  std::string* stack;
  bool in_string = false;
  bool escaped = false;

  // One byte; false on an error (*result set).
  bool Byte(char c, NestingResult* result) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      return true;
    }
    switch (c) {
      case '"': in_string = true; return true;
      case '{':
      case '[': return Open(c, result);
      case '}':
      case ']': return Close(c, result);
      default: return true;
    }
  }
  bool Open(char c, NestingResult* result) {
    if (stack->size() >= max_depth) {
      *result = NestingResult::kTooDeep;
      return false;
    }
    stack->push_back(c);
    return true;
  }
  bool Close(char c, NestingResult* result) {
    if (stack->empty() || stack->back() != (c == '}' ? '{' : '[')) {
      *result = NestingResult::kUnbalanced;
      return false;
    }
    stack->pop_back();
    return true;
  }
  NestingResult End() const {
    return in_string || !stack->empty() ? NestingResult::kUnbalanced : NestingResult::kOk;
  }
};

}  // namespace

NestingResult CheckJsonNestingBytewise(std::string_view s, uint32_t max_depth, std::string* stack) {
  stack->clear();
  Scan scan{max_depth, stack};
  NestingResult r = NestingResult::kOk;
  for (char c : s) {
    if (!scan.Byte(c, &r)) return r;
  }
  return scan.End();
}

NestingResult CheckJsonNesting(std::string_view s, uint32_t max_depth, std::string* stack) {
#if !defined(__SSE2__)
  return CheckJsonNestingBytewise(s, max_depth, stack);
#else
  stack->clear();
  Scan scan{max_depth, stack};
  NestingResult r = NestingResult::kOk;
  const char* const data = s.data();
  const size_t n = s.size();
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i lower = _mm_set1_epi8(0x20);  // '[' | 0x20 == '{', ']' | 0x20 == '}'
  const __m128i open = _mm_set1_epi8('{');
  const __m128i close = _mm_set1_epi8('}');
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    const auto q = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)));
    const auto bs = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)));
    if (bs != 0 || scan.escaped) {
      // Escapes: byte by byte (rare in events; keeps the quote logic simple).
      for (size_t k = i; k < i + 16; ++k) {
        if (!scan.Byte(data[k], &r)) return r;
      }
      continue;
    }
    const __m128i folded = _mm_or_si128(v, lower);
    const auto br = static_cast<uint32_t>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close))));
    // Visit quotes always and brackets only outside strings, in order.
    uint32_t pending = q | br;
    while (pending != 0) {
      const uint32_t bit = pending & (0u - pending);
      pending ^= bit;
      if (q & bit) {
        scan.in_string = !scan.in_string;
      } else if (!scan.in_string) {
        const char c = data[i + static_cast<size_t>(std::countr_zero(bit))];
        if (!(c == '{' || c == '[' ? scan.Open(c, &r) : scan.Close(c, &r))) return r;
      }
    }
  }
  for (; i < n; ++i) {
    if (!scan.Byte(data[i], &r)) return r;
  }
  return scan.End();
#endif
}

}  // namespace vigil::correlator
