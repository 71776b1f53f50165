// ColumnFamily: a non-owning reference to one RocksDB column family of a Db.
//
// A Db owns its column family handles and keeps them until it closes; a ColumnFamily is a cheap
// copyable name for one of them, valid for the Db's lifetime. Components look theirs up once at
// start (db.OpenFamily("transport.marks")) and keep it.
#pragma once

#include <string>

namespace rocksdb {
class ColumnFamilyHandle;
}

namespace vigil::storage {

class ColumnFamily {
 public:
  ColumnFamily() = default;
  explicit ColumnFamily(rocksdb::ColumnFamilyHandle* h) : handle_(h) {}

  rocksdb::ColumnFamilyHandle* handle() const { return handle_; }
  bool valid() const { return handle_ != nullptr; }

 private:
  rocksdb::ColumnFamilyHandle* handle_ = nullptr;
};

}  // namespace vigil::storage
