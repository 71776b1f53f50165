// Conversion of rocksdb::Status to vigil::Error. RocksDB's status type stops at the storage/
// boundary: everything above storage/ sees Result/Status only.
//
//   auto s = db->Put(wo, cf, key, value);
//   if (!s.ok()) return FromRocks(s, "put spool entry");
#pragma once

#include <string_view>

#include <rocksdb/status.h>

#include "core/result.h"

namespace vigil::storage {

// Maps RocksDB's codes onto ErrorCode (NotFound -> kNotFound, Corruption -> kCorrupt,
// Busy/TimedOut/TryAgain -> kUnavailable, NoSpace/IOError -> kIo, ...). `what` names the
// operation for the message: "rocksdb: put spool entry: IO error: ...".
Error FromRocks(const rocksdb::Status& s, std::string_view what);

// Ok() when s.ok(), otherwise FromRocks(s, what).
Status CheckRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace vigil::storage
