// WriteBatch: a set of puts and deletes applied to a Db atomically (all or nothing, one WAL
// record). Everything that must stay consistent goes in one batch: an event and its index
// entries, or a received batch's events and the sender's de-duplication mark.
//
//   WriteBatch wb;
//   wb.Put(events_cf, key, json);
//   wb.Put(marks_cf, origin, seq_be);
//   VIGIL_CHECK_OK(db.Write(wb, Durability::kSync));
//
// Save points let a caller undo the tail of a batch (a callback that failed half-way) without
// discarding what came before.
#pragma once

#include <cstddef>
#include <string_view>

#include <rocksdb/write_batch.h>

#include "core/result.h"
#include "storage/column_family.h"

namespace vigil::storage {

class WriteBatch {
 public:
  WriteBatch() = default;
  // Reserves room for `reserved_bytes` of puts up front: a batch that grows to megabytes would
  // otherwise reallocate (copy) its buffer a dozen times. Clear() keeps the capacity, so a
  // batch reused across writes allocates once.
  explicit WriteBatch(size_t reserved_bytes) : batch_(reserved_bytes) {}
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;
  WriteBatch(WriteBatch&&) = default;
  WriteBatch& operator=(WriteBatch&&) = default;

  Status Put(ColumnFamily cf, std::string_view key, std::string_view value);
  Status Delete(ColumnFamily cf, std::string_view key);
  // Deletes every key in [begin, end) of the family (one range tombstone).
  Status DeleteRange(ColumnFamily cf, std::string_view begin, std::string_view end);

  void SetSavePoint() { batch_.SetSavePoint(); }
  // Undoes everything since the last SetSavePoint() and pops it.
  Status RollbackToSavePoint();
  // Forgets the last save point, keeping what was written since.
  Status PopSavePoint();

  void Clear() { batch_.Clear(); }
  size_t count() const { return static_cast<size_t>(batch_.Count()); }
  size_t byte_size() const { return batch_.GetDataSize(); }
  bool empty() const { return batch_.Count() == 0; }

  rocksdb::WriteBatch* raw() { return &batch_; }

 private:
  rocksdb::WriteBatch batch_;
};

}  // namespace vigil::storage
