#include "correlator/store/index_postings.h"

#include <algorithm>

#include "rules/correlation/event_view.h"
#include "storage/key_codec.h"

namespace vigil::correlator {

namespace {
constexpr size_t kPrefixFixedBytes = 8 + 2;  // bucket + value length
constexpr size_t kMinSlots = 256;
}  // namespace

bool IndexPostings::Parse(std::string_view key, std::string_view value) {
  if (key.size() < kPrefixFixedBytes) return false;
  const size_t vlen = (static_cast<size_t>(static_cast<uint8_t>(key[8])) << 8) | static_cast<uint8_t>(key[9]);
  if (key.size() < kPrefixFixedBytes + vlen + 2) return false;  // a middle holds at least its origin length
  bucket_ = KeyTime(key);
  value_ = key.substr(kPrefixFixedBytes, vlen);
  const std::string_view rest = key.substr(kPrefixFixedBytes + vlen);
  if (value.empty()) {
    // A store written before postings: one event per entry, [primary key][U8 class] -> "".
    if (rest.size() < kIdHeadBytes + kIdTailBytes + 2 + 1) return false;
    legacy_ = true;
    middle_ = rest.substr(0, rest.size() - 1);  // the whole primary key
    records_ = rest.substr(rest.size() - 1);    // its class
    count_ = 1;
    return true;
  }
  if (value.size() % kIdRecordBytes != 0) return false;
  legacy_ = false;
  middle_ = rest;
  records_ = value;
  count_ = value.size() / kIdRecordBytes;
  return true;
}

bool IndexPostings::Get(size_t i, EventLocation* out) const {
  const std::string_view rec = records_.substr(i * kIdRecordBytes, kIdRecordBytes);
  const auto cls = static_cast<uint8_t>(rec[0]);
  if (cls >= kEventClassCount) return false;
  out->cls = static_cast<EventClass>(cls);
  out->primary.clear();
  if (legacy_) {
    out->primary.append(middle_);
    return true;
  }
  out->primary.append(rec.substr(1, kIdHeadBytes));
  out->primary.append(middle_);
  out->primary.append(rec.substr(1 + kIdHeadBytes, kIdTailBytes));
  return true;
}

int64_t IndexPostings::Time(size_t i) const {
  return KeyTime(legacy_ ? middle_ : records_.substr(i * kIdRecordBytes + 1));
}

uint64_t IndexPostingsBuilder::HashOf(IndexField field, int64_t bucket, std::string_view value) {
  uint64_t h = FieldPath::Hash(value);
  h ^= (static_cast<uint64_t>(bucket) + static_cast<uint64_t>(field)) * 0x9e3779b97f4a7c15ULL;
  return h ^ (h >> 31);
}

void IndexPostingsBuilder::Grow() {
  slots_.assign(std::max(kMinSlots, slots_.size() * 2), 0);
  const size_t mask = slots_.size() - 1;
  for (size_t i = 0; i < used_; ++i) {
    size_t s = groups_[i].hash & mask;
    while (slots_[s] != 0) s = (s + 1) & mask;
    slots_[s] = static_cast<uint32_t>(i + 1);
  }
}

IndexPostingsBuilder::Group& IndexPostingsBuilder::Find(IndexField field, int64_t bucket, std::string_view value) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();  // load at most 1/2
  const uint64_t h = HashOf(field, bucket, value);
  const size_t mask = slots_.size() - 1;
  size_t s = h & mask;
  for (; slots_[s] != 0; s = (s + 1) & mask) {
    Group& g = groups_[slots_[s] - 1];
    if (g.hash == h && g.field == field && g.bucket == bucket &&
        std::string_view(values_).substr(g.value_off, g.value_len) == value) {
      return g;
    }
  }
  if (used_ == groups_.size()) groups_.emplace_back();
  Group& g = groups_[used_++];
  slots_[s] = static_cast<uint32_t>(used_);
  g.hash = h;
  g.bucket = bucket;
  g.field = field;
  g.value_off = static_cast<uint32_t>(values_.size());
  g.value_len = static_cast<uint32_t>(value.size());
  g.postings.clear();
  values_.append(value);
  return g;
}

Status IndexPostingsBuilder::Add(IndexField field, std::string_view value, EventClass cls,
                                 std::string_view primary, storage::WriteBatch& wb) {
  if (primary.size() < kIdHeadBytes + kIdTailBytes + 2) {
    return Error(ErrorCode::kInvalidArgument, "index postings: primary key too short");
  }
  const std::string_view middle = primary.substr(kIdHeadBytes, primary.size() - kIdHeadBytes - kIdTailBytes);
  if (used_ > 0 && middle != middle_) VIGIL_CHECK_OK(Flush(wb));
  if (used_ == 0) middle_.assign(middle);
  Group& g = Find(field, IndexBucket(KeyTime(primary)), value);
  g.postings.push_back(static_cast<char>(cls));
  g.postings.append(primary.substr(0, kIdHeadBytes));
  g.postings.append(primary.substr(primary.size() - kIdTailBytes));
  return Ok();
}

Status IndexPostingsBuilder::Flush(storage::WriteBatch& wb) {
  for (size_t i = 0; i < used_; ++i) {
    const Group& g = groups_[i];
    key_.clear();
    AppendIndexPrefix(&key_, g.bucket, std::string_view(values_).substr(g.value_off, g.value_len));
    key_.append(middle_);
    VIGIL_CHECK_OK(wb.Put(layout_.family(g.field), key_, g.postings));
  }
  Discard();
  return Ok();
}

void IndexPostingsBuilder::Discard() {
  if (used_ > 0) std::fill(slots_.begin(), slots_.end(), 0);
  used_ = 0;
  values_.clear();
  middle_.clear();
}

}  // namespace vigil::correlator
