// CheckJsonNesting: a pre-pass over one JSON text that checks that brackets outside strings nest
// properly and no deeper than a bound, and that every string is closed.
//
// simdjson On Demand (3.x) does not verify balance before iterating, and an unclosed '[' can make
// it read past the structural index, so EventStoreWriter runs this on every line before the
// parser sees it. It is not a validator: only quotes, backslashes inside strings and the four
// bracket characters are looked at.
//
//   std::string stack;  // reused between calls
//   switch (CheckJsonNesting(line, 64, &stack)) { case NestingResult::kOk: ... }
//
// On x86-64 it classifies 16 bytes at a time (SSE2) and visits only the quotes and brackets;
// chunks with a backslash, and the tail, go byte by byte. Same results as the byte loop
// (CheckJsonNestingBytewise, kept for tests and the fuzz target to compare against).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::correlator {

enum class NestingResult : uint8_t {
  kOk,
  kUnbalanced,  // a closing bracket without its opener, a mismatch, an unclosed bracket or string
  kTooDeep,     // more than max_depth brackets open at once
};

// stack: reused scratch (the open brackets); its contents on return are unspecified.
NestingResult CheckJsonNesting(std::string_view s, uint32_t max_depth, std::string* stack);
NestingResult CheckJsonNestingBytewise(std::string_view s, uint32_t max_depth, std::string* stack);

}  // namespace vigil::correlator
