// IndexPostings: the codec of the index.<field> families. One entry per (field, hour bucket,
// value, batch) lists every event of that batch with that value, instead of one entry per
// event and field: a received batch of 1000 events repeats a few dozen src_ip, dest_ip,
// signature_id and community_id values, so the index costs ~100 RocksDB entries per batch, not
// ~3500 (each with its own 45-byte key, WAL record and memtable insert).
//
//   index.<field>   [I64BE hour bucket][U16BE value len][value][middle] ->
//                   per event, in arrival order: [U8 class][head 8][tail 4]
//
// As in index.event_id (event_id_map.h), a primary key is head (its 8-byte time) + middle
// ([U16BE origin len][origin][U64BE batch seq], shared by a batch) + tail (its U32BE index in
// the batch). The bucket comes first so retention drops expired entries by key range; a query
// of one value reads the entries of each bucket it covers and orders their events by primary
// key (time first). The entry of one (bucket, value, middle) is written by one batch: the
// receiver stores each (origin, seq) once, and correlated alerts each take a new local seq (a
// replayed alert writes the same entry again).
//
//   IndexPostingsBuilder b(layout);                   // writer side (EventIndexer)
//   VIGIL_CHECK_OK(b.Add(IndexField::kSrcIp, "10.0.0.1", EventClass::kFlow, primary, wb));
//   VIGIL_CHECK_OK(b.Flush(wb));                      // before wb is written
//   IndexPostings p;                                  // reader side
//   if (p.Parse(it.key(), it.value())) for (size_t i = 0; i < p.size(); ++i) p.Get(i, &loc);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "correlator/store/event_id_map.h"
#include "correlator/store/store_layout.h"
#include "storage/write_batch.h"

namespace vigil::correlator {

// One stored entry, parsed (views into the key and value it was parsed from).
class IndexPostings {
 public:
  // False when key/value are not a well-formed entry. An entry of a store written before
  // postings ([prefix][primary key][U8 class] -> "") reads as one event.
  [[nodiscard]] bool Parse(std::string_view key, std::string_view value);
  int64_t bucket() const { return bucket_; }
  std::string_view value() const { return value_; }
  size_t size() const { return count_; }
  // The i-th event's location (i < size()); false when its class byte is out of range.
  [[nodiscard]] bool Get(size_t i, EventLocation* out) const;
  // The event time (primary key head) of the i-th event.
  int64_t Time(size_t i) const;

 private:
  int64_t bucket_ = 0;
  std::string_view value_;
  std::string_view middle_;
  std::string_view records_;
  size_t count_ = 0;
  bool legacy_ = false;  // one event per entry: middle_ is its whole primary key, records_ its class
};

// Collects the index postings of the events being added to one write batch, one group per
// (field, bucket, value), and puts one entry per group. Reused: allocates nothing once it has
// seen a batch of the largest size.
class IndexPostingsBuilder {
 public:
  explicit IndexPostingsBuilder(const StoreLayout& layout) : layout_(layout) {}

  // Adds the event with this primary key under (field, value). An event of another batch (its
  // middle differs from the pending events') first puts the pending groups into wb. Primary
  // keys shorter than head + tail are refused.
  Status Add(IndexField field, std::string_view value, EventClass cls, std::string_view primary,
             storage::WriteBatch& wb);
  // Puts the pending groups into wb (one entry each).
  Status Flush(storage::WriteBatch& wb);
  // Drops the pending groups (their batch failed and will not be written).
  void Discard();

 private:
  struct Group {
    uint64_t hash;
    int64_t bucket;
    uint32_t value_off;
    uint32_t value_len;
    IndexField field;
    std::string postings;  // records; kept (capacity) across batches
  };
  static uint64_t HashOf(IndexField field, int64_t bucket, std::string_view value);
  Group& Find(IndexField field, int64_t bucket, std::string_view value);
  void Grow();

  const StoreLayout& layout_;
  std::string middle_;           // of the pending events
  std::vector<Group> groups_;    // [0, used_) pending
  size_t used_ = 0;
  std::vector<uint32_t> slots_;  // open addressing over groups_: 0 empty, else index + 1
  std::string values_;           // the pending groups' values, back to back
  std::string key_;              // reused
};

}  // namespace vigil::correlator
