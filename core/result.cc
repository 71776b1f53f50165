#include "core/result.h"

namespace vigil {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kParse: return "parse error";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kIo: return "I/O error";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kLimit: return "limit reached";
    case ErrorCode::kCorrupt: return "corrupt data";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kPermission: return "permission denied";
    case ErrorCode::kInternal: return "internal error";
  }
  return "unknown error";
}

std::string Error::ToString() const {
  std::string s = ErrorCodeName(code);
  s += ": ";
  s += message;
  return s;
}

}  // namespace vigil
