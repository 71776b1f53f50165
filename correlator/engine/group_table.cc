#include "correlator/engine/group_table.h"

namespace vigil {

uint64_t GroupTable::HashKey(std::string_view key) {
  // FNV-1a, then a final mix so the low bits (the bucket) depend on every byte.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

void GroupTable::Unlink(uint32_t s) {
  GroupState& g = slots_[s];
  if (g.prev != GroupState::kNone) slots_[g.prev].next = g.next; else oldest_ = g.next;
  if (g.next != GroupState::kNone) slots_[g.next].prev = g.prev; else youngest_ = g.prev;
  g.prev = g.next = GroupState::kNone;
}

void GroupTable::LinkYoungest(uint32_t s) {
  GroupState& g = slots_[s];
  g.prev = youngest_;
  g.next = GroupState::kNone;
  if (youngest_ != GroupState::kNone) slots_[youngest_].next = s; else oldest_ = s;
  youngest_ = s;
}

size_t GroupTable::Probe(std::string_view key, uint64_t hash) const {
  const size_t mask = buckets_.size() - 1;
  const uint32_t tag = Tag(hash);
  size_t i = hash & mask;
  while (buckets_[i] != 0) {
    // The tag rules out other keys of the probe run without touching their slots.
    if (BucketTag(buckets_[i]) == tag) {
      const GroupState& g = slots_[BucketSlot(buckets_[i])];
      if (g.hash == hash && g.key == key) return i;
    }
    i = (i + 1) & mask;
  }
  return i;
}

void GroupTable::Grow() {
  std::vector<uint64_t> old = std::move(buckets_);
  buckets_.assign(old.size() * 2, 0);
  const size_t mask = buckets_.size() - 1;
  for (uint64_t b : old) {
    if (b == 0) continue;
    size_t i = slots_[BucketSlot(b)].hash & mask;
    while (buckets_[i] != 0) i = (i + 1) & mask;
    buckets_[i] = b;
  }
}

void GroupTable::IndexInsert(uint32_t s) {
  if ((count_ + 1) * 2 > buckets_.size()) Grow();  // load factor <= 1/2
  const size_t i = Probe(slots_[s].key, slots_[s].hash);
  buckets_[i] = Bucket(s, slots_[s].hash);
  ++count_;
}

void GroupTable::IndexErase(uint32_t s) {
  const size_t mask = buckets_.size() - 1;
  size_t i = Probe(slots_[s].key, slots_[s].hash);
  if (buckets_[i] == 0 || BucketSlot(buckets_[i]) != s) return;
  buckets_[i] = 0;
  --count_;
  // Backward shift: pull later entries of the probe run into the hole when their home bucket
  // is not between the hole and where they sit.
  size_t j = i;
  while (true) {
    j = (j + 1) & mask;
    if (buckets_[j] == 0) break;
    const size_t home = slots_[BucketSlot(buckets_[j])].hash & mask;
    const bool stays = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
    if (stays) continue;
    buckets_[i] = buckets_[j];
    buckets_[j] = 0;
    i = j;
  }
}

GroupState* GroupTable::Find(std::string_view key, uint64_t hash) {
  const size_t i = Probe(key, hash);
  return buckets_[i] == 0 ? nullptr : &slots_[BucketSlot(buckets_[i])];
}

GroupState* GroupTable::FindOrCreate(std::string_view key, uint64_t hash, int64_t now, bool* evicted) {
  *evicted = false;
  const size_t i = Probe(key, hash);
  if (buckets_[i] != 0) {
    const uint32_t s = BucketSlot(buckets_[i]);
    if (youngest_ != s) {
      Unlink(s);
      LinkYoungest(s);
    }
    slots_[s].last_t = now;
    return &slots_[s];
  }
  if (count_ >= max_groups_ && oldest_ != GroupState::kNone) {
    Remove(&slots_[oldest_]);
    *evicted = true;
  }
  uint32_t s;
  if (!free_.empty()) {
    s = free_.back();
    free_.pop_back();
  } else {
    s = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  slots_[s] = GroupState{};
  slots_[s].key = std::string(key);
  slots_[s].hash = hash;
  slots_[s].last_t = now;
  IndexInsert(s);
  LinkYoungest(s);
  return &slots_[s];
}

void GroupTable::Remove(GroupState* g) {
  const uint32_t s = Slot(g);
  Unlink(s);
  IndexErase(s);
  *g = GroupState{};  // release the window's memory now
  free_.push_back(s);
}

GroupState* GroupTable::Append(GroupState&& g) {
  const uint32_t s = static_cast<uint32_t>(slots_.size());
  slots_.push_back(std::move(g));
  slots_[s].hash = HashKey(slots_[s].key);
  slots_[s].prev = slots_[s].next = GroupState::kNone;
  IndexInsert(s);
  LinkYoungest(s);
  return &slots_[s];
}

}  // namespace vigil
