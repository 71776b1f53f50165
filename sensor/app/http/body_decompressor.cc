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
  total_in_ = total_out_ = 0;
}

BodyDecompressor::Status BodyDecompressor::Feed(std::span<const uint8_t> in, std::string& out,
                                                uint64_t out_limit, const Limits& limits) {
  if (!started_) {
    if (kind_ == Kind::kGzip) {
      // 15 + 32: gzip or zlib header, detected by zlib (some servers label zlib data gzip).
      if (!Init(15 + 32)) return Status::kError;
      started_ = true;
    } else {
      // Decide zlib-wrapped vs raw deflate from the first two bytes, buffering them if split.
      while (prefix_len_ < 2 && !in.empty()) {
        prefix_[prefix_len_++] = in[0];
        in = in.subspan(1);
      }
      if (prefix_len_ < 2) return Status::kOk;
      unsigned cmf = prefix_[0], flg = prefix_[1];
      bool zlib_header = (cmf & 0x0f) == 8 && ((cmf << 8) | flg) % 31 == 0;
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
  while (true) {
    if (out.size() >= out_limit) return Status::kFull;  // also: a body that starts full
    size_t room = static_cast<size_t>(std::min<uint64_t>(out_limit - out.size(), kStep));
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
    if (limits.max_ratio != 0 && total_out_ >= limits.min_ratio_output &&
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
