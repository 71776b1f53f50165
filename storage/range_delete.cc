#include "storage/range_delete.h"

#include <rocksdb/convenience.h>
#include <rocksdb/db.h>

#include "storage/rocksdb_status.h"
#include "storage/write_batch.h"

namespace vigil::storage {

Status DeleteKeyRange(Db& db, ColumnFamily cf, std::string_view begin, std::string_view end,
                      Durability d) {
  if (!(begin < end)) return Ok();
  const rocksdb::Slice b(begin.data(), begin.size());
  const rocksdb::Slice e(end.data(), end.size());
  // include_end=false: a file whose last key is exactly `end` must stay (end is exclusive).
  VIGIL_CHECK_OK(CheckRocks(rocksdb::DeleteFilesInRange(db.raw(), cf.handle(), &b, &e,
                                                        /*include_end=*/false),
                            "delete files in range"));
  WriteBatch wb;
  VIGIL_CHECK_OK(wb.DeleteRange(cf, begin, end));
  return db.Write(wb, d);
}

}  // namespace vigil::storage
