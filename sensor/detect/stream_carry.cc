#include "sensor/detect/stream_carry.h"

#include <algorithm>

namespace vigil::sensor {

void StreamCarry::Prune(uint64_t window_start) {
  std::erase_if(entries_, [window_start](const Entry& e) { return e.scan_end <= window_start; });
}

void StreamCarry::Merge(std::span<const uint32_t> hits, uint64_t scan_end) {
  overflowed_ = false;
  merged_.clear();
  size_t i = 0, k = 0;
  while (i < entries_.size() || k < hits.size()) {
    if (k == hits.size() || (i < entries_.size() && entries_[i].rule < hits[k])) {
      merged_.push_back(entries_[i++]);
    } else {
      if (i < entries_.size() && entries_[i].rule == hits[k]) ++i;  // the new scan is later
      merged_.push_back({hits[k++], scan_end});
    }
  }
  if (merged_.size() > kMaxEntries) {
    entries_.clear();
    overflowed_ = true;
    return;
  }
  entries_.swap(merged_);
}

}  // namespace vigil::sensor
