#include "correlator/store/event_id_map.h"

#include <cstring>

#include "storage/key_codec.h"

namespace vigil::correlator {

bool EventIdRun::Parse(std::string_view key, std::string_view value) {
  if (key.size() != 8 || value.size() < 2) return false;
  const size_t middle_len = storage::DecodeU16BE(value.data());
  if (value.size() < 2 + middle_len) return false;
  records_ = value.substr(2 + middle_len);
  if (records_.empty() || records_.size() % kIdRecordBytes != 0) return false;
  first_ = storage::DecodeU64BE(key.data());
  middle_ = value.substr(2, middle_len);
  count_ = records_.size() / kIdRecordBytes;
  return true;
}

bool EventIdRun::Get(size_t i, EventLocation* out) const {
  const std::string_view r = records_.substr(i * kIdRecordBytes, kIdRecordBytes);
  const auto cls = static_cast<uint8_t>(r[0]);
  if (cls >= kEventClassCount) return false;
  out->cls = static_cast<EventClass>(cls);
  out->primary.clear();
  out->primary.append(r.substr(1, kIdHeadBytes)).append(middle_).append(r.substr(1 + kIdHeadBytes));
  return true;
}

int64_t EventIdRun::Time(size_t i) const {
  return static_cast<int64_t>(storage::DecodeU64BE(records_.data() + i * kIdRecordBytes + 1) ^ (uint64_t{1} << 63));
}

bool EventIdRunBuilder::Add(uint64_t id, EventClass cls, std::string_view primary) {
  if (primary.size() < kIdHeadBytes + kIdTailBytes || primary.size() - kIdHeadBytes - kIdTailBytes > 0xffff) {
    return false;
  }
  const std::string_view middle = primary.substr(kIdHeadBytes, primary.size() - kIdHeadBytes - kIdTailBytes);
  if (count_ == 0) {
    first_ = id;
    middle_.assign(middle);
  } else if (id != first_ + count_ || count_ >= kMaxIdsPerRun || middle != middle_) {
    return false;
  }
  records_.push_back(static_cast<char>(cls));
  records_.append(primary.substr(0, kIdHeadBytes));
  records_.append(primary.substr(primary.size() - kIdTailBytes));
  ++count_;
  return true;
}

void EventIdRunBuilder::Encode(std::string* key, std::string* value) const {
  key->clear();
  storage::PutU64BE(key, first_);
  value->clear();
  storage::PutU16BE(value, static_cast<uint16_t>(middle_.size()));
  value->append(middle_).append(records_);
}

void EventIdRunBuilder::Clear() {
  count_ = 0;
  middle_.clear();
  records_.clear();
}

Result<std::optional<EventLocation>> LookupEventId(const storage::Db& db, storage::ColumnFamily cf, uint64_t id) {
  auto it = db.NewIterator(cf);
  it.SeekForPrev(storage::U64Key(id));
  std::optional<EventLocation> out;
  EventIdRun run;
  if (it.Valid() && run.Parse(it.key(), it.value()) && run.Covers(id)) {
    EventLocation loc;
    if (run.Get(static_cast<size_t>(id - run.first()), &loc)) out = std::move(loc);
  }
  VIGIL_CHECK_OK(it.status());
  return out;
}

}  // namespace vigil::correlator
