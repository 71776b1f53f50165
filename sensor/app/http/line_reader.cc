#include "sensor/app/http/line_reader.h"

#include <cstring>

namespace vigil::sensor {

void LineReader::Append(const uint8_t* p, size_t n) {
  size_t room = buf_.size() < max_ ? max_ - buf_.size() : 0;
  if (n > room) {
    overflow_ = true;
    n = room;
  }
  buf_.append(reinterpret_cast<const char*>(p), n);
}

bool LineReader::Next(std::span<const uint8_t>& data, std::string_view& line) {
  if (done_) {
    buf_.clear();
    overflow_ = truncated_ = done_ = false;
  }
  if (data.empty()) return false;
  const void* lf = std::memchr(data.data(), '\n', data.size());
  if (lf == nullptr) {
    Append(data.data(), data.size());
    data = data.subspan(data.size());
    return false;
  }
  size_t n = static_cast<size_t>(static_cast<const uint8_t*>(lf) - data.data()) + 1;
  if (buf_.empty() && !overflow_ && n <= max_) {
    // Fast path: the whole line is in this chunk.
    line = std::string_view(reinterpret_cast<const char*>(data.data()), n);
    data = data.subspan(n);
    truncated_ = false;
    return true;
  }
  Append(data.data(), n);
  data = data.subspan(n);
  truncated_ = overflow_;
  done_ = true;
  line = buf_;
  return true;
}

}  // namespace vigil::sensor
