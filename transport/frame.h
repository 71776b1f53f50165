// Frame: the unit on the wire between a transport sender and receiver. One ZeroMQ message
// carries exactly one frame. A frame is typed and versioned, names its origin, carries a
// per-origin sequence number and a CRC32C, and is parsed with every length checked before use.
//
// Layout (version 1, all integers big-endian, 40-byte fixed header):
//
//   off size field
//    0   4  magic        "VGLT"
//    4   1  version      1
//    5   1  type         FrameType
//    6   2  flags        batch: kFrameFlagLz4 or 0; other types: 0. Unknown bits are rejected.
//    8   2  origin_len   bytes of origin that follow the header
//   10   2  reserved     0
//   12   8  seq          batch/control: its sequence number (>= 1); ack: the cumulative sequence
//                        acknowledged (every seq <= it is durably stored); others: 0 or a counter
//   20   8  low_seq      batch: the oldest sequence the sender still holds; every seq below it
//                        was acknowledged or deliberately dropped (lets a receiver tell a gap the
//                        sender caused from a loss in flight). Others: 0.
//   28   4  event_count  batch: number of events in the payload (>= 1); others: 0
//   32   4  payload_len  bytes of payload after the origin
//   36   4  crc32c       over bytes [0, 36), the origin and the payload
//   40   .  origin       the sender's identity (printable ASCII, no spaces), origin_len bytes
//    .   .  payload      batch: newline-delimited JSON events, each ending in '\n'; with
//                        kFrameFlagLz4: [u32 raw_len][LZ4 block] holding those raw_len bytes
//
// The message size must equal 40 + origin_len + payload_len exactly; trailing bytes are an
// error. Parsing never allocates: a FrameView points into the caller's buffer. A compressed
// batch's events are checked (size, newlines, count) when BatchEvents decompresses them.
//
//   VIGIL_TRY(FrameView f, ParseFrame(bytes, limits, &why));
//   if (f.type == FrameType::kBatch) {
//     VIGIL_TRY(std::string_view events, BatchEvents(f, limits, &scratch, &why));
//     Store(f.origin, f.seq, events);
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::transport {

inline constexpr char kFrameMagic[4] = {'V', 'G', 'L', 'T'};
inline constexpr uint8_t kFrameVersion = 1;
inline constexpr size_t kFrameHeaderSize = 40;
// Batch flag: the payload is LZ4-compressed (block format) behind a 4-byte raw length. EVE events
// shrink about 5x, and every byte saved is saved again in CURVE, both WALs and both memtables.
inline constexpr uint16_t kFrameFlagLz4 = 0x0001;

enum class FrameType : uint8_t {
  kBatch = 1,       // sender -> receiver: events
  kAck = 2,         // receiver -> sender: cumulative acknowledgement of batches
  kHeartbeat = 3,   // both ways: liveness; a receiver answers with an ack of its high-water mark
  kControl = 4,     // receiver -> sender: rule bundles, indicator lists (payload opaque here)
  kControlAck = 5,  // sender -> receiver: a control message was applied
  kHello = 6,       // sender -> receiver on (re)connect: "tell me your high-water mark for me"
};
const char* FrameTypeName(FrameType t);

// Limits applied by the parser (and by the encoder, so we never send what a peer would refuse).
struct FrameLimits {
  size_t max_frame_bytes = 16u << 20;  // whole message; larger frames are rejected unread
  size_t max_origin_bytes = 128;       // identities are short ("prov-07/sensor-12")
};

// Why a frame was rejected: one counter per reason on the receiving side.
enum class FrameReject : uint8_t {
  kNone = 0,
  kTruncated,       // shorter than the header, or than header + origin + payload
  kOversize,        // larger than max_frame_bytes
  kBadMagic,
  kBadVersion,
  kBadType,
  kBadFlags,        // flags or reserved field non-zero
  kBadOrigin,       // empty/too long or contains non-printable bytes
  kTrailingBytes,   // message longer than the lengths declare
  kBadChecksum,
  kBadFields,       // fields inconsistent with the type (seq 0, low_seq > seq, count mismatch...)
  kBadCompression,  // compressed batch whose block does not decompress to its declared length
  kCount_,          // number of reasons (not a reason)
};
const char* FrameRejectName(FrameReject r);

struct FrameView {
  FrameType type = FrameType::kHeartbeat;
  uint16_t flags = 0;  // kFrameFlagLz4 on a compressed batch
  uint64_t seq = 0;
  uint64_t low_seq = 0;
  uint32_t event_count = 0;
  std::string_view origin;
  std::string_view payload;
};

// Parses and validates one frame. On failure the Error says what was wrong and `why` (if given)
// receives the reason for counting.
[[nodiscard]] Result<FrameView> ParseFrame(std::span<const std::byte> bytes, const FrameLimits& limits,
                                           FrameReject* why = nullptr);
inline Result<FrameView> ParseFrame(std::string_view bytes, const FrameLimits& limits,
                                    FrameReject* why = nullptr) {
  return ParseFrame(std::as_bytes(std::span(bytes.data(), bytes.size())), limits, why);
}

// The events of a parsed batch frame: its payload, or for a compressed batch the payload
// decompressed into `scratch` (grown as needed, never shrunk: no allocation once warm). The raw
// length is bounded by limits.max_frame_bytes (no decompression bombs) and the events are checked
// as an uncompressed payload is (newline-terminated, event_count lines). The view is valid until
// `scratch` changes.
[[nodiscard]] Result<std::string_view> BatchEvents(const FrameView& f, const FrameLimits& limits, std::string* scratch,
                                                   FrameReject* why = nullptr);

// Appends one encoded frame to `out` (which is cleared first). Fails with kLimit or
// kInvalidArgument on anything ParseFrame would reject, so a bad frame never leaves.
Status EncodeFrame(const FrameView& frame, const FrameLimits& limits, std::string* out);

// Rewrites low_seq of an already-encoded frame and its checksum in place (a spooled batch is
// resent with the sender's current low mark).
Status PatchLowSeq(std::string* frame, uint64_t low_seq);
// The low_seq field of an encoded frame (0 when shorter than a header).
uint64_t FrameLowSeq(std::string_view frame);

// In-place batch framing for the sender's hot path (no copy of the payload): a batch buffer
// starts with BatchFramePrefix(origin) bytes of room, the events are appended after it, and
// FinishBatchFrame writes header, origin and CRC into that room. The caller vouches for
// `event_count` (it counted the events it appended); the receiver's ParseFrame still checks it.
//
//   std::string buf(BatchFramePrefix(origin), '\0');
//   buf += "{...}\n";
//   VIGIL_CHECK_OK(FinishBatchFrame(&buf, seq, low, 1, origin, limits));
inline size_t BatchFramePrefix(std::string_view origin) { return kFrameHeaderSize + origin.size(); }
Status FinishBatchFrame(std::string* buf, uint64_t seq, uint64_t low_seq, uint32_t event_count,
                        std::string_view origin, const FrameLimits& limits, uint16_t flags = 0);

// LZ4-compresses `events` into `out` behind `prefix` bytes of room for FinishBatchFrame(...,
// kFrameFlagLz4). False (and `out` unspecified) when that would not be smaller than the events.
// `out` keeps its capacity between calls.
bool CompressBatchPayload(std::string_view events, size_t prefix, std::string* out);

// Counts the events of a batch payload: the number of '\n' (memchr-based: vectorised by libc).
uint32_t CountEvents(std::string_view payload);

}  // namespace vigil::transport
