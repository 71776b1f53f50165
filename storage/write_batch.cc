#include "storage/write_batch.h"

#include "storage/rocksdb_status.h"

namespace vigil::storage {
namespace {
rocksdb::Slice S(std::string_view v) { return rocksdb::Slice(v.data(), v.size()); }
}  // namespace

Status WriteBatch::Put(ColumnFamily cf, std::string_view key, std::string_view value) {
  return CheckRocks(batch_.Put(cf.handle(), S(key), S(value)), "batch put");
}

Status WriteBatch::Delete(ColumnFamily cf, std::string_view key) {
  return CheckRocks(batch_.Delete(cf.handle(), S(key)), "batch delete");
}

Status WriteBatch::DeleteRange(ColumnFamily cf, std::string_view begin, std::string_view end) {
  return CheckRocks(batch_.DeleteRange(cf.handle(), S(begin), S(end)), "batch delete range");
}

Status WriteBatch::RollbackToSavePoint() {
  return CheckRocks(batch_.RollbackToSavePoint(), "batch rollback");
}

Status WriteBatch::PopSavePoint() { return CheckRocks(batch_.PopSavePoint(), "batch pop save point"); }

}  // namespace vigil::storage
