#include "sensor/app/http/body_decoder_chain.h"

#include <algorithm>
#include <limits>

namespace vigil::sensor {

void BodyDecoderChain::Start(std::span<const BodyDecompressor::Kind> kinds, uint64_t keep_limit) {
  n_ = std::min(kinds.size(), kMaxLayers);
  keep_limit_ = keep_limit;
  passed_through_ = false;
  for (size_t i = 0; i < n_; ++i) {
    Layer& l = layers_[i];
    if (!l.dec) l.dec = std::make_unique<BodyDecompressor>();
    l.dec->Start(kinds[i]);
    l.passthrough = false;
    l.done = false;
    l.seen = 0;
    l.committed = false;
    l.out_start = 0;
    l.undecoded.clear();
    l.scratch.clear();
  }
}

bool BodyDecoderChain::all_passthrough() const {
  for (size_t i = 0; i < n_; ++i) {
    if (!layers_[i].passthrough) return false;
  }
  return true;
}

BodyDecoderChain::Status BodyDecoderChain::AppendBounded(std::string& out, std::string_view bytes,
                                                         uint64_t out_limit) {
  uint64_t room = out.size() < out_limit ? out_limit - out.size() : 0;
  size_t n = static_cast<size_t>(std::min<uint64_t>(room, bytes.size()));
  out.append(bytes.substr(0, n));
  // Filling `out` exactly is not a loss: only bytes that did not fit make it kFull, so the result
  // is the same whether the last byte came alone or with the others.
  return n < bytes.size() ? Status::kFull : Status::kOk;
}

BodyDecoderChain::Status BodyDecoderChain::FeedLayer(Layer& l, bool last,
                                                     std::span<const uint8_t> in,
                                                     std::string& out, uint64_t out_limit,
                                                     const BodyDecompressor::Limits& limits) {
  if (l.done || in.empty()) return Status::kOk;
  std::string_view raw(reinterpret_cast<const char*>(in.data()), in.size());
  if (l.passthrough) return AppendBounded(out, raw, out_limit);
  if (l.seen == 0) l.out_start = out.size();
  l.seen += in.size();
  if (!l.committed) {
    uint64_t keep = l.undecoded.size() < keep_limit_ ? keep_limit_ - l.undecoded.size() : 0;
    l.undecoded.append(raw.substr(0, static_cast<size_t>(std::min<uint64_t>(keep, raw.size()))));
  }
  Status st = l.dec->Feed(in, out, out_limit, limits);
  // What a layer may take back: an intermediate layer's output has gone downstream at once; the
  // last layer's stands past kProbation bytes. Both tests use totals at the point of the error,
  // never call boundaries, so the outcome does not depend on how the body was split.
  uint64_t produced = l.dec->total_out();
  uint64_t probation = last ? kProbation : 0;
  if (st == Status::kError && produced <= probation && l.dec->total_in() <= keep_limit_) {
    // Not coded after all: take back what it decoded, replay what came and pass the rest on.
    l.passthrough = true;
    passed_through_ = true;
    out.resize(std::min(out.size(), l.out_start));
    Status app = AppendBounded(out, l.undecoded, out_limit);
    bool dropped = l.seen > l.undecoded.size();  // past keep_limit_: lost, as past a body limit
    l.undecoded.clear();
    return dropped ? Status::kFull : app;
  }
  if (produced > probation) {
    l.committed = true;
    l.undecoded.clear();
  }
  if (st == Status::kDone) {
    l.done = true;
    return Status::kOk;
  }
  return st;
}

BodyDecoderChain::Status BodyDecoderChain::Feed(std::span<const uint8_t> in, std::string& out,
                                                uint64_t out_limit,
                                                const BodyDecompressor::Limits& limits) {
  if (n_ == 0) return AppendBounded(out, {reinterpret_cast<const char*>(in.data()), in.size()},
                                    out_limit);
  Status st = FeedFrom(0, in, out, out_limit, limits);
  if (st != Status::kOk) return st;
  // Once the outermost coding (or the innermost) has ended, nothing more can come out.
  if (layers_[0].done || layers_[n_ - 1].done) return Status::kDone;
  return Status::kOk;
}

BodyDecoderChain::Status BodyDecoderChain::FeedFrom(size_t first, std::span<const uint8_t> in,
                                                    std::string& out, uint64_t out_limit,
                                                    const BodyDecompressor::Limits& limits) {
  std::span<const uint8_t> cur = in;
  for (size_t i = first; i < n_; ++i) {
    Layer& l = layers_[i];
    bool last = i + 1 == n_;
    std::string& dst = last ? out : l.scratch;
    if (!last) dst.clear();
    // Intermediate output is bounded by the layer's own max_output (kBomb past it).
    uint64_t lim = last ? out_limit : std::numeric_limits<uint64_t>::max();
    Status st = FeedLayer(l, last, cur, dst, lim, limits);
    if (st != Status::kOk) {
      // What an intermediate layer produced before its error or cap still goes downstream, as
      // it would have, had the body come in smaller pieces.
      if (!last && !dst.empty()) {
        Status down = FeedFrom(i + 1, {reinterpret_cast<const uint8_t*>(dst.data()), dst.size()},
                               out, out_limit, limits);
        if (down == Status::kFull) return down;
        // The innermost coding ended on that output: what broke after it is never read, as
        // when the body comes in pieces and feeding stops at kDone.
        if (layers_[n_ - 1].done) return Status::kOk;
      }
      return st;
    }
    if (!last) cur = {reinterpret_cast<const uint8_t*>(dst.data()), dst.size()};
  }
  return Status::kOk;
}

}  // namespace vigil::sensor
