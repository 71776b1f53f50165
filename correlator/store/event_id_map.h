// EventIdMap: the codec of index.event_id, which maps the correlator's event ids to the events'
// primary keys one run of consecutive ids at a time (a received batch is one run), instead of
// one entry per event: an entry per event was a sixth RocksDB write per event and ~45 WAL bytes.
//
//   index.event_id   [U64BE first id of the run] ->
//                    [U16BE middle len][middle] then per id, in order: [U8 class][head 8][tail 4]
//
// A primary key is [I64BE ts][U16BE origin len][origin][U64BE seq][U32BE index]: the ids of one
// run share its middle (origin and batch seq; everything but the 8-byte time head and the
// 4-byte index tail), stored once. A lookup of id seeks to the last run starting at or before
// it (SeekForPrev) and checks that the run covers it.
//
//   EventIdRunBuilder b;                       // writer side (EventIndexer)
//   if (!b.Add(id, cls, primary)) { b.AppendTo(&k, &v); wb.Put(...); b.Clear(); b.Add(...); }
//   VIGIL_TRY(auto where, LookupEventId(db, layout.event_ids, id));   // reader side
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "correlator/ingest/event_store_writer.h"
#include "storage/db.h"

namespace vigil::correlator {

inline constexpr size_t kIdHeadBytes = 8;   // the primary key's time
inline constexpr size_t kIdTailBytes = 4;   // the primary key's index in its batch
inline constexpr size_t kIdRecordBytes = 1 + kIdHeadBytes + kIdTailBytes;
// Most ids in one run (bounds one entry's value to ~53 KB plus the middle).
inline constexpr size_t kMaxIdsPerRun = 4096;

// Where one event id points: its class family and primary key there.
struct EventLocation {
  EventClass cls = EventClass::kOther;
  std::string primary;
};

// One stored run, parsed (views into the key and value it was parsed from).
class EventIdRun {
 public:
  // False when key/value are not a well-formed run.
  [[nodiscard]] bool Parse(std::string_view key, std::string_view value);
  uint64_t first() const { return first_; }
  size_t size() const { return count_; }
  bool Covers(uint64_t id) const { return id >= first_ && id - first_ < count_; }
  // The i-th id's location (i < size()); false when its class byte is out of range.
  [[nodiscard]] bool Get(size_t i, EventLocation* out) const;
  // The time (primary key head) of the i-th id.
  int64_t Time(size_t i) const;

 private:
  uint64_t first_ = 0;
  size_t count_ = 0;
  std::string_view middle_;
  std::string_view records_;
};

// Collects consecutive ids whose primary keys share their middle. Reused: Clear() keeps capacity.
class EventIdRunBuilder {
 public:
  // Appends id; false (nothing added) when it does not continue this run: not the next id, a
  // different middle, or the run is full. Primary keys shorter than head + tail are refused too
  // (false on an empty run): callers then store the run they have and start a new one.
  [[nodiscard]] bool Add(uint64_t id, EventClass cls, std::string_view primary);
  bool empty() const { return count_ == 0; }
  // The entry: key [U64BE first id], value as above.
  void Encode(std::string* key, std::string* value) const;
  void Clear();

 private:
  uint64_t first_ = 0;
  size_t count_ = 0;
  std::string middle_;
  std::string records_;
};

// The location of event `id`, or nullopt when no run covers it (never mapped, or cut by retention).
[[nodiscard]] Result<std::optional<EventLocation>> LookupEventId(const storage::Db& db, storage::ColumnFamily cf,
                                                                 uint64_t id);

}  // namespace vigil::correlator
