// StreamCarry: the prefilter candidates a TCP direction's earlier stream scans found, kept so a
// stream inspection scans only the new bytes of its window.
//
// A kStream inspection verifies rules over the whole StreamWindow view (kept tail + new chunk),
// but Hyperscan only needs to see the new chunk plus the longest fast pattern minus one byte
// before it: a fast pattern lying entirely in the kept tail was already reported by an earlier
// scan. Those earlier candidates are carried here with the absolute stream offset at which the
// scan that found them ended; a candidate whose scan ended at or before the window's first
// byte cannot have its fast pattern in the window any more and is dropped. The candidate set is
// therefore a superset of "fast pattern somewhere in the window" (the full-window scan's set),
// and verification decides the alerts exactly as before.
//
//   StreamCarry carry;                            // one per flow direction (StreamWindow owns it)
//   carry.Prune(window_start_abs);                // before an inspection
//   carry.Merge(new_hits_sorted_unique, scan_end_abs);
//   for (uint32_t rule : carry.rules()) ...       // candidates
//
// Bounded: past kMaxEntries the carry gives up (overflowed()): the next inspection scans its
// whole window, which is always correct, and starts again from that scan's hits.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace vigil::sensor {

class StreamCarry {
 public:
  static constexpr size_t kMaxEntries = 1024;

  struct Entry {
    uint32_t rule = 0;
    uint64_t scan_end = 0;  // absolute stream offset where the scan that found it ended
  };

  // Drops entries whose scan ended at or before `window_start` (absolute stream offset).
  void Prune(uint64_t window_start);
  // Adds `hits` (engine rule indices, ascending, no duplicates) found by a scan ending at
  // `scan_end`; an entry already carried takes the later offset. Keeps entries sorted by rule.
  void Merge(std::span<const uint32_t> hits, uint64_t scan_end);
  // Entries are rule indices of one engine: a carry met by another engine (after a rule
  // reload) starts empty and, when the new view keeps a tail, overflowed so that the first
  // scan covers the whole window again.
  void BindTo(const void* engine, bool whole_window_next) {
    if (engine_ == engine) return;
    engine_ = engine;
    entries_.clear();
    overflowed_ = whole_window_next;
  }
  std::span<const Entry> entries() const { return entries_; }
  bool overflowed() const { return overflowed_; }
  void Clear() {
    entries_.clear();
    overflowed_ = false;
  }

 private:
  std::vector<Entry> entries_;  // ascending by rule
  std::vector<Entry> merged_;   // Merge()'s output buffer, swapped with entries_
  bool overflowed_ = false;
  const void* engine_ = nullptr;
};

}  // namespace vigil::sensor
