#include "transport/frame.h"

#include <lz4.h>

#include <algorithm>
#include <cstring>

#include "storage/key_codec.h"
#include "transport/crc32c.h"

namespace vigil::transport {
namespace {

using storage::DecodeU16BE;
using storage::DecodeU32BE;
using storage::DecodeU64BE;
using storage::EncodeU16BE;
using storage::EncodeU32BE;
using storage::EncodeU64BE;

constexpr size_t kOffVersion = 4, kOffType = 5, kOffFlags = 6, kOffOriginLen = 8,
                 kOffReserved = 10, kOffSeq = 12, kOffLowSeq = 20, kOffCount = 28,
                 kOffPayloadLen = 32, kOffCrc = 36;

uint32_t FrameCrc(const char* base, size_t origin_and_payload) {
  uint32_t c = Crc32c(std::as_bytes(std::span(base, kOffCrc)));
  return Crc32cExtend(c, std::as_bytes(std::span(base + kFrameHeaderSize, origin_and_payload)));
}

bool ValidOrigin(std::string_view o, const FrameLimits& limits) {
  if (o.empty() || o.size() > limits.max_origin_bytes) return false;
  return std::all_of(o.begin(), o.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool KnownType(uint8_t t) { return t >= 1 && t <= 6; }

bool Compressed(const FrameView& f) { return (f.flags & kFrameFlagLz4) != 0; }

// A compressed payload: 4 bytes of raw length, then at least one byte of LZ4 block.
constexpr size_t kRawLenBytes = 4;

// Events of a batch (raw or decompressed): newline-terminated, event_count lines.
const char* CheckEvents(std::string_view events, uint32_t event_count) {
  if (events.empty() || events.back() != '\n') return "batch payload not newline-terminated";
  if (CountEvents(events) != event_count) return "batch event_count does not match payload";
  return nullptr;
}

// Type-specific consistency. Returns nullptr when fine, else what is wrong.
const char* CheckFields(const FrameView& f) {
  switch (f.type) {
    case FrameType::kBatch:
      if (f.seq == 0) return "batch with sequence 0";
      if (f.low_seq == 0 || f.low_seq > f.seq) return "batch low_seq not in [1, seq]";
      if (f.event_count == 0) return "batch with no events";
      if ((f.flags & ~kFrameFlagLz4) != 0) return "unknown batch flags";
      if (Compressed(f)) {
        if (f.payload.size() <= kRawLenBytes) return "compressed batch shorter than its length field";
        if (DecodeU32BE(f.payload.data()) == 0) return "compressed batch of 0 bytes";
        return nullptr;  // the events are checked when BatchEvents decompresses them
      }
      return CheckEvents(f.payload, f.event_count);
    case FrameType::kControl:
      if (f.flags != 0) return "flags on a frame that is not a batch";
      if (f.seq == 0) return "control with sequence 0";
      if (f.event_count != 0 || f.low_seq != 0) return "control with event fields";
      return nullptr;
    case FrameType::kAck:
    case FrameType::kHeartbeat:
    case FrameType::kControlAck:
    case FrameType::kHello:
      if (f.flags != 0) return "flags on a frame that is not a batch";
      if (f.event_count != 0 || f.low_seq != 0) return "non-batch frame with event fields";
      if (!f.payload.empty()) return "payload on a frame type that has none";
      return nullptr;
  }
  return "unknown type";
}

Error Reject(FrameReject r, FrameReject* why, std::string msg) {
  if (why) *why = r;
  return Error(r == FrameReject::kBadChecksum ? ErrorCode::kCorrupt
               : r == FrameReject::kOversize  ? ErrorCode::kLimit
                                              : ErrorCode::kParse,
               "frame: " + std::string(FrameRejectName(r)) + ": " + msg);
}

}  // namespace

const char* FrameTypeName(FrameType t) {
  switch (t) {
    case FrameType::kBatch: return "batch";
    case FrameType::kAck: return "ack";
    case FrameType::kHeartbeat: return "heartbeat";
    case FrameType::kControl: return "control";
    case FrameType::kControlAck: return "control_ack";
    case FrameType::kHello: return "hello";
  }
  return "unknown";
}

const char* FrameRejectName(FrameReject r) {
  switch (r) {
    case FrameReject::kNone: return "none";
    case FrameReject::kTruncated: return "truncated";
    case FrameReject::kOversize: return "oversize";
    case FrameReject::kBadMagic: return "bad_magic";
    case FrameReject::kBadVersion: return "bad_version";
    case FrameReject::kBadType: return "bad_type";
    case FrameReject::kBadFlags: return "bad_flags";
    case FrameReject::kBadOrigin: return "bad_origin";
    case FrameReject::kTrailingBytes: return "trailing_bytes";
    case FrameReject::kBadChecksum: return "bad_checksum";
    case FrameReject::kBadFields: return "bad_fields";
    case FrameReject::kBadCompression: return "bad_compression";
    case FrameReject::kCount_: break;
  }
  return "unknown";
}

uint32_t CountEvents(std::string_view payload) {
  // memchr per line rather than std::count: libc's memchr scans 32-64 bytes per step, the
  // byte loop one (this check runs over every byte the receiver gets).
  uint32_t n = 0;
  const char* p = payload.data();
  const char* end = p + payload.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    ++n;
    p = static_cast<const char*>(nl) + 1;
  }
  return n;
}

Result<FrameView> ParseFrame(std::span<const std::byte> bytes, const FrameLimits& limits,
                             FrameReject* why) {
  if (why) *why = FrameReject::kNone;
  const size_t n = bytes.size();
  if (n > limits.max_frame_bytes) {
    return Reject(FrameReject::kOversize, why,
                  std::to_string(n) + " bytes > limit " + std::to_string(limits.max_frame_bytes));
  }
  if (n < kFrameHeaderSize) {
    return Reject(FrameReject::kTruncated, why, std::to_string(n) + " bytes, header needs 40");
  }
  const char* p = reinterpret_cast<const char*>(bytes.data());
  if (std::memcmp(p, kFrameMagic, sizeof kFrameMagic) != 0) {
    return Reject(FrameReject::kBadMagic, why, "not a Vigil transport frame");
  }
  if (static_cast<uint8_t>(p[kOffVersion]) != kFrameVersion) {
    return Reject(FrameReject::kBadVersion, why,
                  "version " + std::to_string(static_cast<uint8_t>(p[kOffVersion])));
  }
  const auto type = static_cast<uint8_t>(p[kOffType]);
  if (!KnownType(type)) return Reject(FrameReject::kBadType, why, "type " + std::to_string(type));
  const uint16_t flags = DecodeU16BE(p + kOffFlags);
  if ((flags & ~kFrameFlagLz4) != 0 || (flags != 0 && type != static_cast<uint8_t>(FrameType::kBatch)) ||
      DecodeU16BE(p + kOffReserved) != 0) {
    return Reject(FrameReject::kBadFlags, why, "unknown flags, flags on a non-batch frame, or non-zero reserved field");
  }
  const size_t origin_len = DecodeU16BE(p + kOffOriginLen);
  const size_t payload_len = DecodeU32BE(p + kOffPayloadLen);
  // Lengths come from outside: compare against what is left rather than summing (no overflow).
  const size_t rest = n - kFrameHeaderSize;
  if (origin_len > rest || payload_len > rest - origin_len) {
    return Reject(FrameReject::kTruncated, why,
                  "declares " + std::to_string(origin_len) + "+" + std::to_string(payload_len) +
                      " bytes after the header, has " + std::to_string(rest));
  }
  if (origin_len + payload_len != rest) {
    return Reject(FrameReject::kTrailingBytes, why,
                  std::to_string(rest - origin_len - payload_len) + " bytes after the payload");
  }
  if (FrameCrc(p, rest) != DecodeU32BE(p + kOffCrc)) {
    return Reject(FrameReject::kBadChecksum, why, "crc32c mismatch");
  }
  FrameView f;
  f.type = static_cast<FrameType>(type);
  f.flags = flags;
  f.seq = DecodeU64BE(p + kOffSeq);
  f.low_seq = DecodeU64BE(p + kOffLowSeq);
  f.event_count = DecodeU32BE(p + kOffCount);
  f.origin = std::string_view(p + kFrameHeaderSize, origin_len);
  f.payload = std::string_view(p + kFrameHeaderSize + origin_len, payload_len);
  if (!ValidOrigin(f.origin, limits)) {
    return Reject(FrameReject::kBadOrigin, why, "origin empty, too long or not printable ASCII");
  }
  if (const char* bad = CheckFields(f)) return Reject(FrameReject::kBadFields, why, bad);
  return f;
}

Result<std::string_view> BatchEvents(const FrameView& f, const FrameLimits& limits, std::string* scratch,
                                     FrameReject* why) {
  if (why) *why = FrameReject::kNone;
  if (!Compressed(f)) return f.payload;  // ParseFrame checked it
  if (f.payload.size() <= kRawLenBytes) return Reject(FrameReject::kBadFields, why, "compressed batch too short");
  const size_t raw = DecodeU32BE(f.payload.data());
  if (raw == 0 || raw > limits.max_frame_bytes) {
    return Reject(FrameReject::kBadCompression, why,
                  "declares " + std::to_string(raw) + " bytes of events, limit " + std::to_string(limits.max_frame_bytes));
  }
  if (scratch->size() < raw) scratch->resize(raw);
  const std::string_view block = f.payload.substr(kRawLenBytes);
  const int got = LZ4_decompress_safe(block.data(), scratch->data(), static_cast<int>(block.size()), static_cast<int>(raw));
  if (got < 0 || static_cast<size_t>(got) != raw) {
    return Reject(FrameReject::kBadCompression, why, "LZ4 block does not decompress to its declared length");
  }
  const std::string_view events(scratch->data(), raw);
  if (const char* bad = CheckEvents(events, f.event_count)) return Reject(FrameReject::kBadFields, why, bad);
  return events;
}

bool CompressBatchPayload(std::string_view events, size_t prefix, std::string* out) {
  if (events.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) return false;
  const int src = static_cast<int>(events.size());
  const int bound = LZ4_compressBound(src);
  out->resize(prefix + kRawLenBytes + static_cast<size_t>(bound));
  const int n = LZ4_compress_default(events.data(), out->data() + prefix + kRawLenBytes, src, bound);
  if (n <= 0 || kRawLenBytes + static_cast<size_t>(n) >= events.size()) return false;
  EncodeU32BE(out->data() + prefix, static_cast<uint32_t>(events.size()));
  out->resize(prefix + kRawLenBytes + static_cast<size_t>(n));
  return true;
}

Status EncodeFrame(const FrameView& f, const FrameLimits& limits, std::string* out) {
  if (!ValidOrigin(f.origin, limits)) {
    return Error(ErrorCode::kInvalidArgument,
                 "frame: origin '" + std::string(f.origin) + "' empty, too long or not printable");
  }
  if (f.payload.size() > UINT32_MAX ||
      kFrameHeaderSize + f.origin.size() + f.payload.size() > limits.max_frame_bytes) {
    return Error(ErrorCode::kLimit, "frame: " + std::to_string(f.payload.size()) +
                                        "-byte payload exceeds max frame size " +
                                        std::to_string(limits.max_frame_bytes));
  }
  if (const char* bad = CheckFields(f)) return Error(ErrorCode::kInvalidArgument, std::string("frame: ") + bad);
  out->clear();
  out->resize(kFrameHeaderSize + f.origin.size() + f.payload.size());
  char* p = out->data();
  std::memcpy(p, kFrameMagic, sizeof kFrameMagic);
  p[kOffVersion] = static_cast<char>(kFrameVersion);
  p[kOffType] = static_cast<char>(f.type);
  EncodeU16BE(p + kOffFlags, f.flags);
  EncodeU16BE(p + kOffOriginLen, static_cast<uint16_t>(f.origin.size()));
  EncodeU16BE(p + kOffReserved, 0);
  EncodeU64BE(p + kOffSeq, f.seq);
  EncodeU64BE(p + kOffLowSeq, f.low_seq);
  EncodeU32BE(p + kOffCount, f.event_count);
  EncodeU32BE(p + kOffPayloadLen, static_cast<uint32_t>(f.payload.size()));
  std::memcpy(p + kFrameHeaderSize, f.origin.data(), f.origin.size());
  if (!f.payload.empty()) {
    std::memcpy(p + kFrameHeaderSize + f.origin.size(), f.payload.data(), f.payload.size());
  }
  EncodeU32BE(p + kOffCrc, FrameCrc(p, out->size() - kFrameHeaderSize));
  return Ok();
}

uint64_t FrameLowSeq(std::string_view frame) {
  return frame.size() < kFrameHeaderSize ? 0 : DecodeU64BE(frame.data() + kOffLowSeq);
}

Status FinishBatchFrame(std::string* buf, uint64_t seq, uint64_t low_seq, uint32_t event_count,
                        std::string_view origin, const FrameLimits& limits, uint16_t flags) {
  const size_t prefix = BatchFramePrefix(origin);
  if (!ValidOrigin(origin, limits)) return Error(ErrorCode::kInvalidArgument, "frame: invalid origin");
  if ((flags & ~kFrameFlagLz4) != 0) return Error(ErrorCode::kInvalidArgument, "frame: unknown batch flags");
  const bool compressed = (flags & kFrameFlagLz4) != 0;
  if (compressed ? buf->size() <= prefix + kRawLenBytes : buf->size() <= prefix || buf->back() != '\n') {
    return Error(ErrorCode::kInvalidArgument, "frame: batch payload empty or not newline-terminated");
  }
  if (buf->size() > limits.max_frame_bytes || buf->size() - prefix > UINT32_MAX) {
    return Error(ErrorCode::kLimit, "frame: " + std::to_string(buf->size()) + "-byte batch exceeds max frame size " +
                                        std::to_string(limits.max_frame_bytes));
  }
  if (seq == 0 || low_seq == 0 || low_seq > seq || event_count == 0) {
    return Error(ErrorCode::kInvalidArgument, "frame: batch seq/low_seq/event_count out of range");
  }
  char* p = buf->data();
  std::memcpy(p, kFrameMagic, sizeof kFrameMagic);
  p[kOffVersion] = static_cast<char>(kFrameVersion);
  p[kOffType] = static_cast<char>(FrameType::kBatch);
  EncodeU16BE(p + kOffFlags, flags);
  EncodeU16BE(p + kOffOriginLen, static_cast<uint16_t>(origin.size()));
  EncodeU16BE(p + kOffReserved, 0);
  EncodeU64BE(p + kOffSeq, seq);
  EncodeU64BE(p + kOffLowSeq, low_seq);
  EncodeU32BE(p + kOffCount, event_count);
  EncodeU32BE(p + kOffPayloadLen, static_cast<uint32_t>(buf->size() - prefix));
  std::memcpy(p + kFrameHeaderSize, origin.data(), origin.size());
  EncodeU32BE(p + kOffCrc, FrameCrc(p, buf->size() - kFrameHeaderSize));
  return Ok();
}

Status PatchLowSeq(std::string* frame, uint64_t low_seq) {
  if (frame->size() < kFrameHeaderSize) return Error(ErrorCode::kInternal, "frame: patch of a truncated frame");
  char* p = frame->data();
  EncodeU64BE(p + kOffLowSeq, low_seq);
  EncodeU32BE(p + kOffCrc, FrameCrc(p, frame->size() - kFrameHeaderSize));
  return Ok();
}

}  // namespace vigil::transport
