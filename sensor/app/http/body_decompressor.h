// BodyDecompressor: incremental gzip/deflate decoding of an HTTP body with bomb protection.
//
// One per flow's response side, reused across transactions (Start() resets it; the zlib state is
// allocated on first use and released by the destructor: RAII over z_stream). Input arrives in
// any split; output is appended to the caller's buffer but never beyond `out_limit`, so a body
// is only decompressed as far as it will be inspected. Decompression stops with kBomb when the
// total output passes max_output, or when output/input passes max_ratio once min_ratio_output
// bytes were produced (the ratio is checked at every 4 KiB of output, so where a bomb stops does
// not depend on how the body was split).
//
//   BodyDecompressor d;
//   d.Start(BodyDecompressor::Kind::kGzip);
//   auto st = d.Feed(chunk, tx.response_body, cfg.response_body_limit, limits);
//   if (st == BodyDecompressor::Status::kBomb) ... // raise http.compression_bomb
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace vigil::sensor {

class BodyDecompressor {
 public:
  enum class Kind : uint8_t { kGzip, kDeflate };
  enum class Status : uint8_t {
    kOk,     // all input consumed, more may come
    kDone,   // end of the compressed stream (any further input is ignored)
    kFull,   // out_limit reached: the caller stops feeding. Wins over kDone/kError found in
             // the same call (they lie past the limit; reporting them would depend on the split)
    kError,  // corrupt data: decompression stopped
    kBomb,   // ratio or size cap exceeded: decompression stopped
  };
  struct Limits {
    uint64_t max_output = 1024 * 1024;
    uint32_t max_ratio = 200;  // 0 = no ratio check
    uint64_t min_ratio_output = 64 * 1024;
  };

  BodyDecompressor();
  ~BodyDecompressor();
  BodyDecompressor(const BodyDecompressor&) = delete;
  BodyDecompressor& operator=(const BodyDecompressor&) = delete;

  // Begins a new body. Like libhtp, the label is only a hint: the first bytes decide between a
  // gzip member (1f 8b), a zlib stream and raw deflate. The gzip header is walked here, as
  // libhtp does, not by zlib: reserved flag bits and a wrong header CRC are ignored (browsers
  // ignore them too), FEXTRA / FNAME / FCOMMENT / FHCRC are skipped; the trailer is not checked.
  void Start(Kind kind);
  Status Feed(std::span<const uint8_t> in, std::string& out, uint64_t out_limit,
              const Limits& limits);
  uint64_t total_in() const { return total_in_; }
  uint64_t total_out() const { return total_out_; }

 private:
  struct Stream;  // wraps z_stream
  Status Inflate(std::span<const uint8_t> in, std::string& out, uint64_t out_limit,
                 const Limits& limits);
  bool Init(int window_bits);
  // Consumes gzip header bytes from `in`; true once the header is complete.
  bool SkipGzipHeader(std::span<const uint8_t>& in);

  enum class Hdr : uint8_t { kFixed, kExtraLen, kExtra, kName, kComment, kCrc, kDone };

  std::unique_ptr<Stream> zs_;
  Kind kind_ = Kind::kGzip;
  bool started_ = false;  // inflateInit/Reset done for the current body
  int window_bits_ = 0;   // of the live zlib state (0: none)
  uint8_t prefix_[2] = {0, 0};
  size_t prefix_len_ = 0;
  Hdr hdr_ = Hdr::kFixed;   // gzip header walk
  uint8_t hdr_flags_ = 0;
  uint8_t xlen_lo_ = 0;
  uint32_t hdr_left_ = 0;   // bytes still to skip in the current header part
  uint64_t total_in_ = 0;
  uint64_t total_out_ = 0;
};

}  // namespace vigil::sensor
