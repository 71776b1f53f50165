// DeleteKeyRange: removes every key in [begin, end) of one column family the cheap way, for
// retention by time. Whole SST files inside the range are dropped first (DeleteFilesInRange:
// no I/O beyond unlinking), then one range tombstone covers what is left (memtables and files
// straddling the bounds). Never key by key.
//
//   std::string end;  PutI64BE(&end, now_ns - max_age_ns);
//   VIGIL_CHECK_OK(DeleteKeyRange(db, events_cf, std::string(8, '\0'), end));
//
// Readers see the keys disappear atomically with the tombstone's write; dropped files only ever
// hold keys the tombstone covers too.
#pragma once

#include <string_view>

#include "core/result.h"
#include "storage/column_family.h"
#include "storage/db.h"

namespace vigil::storage {

// begin < end required (an empty or inverted range is a no-op).
Status DeleteKeyRange(Db& db, ColumnFamily cf, std::string_view begin, std::string_view end,
                      Durability d = Durability::kBuffered);

}  // namespace vigil::storage
