// TransformChain: a sticky buffer's transforms (dotprefix, to_lowercase, to_sha256, xor,
// pcrexform, from_base64...) compiled once at load, applied per inspection by a worker.
//
// The engine interns one chain per distinct (buffer, transform list) of the rule set; a worker
// computes each chain at most once per inspection (TransformCache in DetectThread) and both the
// Hyperscan prefilter and the payload keywords read the result. Each step reads the previous
// step's output; two per-thread vectors are used in turn, so a chain allocates nothing once they
// have grown to the largest buffer seen.
//
// Semantics (Suricata 7/8):
//   dotprefix            prepend '.' (an empty buffer stays empty)
//   strip_whitespace     drop every isspace() byte
//   compress_whitespace  each run of isspace() bytes becomes one ' '
//   to_lowercase/_uppercase  ASCII letters only
//   to_md5/_sha1/_sha256 the raw digest (16/20/32 bytes) of the buffer
//   url_decode           %HH → byte (two hex digits), '+' → ' ', anything else kept
//   header_lowercase     header names ("Name: value" lines: the bytes before the first ':')
//                        lower-cased, values kept
//   strip_pseudo_headers lines starting with ':' (HTTP/2 pseudo headers) removed
//   xor:"key"            each byte XORed with the key, repeated
//   pcrexform:"re"       the first capture group of the first match; unchanged when no match
//   from_base64:[bytes N][,offset N][,mode rfc4648|rfc2045|strict]  base64-decoded slice
//                        (default: the whole buffer, rfc4648); empty when offset is past the end
//
//   auto chain = TransformChain::Compile(BufferId::kDnsQuery, list.transforms);
//   TransformScratch s(&pcre_scratch);
//   chain->Apply(query, s, &out);   // out holds the transformed bytes
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "rules/signature/sticky_buffer.h"
#include "rules/signature/transform_option.h"
#include "sensor/detect/base64_decoder.h"
#include "sensor/detect/pcre_program.h"

struct evp_md_st;
struct evp_md_ctx_st;

namespace vigil::sensor {

// A worker's buffers for applying chains. Not thread-safe.
class TransformScratch {
 public:
  explicit TransformScratch(PcreScratch* pcre);
  ~TransformScratch();
  TransformScratch(const TransformScratch&) = delete;
  TransformScratch& operator=(const TransformScratch&) = delete;

 private:
  friend class TransformChain;
  PcreScratch* pcre_;
  evp_md_ctx_st* md_ctx_ = nullptr;
  std::vector<uint8_t> tmp_;
};

class TransformChain {
 public:
  // Fails (kUnsupported / kParse) for a transform whose argument cannot be used.
  static Result<TransformChain> Compile(rules::BufferId buffer,
                                        const std::vector<rules::Transform>& transforms);
  TransformChain(TransformChain&&) noexcept;
  TransformChain& operator=(TransformChain&&) noexcept;
  ~TransformChain();

  rules::BufferId buffer() const { return buffer_; }
  // Writes the transformed `in` to `*out` (resized; capacity kept between calls).
  void Apply(std::span<const uint8_t> in, TransformScratch& s, std::vector<uint8_t>* out) const;

 private:
  struct Step {
    rules::TransformKind kind = rules::TransformKind::kDotPrefix;
    std::string key;                      // xor
    std::unique_ptr<PcreProgram> pcre;    // pcrexform
    // to_md5 / to_sha1 / to_sha256: fetched once (an implicit fetch per digest costs more than
    // hashing a short buffer).
    std::shared_ptr<evp_md_st> md;
    uint32_t b64_bytes = 0, b64_offset = 0;  // from_base64 (bytes 0: to the end)
    Base64Mode b64_mode = Base64Mode::kRfc4648;
  };
  TransformChain() = default;
  static void Run(const Step& st, std::span<const uint8_t> in, TransformScratch& s,
                  std::vector<uint8_t>* out);

  rules::BufferId buffer_ = rules::BufferId::kPacket;
  std::vector<Step> steps_;
};

}  // namespace vigil::sensor
