#include "storage/db.h"

#include <algorithm>

#include <rocksdb/db.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>

#include "storage/rocksdb_status.h"

namespace vigil::storage {
namespace {

rocksdb::Slice S(std::string_view v) { return rocksdb::Slice(v.data(), v.size()); }

rocksdb::WriteOptions WriteOpts(Durability d) {
  rocksdb::WriteOptions wo;
  wo.sync = (d == Durability::kSync);
  return wo;
}

bool HasPrefix(std::string_view name, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes) {
    if (name.substr(0, p.size()) == p) return true;
  }
  return false;
}

// `base` for family `name`: an append (vector) memtable where DbOptions asks for one.
rocksdb::ColumnFamilyOptions FamilyOptions(rocksdb::ColumnFamilyOptions base, std::string_view name,
                                           const std::vector<std::string>& append_prefixes) {
  if (HasPrefix(name, append_prefixes)) base.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
  return base;
}

}  // namespace

Result<std::unique_ptr<Db>> Db::Open(const DbOptions& options) {
  if (options.path.empty()) return Error(ErrorCode::kInvalidArgument, "storage: empty db path");

  rocksdb::Options opts;
  opts.create_if_missing = options.create_if_missing;
  opts.create_missing_column_families = true;
  opts.write_buffer_size = options.write_buffer_bytes;
  opts.max_background_jobs = options.max_background_jobs;
  // The vector memtable cannot take concurrent inserts.
  if (!options.append_memtable_prefixes.empty()) opts.allow_concurrent_memtable_write = false;

  // RocksDB insists on opening every family that exists on disk: union the existing ones with
  // those requested.
  std::vector<std::string> names;
  std::vector<std::string> existing;
  rocksdb::Status ls = rocksdb::DB::ListColumnFamilies(opts, options.path, &existing);
  if (ls.ok()) names = existing;  // a fresh path has none: not an error
  auto add = [&names](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  add(rocksdb::kDefaultColumnFamilyName);
  for (const auto& n : options.column_families) add(n);

  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  descs.reserve(names.size());
  for (const auto& n : names) {
    descs.emplace_back(n, FamilyOptions(rocksdb::ColumnFamilyOptions(opts), n, options.append_memtable_prefixes));
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(opts), options.path, descs, &handles, &raw)
          : rocksdb::DB::Open(rocksdb::DBOptions(opts), options.path, descs, &handles, &raw);
  if (!s.ok()) return FromRocks(s, "open " + options.path);

  std::unique_ptr<Db> db(new Db());
  db->path_ = options.path;
  db->append_prefixes_ = options.append_memtable_prefixes;
  db->db_.reset(raw);
  db->handles_ = handles;
  for (auto* h : handles) db->families_.emplace(h->GetName(), h);
  return db;
}

Db::~Db() {
  if (!db_) return;
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  handles_.clear();
  // Close() flushes nothing (the WAL already holds every write) but reports background errors;
  // there is nobody to report them to in a destructor.
  db_->Close().PermitUncheckedError();
}

Result<ColumnFamily> Db::OpenFamily(std::string_view name) {
  std::lock_guard lock(mu_);
  if (auto it = families_.find(name); it != families_.end()) return ColumnFamily(it->second);
  rocksdb::ColumnFamilyHandle* h = nullptr;
  const rocksdb::ColumnFamilyOptions cfo = FamilyOptions({}, name, append_prefixes_);
  rocksdb::Status s = db_->CreateColumnFamily(cfo, std::string(name), &h);
  if (!s.ok()) return FromRocks(s, "create column family " + std::string(name));
  handles_.push_back(h);
  families_.emplace(std::string(name), h);
  return ColumnFamily(h);
}

Result<ColumnFamily> Db::Family(std::string_view name) const {
  std::lock_guard lock(mu_);
  if (auto it = families_.find(name); it != families_.end()) return ColumnFamily(it->second);
  return Error(ErrorCode::kNotFound, "storage: no column family '" + std::string(name) + "'");
}

ColumnFamily Db::DefaultFamily() const { return ColumnFamily(db_->DefaultColumnFamily()); }

Status Db::Put(ColumnFamily cf, std::string_view key, std::string_view value, Durability d) {
  return CheckRocks(db_->Put(WriteOpts(d), cf.handle(), S(key), S(value)), "put");
}

Status Db::Delete(ColumnFamily cf, std::string_view key, Durability d) {
  return CheckRocks(db_->Delete(WriteOpts(d), cf.handle(), S(key)), "delete");
}

Result<std::optional<std::string>> Db::Get(ColumnFamily cf, std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf.handle(), S(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "get");
  return std::optional<std::string>(std::move(value));
}

Status Db::Write(WriteBatch& batch, Durability d) {
  if (batch.empty()) return Ok();
  return CheckRocks(db_->Write(WriteOpts(d), batch.raw()), "write batch");
}

Iterator Db::NewIterator(ColumnFamily cf, IteratorBounds bounds) const {
  Iterator it;
  it.state_ = std::make_unique<Iterator::State>();
  rocksdb::ReadOptions ro;
  if (bounds.lower) {
    it.state_->lower = std::move(*bounds.lower);
    it.state_->lower_slice = S(it.state_->lower);
    ro.iterate_lower_bound = &it.state_->lower_slice;
  }
  if (bounds.upper) {
    it.state_->upper = std::move(*bounds.upper);
    it.state_->upper_slice = S(it.state_->upper);
    ro.iterate_upper_bound = &it.state_->upper_slice;
  }
  it.it_.reset(db_->NewIterator(ro, cf.handle()));
  return it;
}

Status Db::Flush() {
  rocksdb::FlushOptions fo;
  fo.wait = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  {
    std::lock_guard lock(mu_);
    handles = handles_;
  }
  return CheckRocks(db_->Flush(fo, handles), "flush");
}

}  // namespace vigil::storage
