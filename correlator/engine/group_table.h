// GroupTable: the window state of one correlation rule, one GroupState per group-by key.
//
// A group holds the rule's sliding window as a compact ring of Entries (time, event id, value)
// in event-time order, plus the running aggregates the rule type needs (distinct values, sums,
// per-rule counts, interval statistics), its suppression deadline and, for absence rules, the
// pending deadline. Groups live in a slot vector linked in least-recently-updated order: when
// the table is full the oldest group is evicted (counted), and groups whose window has gone
// idle are dropped from the old end as time advances. Memory per group is its key, the entries
// in its window and a few words.
//
//   GroupTable t(max_groups);
//   auto [g, evicted] = t.FindOrCreate(key, now);
//   g->Push(entry); ...
#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "correlator/engine/byte_codec.h"
#include "correlator/engine/distinct_counter.h"

namespace vigil {

struct WindowEntry {
  int64_t t = 0;
  uint64_t event_id = 0;
  uint64_t value = 0;   // value_count: hash of the value's text; value_*: the double's bits
  uint32_t source = 0;  // which of the rule's `rules` produced it

  double number() const { return std::bit_cast<double>(value); }
};

// Occurrences per distinct value hash (value_count). Windows usually hold few distinct values
// before the rule fires, so they live in a small vector; past kSmall a hash map takes over.
struct GroupState {
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::min();

  std::string key;
  uint64_t hash = 0;                 // of key (GroupTable's index)
  std::vector<WindowEntry> entries;  // window: entries[head..] in time order
  uint32_t head = 0;
  DistinctCounter distinct;                         // value_count
  std::vector<uint32_t> per_source;                 // temporal: occurrences per source
  uint32_t sources_seen = 0;                        // temporal: sources with occurrences > 0
  double sum = 0;                                   // value_sum/value_avg
  double isum = 0, isum2 = 0;                       // periodicity: sums of intervals (s) and squares
  int64_t suppress_until = kNever;                  // no alert for this key before this time
  bool pending = false;                             // absence: waiting for the second rule
  int64_t deadline = 0;                             // absence: when the wait ends
  uint64_t timer_seq = 0;                           // absence: identifies the live timer
  uint64_t triggers = 0;                            // absence: first-rule events while pending
  int64_t last_t = kNever;                          // last update (for idle expiry)
  uint32_t prev = kNone, next = kNone;              // LRU links (slot indices)

  size_t size() const { return entries.size() - head; }
  bool empty() const { return size() == 0; }
  const WindowEntry& front() const { return entries[head]; }
  const WindowEntry& back() const { return entries.back(); }
  const WindowEntry& at(size_t i) const { return entries[head + i]; }
  // Drops the oldest entry (the caller updates aggregates first); compacts when half is dead so
  // the ring never holds more than twice the window.
  void PopFront() {
    ++head;
    if (head == entries.size()) {
      entries.clear();
      head = 0;
    } else if (head >= 32 && head * 2 >= entries.size()) {
      entries.erase(entries.begin(), entries.begin() + head);
      head = 0;
    }
  }
  // Empties the window and its aggregates; keeps suppression and the key.
  void ClearWindow() {
    entries.clear();
    entries.shrink_to_fit();
    head = 0;
    distinct.clear();
    for (auto& c : per_source) c = 0;
    sources_seen = 0;
    sum = isum = isum2 = 0;
  }
};

class GroupTable {
 public:
  explicit GroupTable(uint32_t max_groups) : max_groups_(max_groups == 0 ? 1 : max_groups) {}

  // The group for key (hash = HashKey(key)), created if absent and moved to the young end.
  // evicted is set when the table was full and its oldest group was dropped to make room.
  GroupState* FindOrCreate(std::string_view key, uint64_t hash, int64_t now, bool* evicted);
  GroupState* Find(std::string_view key, uint64_t hash);
  static uint64_t HashKey(std::string_view key);
  // The least recently updated group, or null.
  GroupState* Oldest() { return oldest_ == GroupState::kNone ? nullptr : &slots_[oldest_]; }
  void Remove(GroupState* g);

  size_t size() const { return count_; }

  // Groups from oldest to youngest (checkpoint order).
  template <typename F>
  void ForEachOldestFirst(F&& f) const {
    for (uint32_t i = oldest_; i != GroupState::kNone; i = slots_[i].next) f(slots_[i]);
  }
  // Appends a restored group at the young end.
  GroupState* Append(GroupState&& g);

 private:
  uint32_t Slot(const GroupState* g) const { return static_cast<uint32_t>(g - slots_.data()); }
  void Unlink(uint32_t s);
  void LinkYoungest(uint32_t s);
  // Open-addressing index (linear probing, backward-shift deletion). A bucket is 0 when empty,
  // else (slot + 1) in its low 32 bits and the high 32 bits of the key's hash (a tag) above: a
  // flat array of 8-byte cells beats a node-based map here (one cache line per probe run, no
  // allocation per group), and the tag skips the other groups of a run without reading them.
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }
  static uint64_t Bucket(uint32_t slot, uint64_t hash) { return (uint64_t{Tag(hash)} << 32) | (slot + uint64_t{1}); }
  static uint32_t BucketSlot(uint64_t b) { return static_cast<uint32_t>(b) - 1; }
  static uint32_t BucketTag(uint64_t b) { return static_cast<uint32_t>(b >> 32); }
  size_t Probe(std::string_view key, uint64_t hash) const;  // bucket holding key, or the empty one
  void IndexInsert(uint32_t s);
  void IndexErase(uint32_t s);
  void Grow();

  uint32_t max_groups_;
  std::vector<GroupState> slots_;
  std::vector<uint32_t> free_;
  std::vector<uint64_t> buckets_ = std::vector<uint64_t>(64, 0);
  size_t count_ = 0;
  uint32_t oldest_ = GroupState::kNone, youngest_ = GroupState::kNone;
};

}  // namespace vigil
