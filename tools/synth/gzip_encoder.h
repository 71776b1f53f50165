// GzipEncoder: zlib deflate with a gzip wrapper (Content-Encoding: gzip), one z_stream reused for
// every body (deflateReset between bodies). RAII: the stream is released with the encoder.
// zlib's output is a pure function of its input and parameters, so gzip bodies stay
// deterministic for a given seed.
//
//   GzipEncoder gz;
//   std::vector<uint8_t> out;
//   if (!gz.Compress(text, out)) { ... }
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <zlib.h>

#include "core/result.h"

namespace vigil::synth {

class GzipEncoder {
 public:
  explicit GzipEncoder(int level = 6);
  ~GzipEncoder();
  GzipEncoder(const GzipEncoder&) = delete;
  GzipEncoder& operator=(const GzipEncoder&) = delete;

  // Replaces out with the gzip member holding `in`.
  Status Compress(std::span<const uint8_t> in, std::vector<uint8_t>& out);

 private:
  z_stream zs_{};
  bool ready_ = false;
};

}  // namespace vigil::synth
