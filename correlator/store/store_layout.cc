#include "correlator/store/store_layout.h"

#include "storage/key_codec.h"

namespace vigil::correlator {
namespace {

constexpr std::string_view kFieldNames[kIndexFieldCount] = {"src_ip", "dest_ip", "signature_id",
                                                            "community_id", "group_key"};

}  // namespace

std::string_view IndexFieldName(IndexField f) { return kFieldNames[static_cast<size_t>(f)]; }

bool ParseIndexField(std::string_view name, IndexField* out) {
  if (name == "alert.signature_id") name = "signature_id";
  if (name == "group" || name == "correlation.group") name = "group_key";
  for (size_t i = 0; i < kIndexFieldCount; ++i) {
    if (name == kFieldNames[i]) {
      *out = static_cast<IndexField>(i);
      return true;
    }
  }
  return false;
}

int64_t IndexBucket(int64_t ts_ns) {
  int64_t q = ts_ns / kIndexBucketNs;
  if (ts_ns % kIndexBucketNs < 0) --q;
  return q * kIndexBucketNs;
}

void AppendIndexPrefix(std::string* out, int64_t bucket, std::string_view value) {
  storage::PutI64BE(out, bucket);
  storage::PutU16BE(out, static_cast<uint16_t>(value.size()));
  out->append(value);
}

std::string TimeKey(int64_t ts_ns) {
  std::string k;
  storage::PutI64BE(&k, ts_ns);
  return k;
}

int64_t KeyTime(std::string_view key) {
  return static_cast<int64_t>(storage::DecodeU64BE(key.data()) ^ (uint64_t{1} << 63));
}

Result<int64_t> PrimaryKeyTime(std::string_view primary) { return storage::GetI64BE(primary, 0); }

namespace {

// Both openers: `get` is Db::OpenFamily or Db::Family.
template <typename Get>
Result<StoreLayout> OpenWith(Get&& get) {
  StoreLayout l;
  const EventStoreOptions defaults;
  for (size_t i = 0; i < kEventClassCount; ++i) {
    VIGIL_TRY(l.events[i], get(defaults.family_prefix + std::string(EventClassName(static_cast<EventClass>(i)))));
  }
  for (size_t i = 0; i < kIndexFieldCount; ++i) {
    VIGIL_TRY(l.index[i], get("index." + std::string(kFieldNames[i])));
  }
  VIGIL_TRY(l.event_ids, get("index.event_id"));
  VIGIL_TRY(l.state, get("correlator.state"));
  return l;
}

}  // namespace

Result<StoreLayout> StoreLayout::Open(storage::Db& db) {
  return OpenWith([&db](const std::string& n) { return db.OpenFamily(n); });
}

void StoreLayout::TuneDbOptions(storage::DbOptions& options) {
  for (std::string_view f : kFieldNames) options.append_memtable_prefixes.push_back("index." + std::string(f));
  // The event families (and events.rejected) too: the writer never reads them while it runs
  // (replay at start reads SST files: opening flushes the recovered memtables).
  options.append_memtable_prefixes.push_back(EventStoreOptions{}.family_prefix);
}

Result<StoreLayout> StoreLayout::OpenExisting(const storage::Db& db) {
  return OpenWith([&db](const std::string& n) -> Result<storage::ColumnFamily> {
    auto cf = db.Family(n);
    if (!cf) {
      return Error(ErrorCode::kNotFound, db.path() + " is not a correlator store (no column family " + n +
                                             "; was it written by a vigil-correlator of this version?)");
    }
    return cf;
  });
}

}  // namespace vigil::correlator
