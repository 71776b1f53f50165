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
  // Keep the tail of what was inspected before.
  size_t tail = std::min<size_t>(buf_.size(), keep_);
  if (tail < buf_.size()) {
    std::memmove(buf_.data(), buf_.data() + (buf_.size() - tail), tail);
    buf_.resize(tail);
  }
  buf_.insert(buf_.end(), chunk.begin(), chunk.end());
  consumed_ += chunk.size();
  v.data = buf_;
  v.new_offset = static_cast<uint32_t>(tail);
  v.base = consumed_ - buf_.size();
  return v;
}

void StreamWindow::Gap(uint64_t length) {
  buf_.clear();
  carry_.Clear();
  consumed_ += std::min(length, depth_ - std::min(depth_, consumed_));
}

}  // namespace vigil::sensor
