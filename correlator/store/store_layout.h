// StoreLayout: the column families of a correlator's event store and how their keys are built.
// Shared by the writer side (ingest, indexes, correlation state, retention) and the reader side
// (`vigil query`), so both agree on one layout.
//
//   events.<class>      [I64BE ts][U16BE origin len][origin][U64BE seq][U32BE index] -> EVE JSON
//   index.<field>       [I64BE hour bucket][U16BE value len][value][middle]
//                       -> per event of the batch with that value: [U8 class][head 8][tail 4]
//   index.event_id      [U64BE first event id of a run] -> [U16BE middle len][middle]
//                       then per id of the run: [U8 class][primary key's 8-byte time][its U32BE index]
//   correlator.state    "engine" -> [U64BE next event id][U64BE next local seq][engine checkpoint]
//
// A primary key is head (its 8-byte time) + middle ([U16BE origin len][origin][U64BE seq], shared
// by the events of one batch) + tail (its U32BE index in the batch). An index entry lists the
// events of one batch with one value in one hour bucket (index_postings.h has the codec): a
// batch repeats its src_ip, dest_ip... values, so this is ~100 entries per 1000 events instead
// of one per event and field. Index keys start with the hour bucket of the event time so that
// retention drops expired index entries by time range (DeleteKeyRange) like the events
// themselves; a lookup of one value over [from, to) reads each hour bucket's entries for it
// and orders their events by primary key. Event ids are given in arrival order by the correlator
// (they are the ids correlated alerts list as contributing events). index.event_id holds one
// entry per run of consecutive ids from one batch, whose primary keys share their middle
// ([U16BE origin len][origin][U64BE seq], stored once): event_id_map.h has the codec and
// LookupEventId (SeekForPrev to the run, then the id's record).
//
//   VIGIL_TRY(StoreLayout layout, StoreLayout::Open(db));
//   std::string k;  AppendIndexPrefix(&k, IndexBucket(ts), "10.0.0.1");  // then the entries
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "correlator/ingest/event_store_writer.h"
#include "storage/db.h"

namespace vigil::correlator {

// Indexed fields. kGroupKey indexes correlated alerts by their group key ("src_ip=10.0.0.1").
enum class IndexField : uint8_t { kSrcIp, kDestIp, kSignatureId, kCommunityId, kGroupKey };
inline constexpr size_t kIndexFieldCount = 5;
std::string_view IndexFieldName(IndexField f);  // "src_ip", "dest_ip", "signature_id", ...
// Accepts the index names and the EVE paths ("alert.signature_id", "group_key", "group").
bool ParseIndexField(std::string_view name, IndexField* out);

inline constexpr int64_t kIndexBucketNs = 3600LL * 1'000'000'000;
// Start of the hour bucket holding ts (floor, also for negative times).
int64_t IndexBucket(int64_t ts_ns);

// Largest indexed value (longer values are not indexed).
inline constexpr size_t kMaxIndexValueBytes = 1024;

// [I64BE bucket][U16BE value len][value]: what every index key of (bucket, value) starts with.
void AppendIndexPrefix(std::string* out, int64_t bucket, std::string_view value);

// The 8-byte sortable time prefix of event and index keys, and its inverse (key must hold at
// least 8 bytes: callers check).
std::string TimeKey(int64_t ts_ns);
int64_t KeyTime(std::string_view key);

// The event time of a primary key (its first 8 bytes).
[[nodiscard]] Result<int64_t> PrimaryKeyTime(std::string_view primary);

struct StoreLayout {
  std::array<storage::ColumnFamily, kEventClassCount> events;
  std::array<storage::ColumnFamily, kIndexFieldCount> index;
  storage::ColumnFamily event_ids;
  storage::ColumnFamily state;

  // Opens (creating when missing) every family.
  [[nodiscard]] static Result<StoreLayout> Open(storage::Db& db);
  // Readers: the families must exist (kNotFound: "not a correlator store", naming the family).
  [[nodiscard]] static Result<StoreLayout> OpenExisting(const storage::Db& db);
  // Store tuning for the correlator's writer: the index families (written for every event in
  // no useful order, read only by iterators) and the event families (never read by the writer
  // while it runs) get append memtables (DbOptions::append_memtable_prefixes). Call before
  // Db::Open.
  static void TuneDbOptions(storage::DbOptions& options);
  storage::ColumnFamily family(EventClass c) const { return events[static_cast<size_t>(c)]; }
  storage::ColumnFamily family(IndexField f) const { return index[static_cast<size_t>(f)]; }
};

inline constexpr std::string_view kStateKey = "engine";

}  // namespace vigil::correlator
