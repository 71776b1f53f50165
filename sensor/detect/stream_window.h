// StreamWindow: the sliding view of one TCP direction's reassembled data that stream
// inspection scans.
//
// The pipeline feeds each new in-order chunk; the view it gets back is the last
// `keep_bytes` of earlier data followed by the chunk, so a pattern split across chunks (or
// segments) is seen whole. `new_offset` marks where the new bytes start: the engine reports a
// stream match only when it ends past that point, so bytes already inspected never alert twice.
// Inspection stops after `depth_bytes` of stream (Suricata's stream.reassembly.depth).
//
//   StreamWindow w(cfg.stream_window_bytes, cfg.stream_depth_bytes);   // per flow direction
//   StreamView v = w.Feed(chunk);
//   bufs.Set(BufferId::kPacket, v.data);
//   in.kind = InspectKind::kStream; in.stream_new_offset = v.new_offset;
//   in.stream_base = v.base; in.stream_carry = &w.carry();   // scan only the new bytes
//
// Memory: 2 x keep_bytes + the largest chunk, allocated on first use and reused: chunks are
// appended in place and the kept tail moves to the front only when the next chunk does not fit
// (about one tail copy per keep_bytes of stream instead of one per chunk). Plus the carried
// prefilter candidates (StreamCarry, bounded).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sensor/detect/stream_carry.h"

namespace vigil::sensor {

struct StreamView {
  std::span<const uint8_t> data;  // valid until the next Feed()
  uint32_t new_offset = 0;        // data[new_offset..] are the bytes of this chunk
  bool depth_reached = false;     // some or all of the chunk was past the depth and dropped
  uint64_t base = 0;              // absolute stream offset of data[0]
};

class StreamWindow {
 public:
  StreamWindow(uint32_t keep_bytes, uint64_t depth_bytes) : keep_(keep_bytes), depth_(depth_bytes) {}
  StreamView Feed(std::span<const uint8_t> chunk);
  // `length` bytes are missing before the next chunk: drop the kept tail so no match spans the
  // hole; the missing bytes count toward the depth (as sequence space does in reassembly).
  void Gap(uint64_t length);
  uint64_t consumed() const { return consumed_; }
  // The direction's carried prefilter candidates (see stream_carry.h); Gap() clears them.
  StreamCarry& carry() { return carry_; }

 private:
  uint32_t keep_;
  uint64_t depth_;
  uint64_t consumed_ = 0;
  std::vector<uint8_t> buf_;  // buf_[start_..] is the last view; older bytes wait for compaction
  size_t start_ = 0;
  StreamCarry carry_;
};

}  // namespace vigil::sensor
