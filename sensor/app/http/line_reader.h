// LineReader: splits one direction of an HTTP stream into lines, whatever the chunking.
//
// A line ends at LF (CRLF or bare LF). A line wholly inside one chunk is returned as a view into
// that chunk (no copy); a line split across chunks is assembled in an internal buffer whose size
// is bounded by max_length: a longer line is cut to max_length bytes, the rest of it up to the LF
// is skipped, and truncated() says so. The returned view is valid until the next Next()/Clear().
//
//   LineReader r(18000);
//   std::string_view line;
//   while (r.Next(data, line)) Handle(line, r.truncated());  // data is consumed as it goes
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vigil::sensor {

class LineReader {
 public:
  explicit LineReader(size_t max_length = 18000) : max_(max_length) {}

  // Consumes bytes from the front of `data`. Returns true and sets `line` (terminator included,
  // unless the line was truncated) when a line ended; returns false when `data` ran out first,
  // keeping the partial line.
  bool Next(std::span<const uint8_t>& data, std::string_view& line);
  // The last line returned was longer than max_length and was cut.
  bool truncated() const { return truncated_; }
  // Bytes of the partial line held (0 at a line boundary).
  size_t pending() const { return done_ ? 0 : buf_.size(); }
  // The partial line held (empty at a line boundary).
  std::string_view held() const { return done_ ? std::string_view() : std::string_view(buf_); }
  void Clear() {
    buf_.clear();
    overflow_ = truncated_ = done_ = cr_pending_ = false;
  }
  void set_max_length(size_t m) { max_ = m; }
  // Also end a line at a lone CR (one not followed by LF, and not the line's first byte), as
  // libhtp does for response header lines. A CR that ends a chunk waits for the next byte.
  void set_cr_ends_line(bool on) { cr_ends_line_ = on; }

 private:
  void Append(const uint8_t* p, size_t n);
  // Offset of the first line terminator candidate (LF, or CR when cr_ends_line_), or npos.
  size_t FindEnd(std::span<const uint8_t> data) const;
  bool Finish(std::string_view& line);

  std::string buf_;
  size_t max_;
  bool overflow_ = false;   // the partial line already exceeded max_
  bool truncated_ = false;  // the line returned last was cut
  bool done_ = false;       // buf_ holds a line already returned: clear before reuse
  bool cr_ends_line_ = false;
  bool cr_pending_ = false;  // buf_ ends with a CR that was the last byte of the previous chunk
};

// The line without its trailing LF and CR.
inline std::string_view StripEol(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace vigil::sensor
