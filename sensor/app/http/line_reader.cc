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

size_t LineReader::FindEnd(std::span<const uint8_t> data) const {
  if (!cr_ends_line_) {
    const void* lf = std::memchr(data.data(), '\n', data.size());
    return lf == nullptr ? std::string_view::npos
                         : static_cast<size_t>(static_cast<const uint8_t*>(lf) - data.data());
  }
  for (size_t i = 0; i < data.size(); ++i) {
    // A CR opening a line is not a terminator ("\r\r\n" stays one line, as in libhtp).
    if (data[i] == '\n' || (data[i] == '\r' && (i > 0 || !buf_.empty()))) return i;
  }
  return std::string_view::npos;
}

bool LineReader::Finish(std::string_view& line) {
  truncated_ = overflow_;
  done_ = true;
  cr_pending_ = false;
  line = buf_;
  return true;
}

bool LineReader::Next(std::span<const uint8_t>& data, std::string_view& line) {
  if (done_) {
    buf_.clear();
    overflow_ = truncated_ = done_ = false;
  }
  if (data.empty()) return false;
  if (cr_pending_) {
    // The previous chunk ended in CR: an LF now completes CRLF, anything else leaves a lone CR.
    if (data[0] == '\n') {
      Append(data.data(), 1);
      data = data.subspan(1);
    }
    return Finish(line);
  }
  size_t end = FindEnd(data);
  if (end == std::string_view::npos) {
    Append(data.data(), data.size());
    data = data.subspan(data.size());
    return false;
  }
  if (data[end] == '\r') {
    if (end + 1 == data.size()) {
      Append(data.data(), end + 1);
      data = data.subspan(end + 1);
      cr_pending_ = true;
      return false;
    }
    if (data[end + 1] == '\n') ++end;
  }
  size_t n = end + 1;
  if (buf_.empty() && !overflow_ && n <= max_) {
    // Fast path: the whole line is in this chunk.
    line = std::string_view(reinterpret_cast<const char*>(data.data()), n);
    data = data.subspan(n);
    truncated_ = false;
    return true;
  }
  Append(data.data(), n);
  data = data.subspan(n);
  return Finish(line);
}

}  // namespace vigil::sensor
