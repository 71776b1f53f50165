// Db: the process's RocksDB database, opened with named column families and closed on
// destruction (RAII). Every RocksDB call in Vigil goes through storage/, which converts
// rocksdb::Status to Error here.
//
//   DbOptions o;
//   o.path = "/var/lib/vigil/db";
//   o.column_families = {"events.alert", "transport.marks"};
//   VIGIL_TRY(auto db, Db::Open(o));
//   VIGIL_TRY(ColumnFamily cf, db->OpenFamily("transport.spool"));   // created if missing
//   VIGIL_CHECK_OK(db->Put(cf, U64Key(1), "x", Durability::kSync));
//
// Column families that exist on disk but are not named in the options are opened too (RocksDB
// refuses to open a database otherwise), so components can add their own families later with
// OpenFamily() without the opener knowing them. Thread-safe: RocksDB is, and the family map is
// guarded by a mutex taken only on lookup.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/column_family.h"
#include "storage/iterator.h"
#include "storage/write_batch.h"

namespace rocksdb {
class DB;
}

namespace vigil::storage {

// How far a write must get before the call returns.
enum class Durability {
  kSync,      // the WAL is fsync'ed: survives power loss. Use before acknowledging data.
  kBuffered,  // the WAL is written to the OS: survives a process crash (SIGKILL), not power loss.
};

struct DbOptions {
  std::string path;                          // directory; required
  std::vector<std::string> column_families;  // opened, or created when missing
  bool create_if_missing = true;
  // Read-only: no writes, no lock, so it can open a store another process has open (it sees
  // the data as of Open). For readers such as `vigil query`; do not create families with it.
  bool read_only = false;
  size_t write_buffer_bytes = 64u << 20;  // per-family memtable size before flush
  int max_background_jobs = 2;            // flush + compaction threads
  // Families (by name prefix) whose memtable is an unsorted vector instead of a skip list:
  // an insert is an append (O(1), no key comparisons on the writer's thread) and the memtable
  // is sorted once, by the flush thread. Only for write-mostly families read by iterators
  // (secondary indexes): a Get or a new iterator on such a family sorts a copy of its
  // memtable. Setting any turns off concurrent memtable writes (one writer at a time).
  std::vector<std::string> append_memtable_prefixes;
};

class Db {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Db>> Open(const DbOptions& options);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // The family named `name`, created if it does not exist yet.
  [[nodiscard]] Result<ColumnFamily> OpenFamily(std::string_view name);
  // The family named `name`, or kNotFound.
  [[nodiscard]] Result<ColumnFamily> Family(std::string_view name) const;
  ColumnFamily DefaultFamily() const;

  Status Put(ColumnFamily cf, std::string_view key, std::string_view value, Durability d);
  Status Delete(ColumnFamily cf, std::string_view key, Durability d);
  // The value, or std::nullopt if the key is absent.
  [[nodiscard]] Result<std::optional<std::string>> Get(ColumnFamily cf, std::string_view key) const;
  // Applies the whole batch atomically. An empty batch is a no-op.
  Status Write(WriteBatch& batch, Durability d);
  Iterator NewIterator(ColumnFamily cf, IteratorBounds bounds = {}) const;
  // Flushes memtables of every family to SST files (tests, clean shutdown).
  Status Flush();

  const std::string& path() const { return path_; }
  rocksdb::DB* raw() { return db_.get(); }

 private:
  Db() = default;
  std::string path_;
  std::vector<std::string> append_prefixes_;  // DbOptions::append_memtable_prefixes
  mutable std::mutex mu_;  // guards families_
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> families_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; destroyed before db_
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace vigil::storage
