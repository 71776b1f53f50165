// Iterator: a move-only, bounded cursor over one column family, in key order.
//
// Wraps rocksdb::Iterator and owns the bound keys (RocksDB only keeps a pointer to them, so a
// bare rocksdb::ReadOptions with a temporary upper bound is a classic use-after-free). The
// iterator must not outlive the Db that made it.
//
//   auto it = db.NewIterator(cf, {.lower = U64Key(from), .upper = U64Key(to)});
//   for (it.SeekToFirst(); it.Valid(); it.Next()) Use(it.key(), it.value());
//   VIGIL_CHECK_OK(it.status());   // an I/O error ends iteration early: always check
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <rocksdb/iterator.h>
#include <rocksdb/options.h>

#include "core/result.h"

namespace vigil::storage {

struct IteratorBounds {
  std::optional<std::string> lower;  // inclusive; none: from the first key
  std::optional<std::string> upper;  // exclusive; none: to the last key
};

class Iterator {
 public:
  Iterator() = default;
  Iterator(Iterator&&) noexcept = default;
  Iterator& operator=(Iterator&&) noexcept = default;
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;
  ~Iterator();

  void SeekToFirst() { it_->SeekToFirst(); }
  void SeekToLast() { it_->SeekToLast(); }
  void Seek(std::string_view key) { it_->Seek(rocksdb::Slice(key.data(), key.size())); }
  // The last key at or before `key`.
  void SeekForPrev(std::string_view key) { it_->SeekForPrev(rocksdb::Slice(key.data(), key.size())); }
  void Next() { it_->Next(); }
  void Prev() { it_->Prev(); }
  bool Valid() const { return it_ && it_->Valid(); }
  // Views stay valid until the iterator moves.
  std::string_view key() const;
  std::string_view value() const;
  // Ok() unless iteration stopped on an error (not on reaching the end).
  Status status() const;

 private:
  friend class Db;
  // Bounds live in a heap block so their addresses survive moves of the Iterator.
  struct State {
    std::string lower, upper;
    rocksdb::Slice lower_slice, upper_slice;
  };
  std::unique_ptr<State> state_;
  std::unique_ptr<rocksdb::Iterator> it_;  // declared after state_: destroyed first
};

}  // namespace vigil::storage
