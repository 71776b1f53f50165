#include "sensor/app/http/body_decompressor.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace vigil::sensor {

struct BodyDecompressor::Stream {
  z_stream z;
};

BodyDecompressor::BodyDecompressor() = default;

BodyDecompressor::~BodyDecompressor() {
  if (zs_ && window_bits_ != 0) inflateEnd(&zs_->z);
}

bool BodyDecompressor::Init(int window_bits) {
  if (!zs_) {
    zs_ = std::make_unique<Stream>();
    std::memset(&zs_->z, 0, sizeof(zs_->z));
  }
  if (window_bits_ == window_bits) {
    return inflateReset(&zs_->z) == Z_OK;
  }
  if (window_bits_ != 0) inflateEnd(&zs_->z);
  window_bits_ = 0;
  std::memset(&zs_->z, 0, sizeof(zs_->z));
  if (inflateInit2(&zs_->z, window_bits) != Z_OK) return false;
  window_bits_ = window_bits;
  return true;
}

void BodyDecompressor::Start(Kind kind) {
  kind_ = kind;
  started_ = false;
  prefix_len_ = 0;
  hdr_ = Hdr::kFixed;
  hdr_flags_ = 0;
  hdr_left_ = 10;
  total_in_ = total_out_ = 0;
}

bool BodyDecompressor::SkipGzipHeader(std::span<const uint8_t>& in) {
  constexpr uint8_t kFhcrc = 0x02, kFextra = 0x04, kFname = 0x08, kFcomment = 0x10;
  auto skip = [&](uint32_t n) {
    size_t k = std::min<size_t>(n, in.size());
    total_in_ += k;
    in = in.subspan(k);
    return static_cast<uint32_t>(k);
  };
  while (hdr_ != Hdr::kDone) {
    if (in.empty()) return false;
    switch (hdr_) {
      case Hdr::kFixed:  // magic(2) CM FLG MTIME(4) XFL OS; the first two are in prefix_
        if (hdr_left_ == 7) hdr_flags_ = in[0];  // FLG is the 4th byte
        hdr_left_ -= skip(1);
        if (hdr_left_ == 0) {
          hdr_ = (hdr_flags_ & kFextra) ? Hdr::kExtraLen : Hdr::kName;
          hdr_left_ = 2;
        }
        break;
      case Hdr::kExtraLen:  // XLEN, little-endian
        if (hdr_left_ == 2) {
          xlen_lo_ = in[0];
        } else {
          hdr_ = Hdr::kExtra;
          uint32_t len = xlen_lo_ | (static_cast<uint32_t>(in[0]) << 8);
          skip(1);
          hdr_left_ = len;
          if (len == 0) hdr_ = Hdr::kName;
          break;
        }
        hdr_left_ -= skip(1);
        break;
      case Hdr::kExtra:
        hdr_left_ -= skip(hdr_left_);
        if (hdr_left_ == 0) hdr_ = Hdr::kName;
        break;
      case Hdr::kName:
      case Hdr::kComment: {
        bool want = hdr_ == Hdr::kName ? (hdr_flags_ & kFname) : (hdr_flags_ & kFcomment);
        if (want) {
          uint8_t c = in[0];
          skip(1);
          if (c != 0) break;
        }
        hdr_ = hdr_ == Hdr::kName ? Hdr::kComment : Hdr::kCrc;
        hdr_left_ = 2;
        break;
      }
      case Hdr::kCrc:
        if (hdr_flags_ & kFhcrc) hdr_left_ -= skip(hdr_left_);
        else hdr_left_ = 0;
        if (hdr_left_ == 0) hdr_ = Hdr::kDone;
        break;
      case Hdr::kDone:
        break;
    }
  }
  return true;
}

BodyDecompressor::Status BodyDecompressor::Feed(std::span<const uint8_t> in, std::string& out,
                                                uint64_t out_limit, const Limits& limits) {
  if (!started_) {
    // The first two bytes decide the format, buffered if split.
    while (prefix_len_ < 2 && !in.empty()) {
      prefix_[prefix_len_++] = in[0];
      in = in.subspan(1);
    }
    if (prefix_len_ < 2) return Status::kOk;
    unsigned b0 = prefix_[0], b1 = prefix_[1];
    if (b0 == 0x1f && b1 == 0x8b) {
      if (hdr_ == Hdr::kFixed && hdr_left_ == 10) {
        hdr_left_ = 8;  // magic consumed
        total_in_ += 2;
      }
      if (!SkipGzipHeader(in)) return Status::kOk;
      if (!Init(-15)) return Status::kError;
      started_ = true;
    } else {
      bool zlib_header = (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
      if (!Init(zlib_header ? 15 : -15)) return Status::kError;
      started_ = true;
      Status st = Inflate(std::span<const uint8_t>(prefix_, 2), out, out_limit, limits);
      if (st != Status::kOk) return st;
    }
  }
  return Inflate(in, out, out_limit, limits);
}

BodyDecompressor::Status BodyDecompressor::Inflate(std::span<const uint8_t> in, std::string& out,
                                                   uint64_t out_limit, const Limits& limits) {
  z_stream& z = zs_->z;
  z.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct
  z.avail_in = static_cast<uInt>(in.size());
  constexpr size_t kStep = 16 * 1024;
  // The ratio is checked each time the output reaches a multiple of kRatioStep (output is cut
  // there), never at the ends of input chunks: zlib's output per call depends on how the body
  // was split, and a check between checkpoints would stop a bomb at a split-dependent length.
  constexpr uint64_t kRatioStep = 4 * 1024;
  while (true) {
    if (out.size() >= out_limit) return Status::kFull;  // also: a body that starts full
    size_t room = static_cast<size_t>(std::min<uint64_t>(out_limit - out.size(), kStep));
    if (limits.max_ratio != 0) {
      room = static_cast<size_t>(std::min<uint64_t>(room, kRatioStep - total_out_ % kRatioStep));
    }
    size_t old = out.size();
    out.resize(old + room);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    z.avail_out = static_cast<uInt>(room);
    uInt before_in = z.avail_in;
    int ret = inflate(&z, Z_NO_FLUSH);
    size_t produced = room - z.avail_out;
    out.resize(old + produced);
    total_in_ += before_in - z.avail_in;
    total_out_ += produced;
    if (total_out_ > limits.max_output) {
      // Keep nothing beyond the cap.
      uint64_t over = total_out_ - limits.max_output;
      out.resize(out.size() - std::min<uint64_t>(over, produced));
      return Status::kBomb;
    }
    if (limits.max_ratio != 0 && produced != 0 && total_out_ % kRatioStep == 0 &&
        total_out_ >= limits.min_ratio_output &&
        total_out_ > static_cast<uint64_t>(limits.max_ratio) * std::max<uint64_t>(total_in_, 1)) {
      return Status::kBomb;
    }
    // Output full decides before zlib's verdict: with avail_out == 0 zlib still decodes the
    // next codes of whatever input it holds (stopping only when a literal or match needs room),
    // so an error or stream end found past the limit would depend on how the body was split.
    // The bytes past the limit are never inspected, so the result must not depend on them.
    if (out.size() >= out_limit) return Status::kFull;
    if (ret == Z_STREAM_END) return Status::kDone;
    if (ret == Z_BUF_ERROR) {
      // No progress possible: input exhausted (more may come) or output full (loop again).
      if (z.avail_in == 0) return Status::kOk;
      if (z.avail_out != 0) return Status::kError;
      continue;
    }
    if (ret != Z_OK) return Status::kError;
    if (z.avail_in == 0 && z.avail_out != 0) return Status::kOk;
  }
}

}  // namespace vigil::sensor
