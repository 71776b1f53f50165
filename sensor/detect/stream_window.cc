#include "sensor/detect/stream_window.h"

#include <algorithm>
#include <cstring>

namespace vigil::sensor {

StreamView StreamWindow::Feed(std::span<const uint8_t> chunk) {
  StreamView v;
  if (consumed_ >= depth_) {
    v.depth_reached = !chunk.empty();
    return v;
  }
  if (chunk.size() > depth_ - consumed_) {
    chunk = chunk.first(static_cast<size_t>(depth_ - consumed_));
    v.depth_reached = true;
  }
  // Keep the tail of what was inspected before. The buffer is compacted (the tail moved to its
  // front) only when the chunk does not fit its capacity, so most chunks are appended in place
  // and the view starts `tail` bytes before them.
  const size_t tail = std::min<size_t>(buf_.size() - start_, keep_);
  if (buf_.size() + chunk.size() > buf_.capacity()) {
    if (buf_.size() > tail) {
      std::memmove(buf_.data(), buf_.data() + (buf_.size() - tail), tail);
      buf_.resize(tail);
    }
    // Room for `keep_` more bytes after this chunk: the next compaction is that far away.
    buf_.reserve(std::max(buf_.capacity(), tail + chunk.size() + keep_));
  }
  start_ = buf_.size() - tail;
  buf_.insert(buf_.end(), chunk.begin(), chunk.end());
  consumed_ += chunk.size();
  v.data = std::span<const uint8_t>(buf_).subspan(start_);
  v.new_offset = static_cast<uint32_t>(tail);
  v.base = consumed_ - v.data.size();
  return v;
}

void StreamWindow::Gap(uint64_t length) {
  buf_.clear();
  start_ = 0;
  carry_.Clear();
  consumed_ += std::min(length, depth_ - std::min(depth_, consumed_));
}

}  // namespace vigil::sensor
