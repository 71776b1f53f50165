// libFuzzer target for the transport frame parser: arbitrary bytes must be rejected with a
// reason or parsed into views that lie inside the input, and a parsed frame must re-encode to
// exactly the same bytes; a parsed batch's events (LZ4-decompressed when flagged) must be bounded,
// newline-terminated and as many as it declares. Input: one mode byte, then the frame.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "transport/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::transport;
  FrameLimits limits;
  limits.max_frame_bytes = 1 << 20;
  if (size == 0) return 0;
  // The first byte picks a mode. Odd: the checksum of the rest is fixed up before parsing, so
  // mutations reach the length, origin and type checks behind the CRC (a random CRC almost
  // never matches). Even: the bytes are parsed as they are.
  std::string buf(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) != 0 && buf.size() >= kFrameHeaderSize) {
    uint64_t low = 0;
    for (size_t i = 20; i < 28; ++i) low = (low << 8) | static_cast<uint8_t>(buf[i]);
    (void)PatchLowSeq(&buf, low);  // rewrites the same low_seq and recomputes the CRC
  }
  const std::string_view in(buf);
  FrameReject why = FrameReject::kCount_;
  auto r = ParseFrame(in, limits, &why);
  if (!r.ok()) {
    if (why == FrameReject::kNone || why == FrameReject::kCount_) std::abort();  // a reason is always given
    return 0;
  }
  if (why != FrameReject::kNone) std::abort();
  const FrameView& f = *r;
  auto inside = [&](std::string_view v) {
    return v.empty() || (v.data() >= in.data() && v.data() + v.size() <= in.data() + in.size());
  };
  if (!inside(f.origin) || !inside(f.payload)) std::abort();
  std::string again;
  if (!EncodeFrame(f, limits, &again).ok() || again != in) std::abort();
  if (f.type == FrameType::kBatch) {
    // A batch's events (decompressed when flagged) are bounded, newline-terminated and counted.
    std::string scratch;
    FrameReject ewhy = FrameReject::kCount_;
    auto events = BatchEvents(f, limits, &scratch, &ewhy);
    if (!events.ok()) {
      if (ewhy != FrameReject::kBadCompression && ewhy != FrameReject::kBadFields) std::abort();
    } else if (events->size() > limits.max_frame_bytes || events->back() != '\n' ||
               CountEvents(*events) != f.event_count) {
      std::abort();
    }
  }
  return 0;
}
