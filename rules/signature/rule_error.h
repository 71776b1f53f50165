// RuleError: why one rule (or one line of a config file) could not be loaded, and where.
//
// `offset` is a byte offset into the rule text as the parser saw it; the file reader turns it
// into file:line:column. `code` separates the two outcomes the loader counts apart:
//   ErrorCode::kUnsupported  valid syntax that Vigil does not implement (the rule is skipped and
//                            counted under `message`, e.g. "unsupported keyword 'xbits'");
//   anything else            a syntax or semantic error (the rule is rejected).
#pragma once

#include <cstddef>
#include <string>

#include "core/result.h"

namespace vigil::rules {

struct RuleError {
  ErrorCode code = ErrorCode::kParse;
  size_t offset = 0;
  std::string message;

  bool unsupported() const { return code == ErrorCode::kUnsupported; }
};

}  // namespace vigil::rules
