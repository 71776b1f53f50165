// BodyDecoderChain: the layers of a response body's Content-Encoding, undone one after another.
//
// "Content-Encoding: gzip, deflate" (or the same split over two headers) means the server
// gzipped the body, then deflated the result; the chain inflates first, then gunzips, as libhtp
// does (its decompressors are prepended, one per token). Each layer is a BodyDecompressor, which
// sniffs the real format from the first bytes, so a mislabelled layer still decodes.
//
// Each layer that fails before producing a byte (the last layer: before kProbation bytes, which
// it then takes back), within its first keep_limit input bytes, is a passthrough from then on (its input goes on unchanged, as libhtp's
// decompressor does when the data was not compressed at all); a later failure stops the chain
// (kError). Bombs stay bounded: every layer carries the full
// BodyDecompressor::Limits (size cap and ratio), so one body never expands past
// layers x max_output bytes of work, and only the last layer writes into the kept body, bounded
// by `out_limit`. Layer objects (and their zlib state) are kept across bodies: no allocation per
// body once warm.
//
//   BodyDecoderChain chain;
//   BodyDecompressor::Kind kinds[] = {kDeflate, kGzip};  // decode order
//   chain.Start(kinds, cfg.response_body_limit);
//   auto st = chain.Feed(bytes, tx.response_body, cfg.response_body_limit, limits);
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "sensor/app/http/body_decompressor.h"

namespace vigil::sensor {

class BodyDecoderChain {
 public:
  // Hard cap on layers (the configured limit, HttpConfig::decompress_max_layers, is at most this).
  static constexpr size_t kMaxLayers = 8;
  using Status = BodyDecompressor::Status;

  // Begins a body. `kinds` lists the layers in decoding order (the last Content-Encoding token
  // first); more than kMaxLayers are ignored. `keep_limit` bounds the raw bytes each layer keeps
  // while it has produced nothing (what a passthrough would replay).
  void Start(std::span<const BodyDecompressor::Kind> kinds, uint64_t keep_limit);
  // Decodes `in` through every layer, appending the last layer's output to `out` (never past
  // `out_limit`). kOk: more may come. kDone: the coded stream ended, further input is ignored.
  // kFull: `out` reached out_limit. kError: a layer failed after producing output. kBomb: a
  // layer passed its size or ratio cap.
  Status Feed(std::span<const uint8_t> in, std::string& out, uint64_t out_limit,
              const BodyDecompressor::Limits& limits);

  size_t layers() const { return n_; }
  // A layer turned into a passthrough (its input was not coded) during this body.
  bool passed_through() const { return passed_through_; }
  // Every layer is a passthrough: the body is kept as it came.
  bool all_passthrough() const;

 private:
  struct Layer {
    std::unique_ptr<BodyDecompressor> dec;
    bool passthrough = false;
    bool done = false;
    uint64_t seen = 0;      // raw bytes fed to this layer during the current body
    bool committed = false; // its output stands: a later error stops the chain
    size_t out_start = 0;   // (last layer) size of the kept body when this body began
    std::string undecoded;  // raw input while nothing was produced (bounded by keep_limit_)
    std::string scratch;    // this layer's output for the next layer (not for the last one)
  };
  // Output a failing last layer may take back (libhtp delivers inflated data in 8 KiB blocks and
  // re-reads a body that fails before its first block as not coded; garbage decoded from plain
  // text by raw deflate fails well before that).
  static constexpr uint64_t kProbation = 8 * 1024;
  // Feeds `in` to layers [first, n_), the last one writing into `out`.
  Status FeedFrom(size_t first, std::span<const uint8_t> in, std::string& out, uint64_t out_limit,
                  const BodyDecompressor::Limits& limits);
  Status FeedLayer(Layer& l, bool last, std::span<const uint8_t> in, std::string& out,
                   uint64_t out_limit, const BodyDecompressor::Limits& limits);
  // Appends up to out_limit; kFull when bytes had to be dropped (or out was already full).
  static Status AppendBounded(std::string& out, std::string_view bytes, uint64_t out_limit);

  std::array<Layer, kMaxLayers> layers_;
  size_t n_ = 0;
  uint64_t keep_limit_ = 0;
  bool passed_through_ = false;
};

}  // namespace vigil::sensor
