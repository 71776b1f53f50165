#include "tools/synth/gzip_encoder.h"

namespace vigil::synth {

GzipEncoder::GzipEncoder(int level) {
  // windowBits 15 + 16 selects the gzip wrapper; memLevel 8 is zlib's default.
  ready_ = deflateInit2(&zs_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

GzipEncoder::~GzipEncoder() {
  if (ready_) deflateEnd(&zs_);
}

Status GzipEncoder::Compress(std::span<const uint8_t> in, std::vector<uint8_t>& out) {
  if (!ready_) return Error(ErrorCode::kInternal, "zlib deflateInit2 failed");
  if (deflateReset(&zs_) != Z_OK) return Error(ErrorCode::kInternal, "zlib deflateReset failed");
  out.resize(deflateBound(&zs_, static_cast<uLong>(in.size())) + 32);
  zs_.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct
  zs_.avail_in = static_cast<uInt>(in.size());
  zs_.next_out = out.data();
  zs_.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs_, Z_FINISH);
  if (rc != Z_STREAM_END) return Error(ErrorCode::kInternal, "zlib deflate did not finish");
  out.resize(out.size() - zs_.avail_out);
  return Ok();
}

}  // namespace vigil::synth
