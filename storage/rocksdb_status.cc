#include "storage/rocksdb_status.h"

#include <string>

namespace vigil::storage {

Error FromRocks(const rocksdb::Status& s, std::string_view what) {
  ErrorCode code = ErrorCode::kIo;
  if (s.IsNotFound()) {
    code = ErrorCode::kNotFound;
  } else if (s.IsCorruption()) {
    code = ErrorCode::kCorrupt;
  } else if (s.IsInvalidArgument()) {
    code = ErrorCode::kInvalidArgument;
  } else if (s.IsNotSupported()) {
    code = ErrorCode::kUnsupported;
  } else if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain() || s.IsIncomplete()) {
    code = ErrorCode::kUnavailable;
  } else if (s.IsMemoryLimit()) {
    code = ErrorCode::kLimit;
  }
  return Error(code, "rocksdb: " + std::string(what) + ": " + s.ToString());
}

Status CheckRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Ok();
  return FromRocks(s, what);
}

}  // namespace vigil::storage
