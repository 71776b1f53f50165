// FlowPackets: the frames of one generated flow (or a burst of flows, such as a port scan),
// kept in one byte arena with a (timestamp, offset, length) record per frame.
//
// A generator appends frames in the order each endpoint sends them, possibly with timestamps out
// of order (an ACK that reaches the capture point one RTT later); SortByTime() then puts them in
// the order a single capture point sees them. The synthesizer merges the FlowPackets of all
// concurrent flows by timestamp. Buffers are reused between flows, so steady state allocates
// nothing.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace vigil::synth {

struct FrameRecord {
  int64_t ts_ns = 0;
  uint32_t offset = 0;
  uint32_t length = 0;
};

class FlowPackets {
 public:
  void Clear() {
    arena_.clear();
    records_.clear();
  }

  // Reserves `len` bytes for a new frame at ts_ns and returns where to write it. The pointer is
  // valid until the next Append.
  uint8_t* Append(int64_t ts_ns, size_t len) {
    const size_t off = arena_.size();
    arena_.resize(off + len);
    records_.push_back({ts_ns, static_cast<uint32_t>(off), static_cast<uint32_t>(len)});
    return arena_.data() + off;
  }

  // Stable, so frames sent at the same instant keep their send order.
  void SortByTime() {
    std::stable_sort(records_.begin(), records_.end(),
                     [](const FrameRecord& a, const FrameRecord& b) { return a.ts_ns < b.ts_ns; });
  }

  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  const FrameRecord& record(size_t i) const { return records_[i]; }
  std::span<const uint8_t> frame(size_t i) const {
    return {arena_.data() + records_[i].offset, records_[i].length};
  }
  int64_t last_ts() const { return records_.empty() ? 0 : records_.back().ts_ns; }

 private:
  std::vector<uint8_t> arena_;
  std::vector<FrameRecord> records_;
};

}  // namespace vigil::synth
