// Sha256: incremental SHA-256 over OpenSSL's EVP interface (RAII for the EVP_MD_CTX). The truth
// file records the SHA-256 of each TCP stream direction; generators feed stream bytes as they
// write them, so no stream is ever held whole in memory.
//
//   Sha256 h; h.Update(bytes); std::string hex = h.FinishHex();
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <openssl/evp.h>

namespace vigil::synth {

class Sha256 {
 public:
  Sha256();
  Sha256(Sha256&&) noexcept = default;
  Sha256& operator=(Sha256&&) noexcept = default;

  void Update(std::span<const uint8_t> data);
  // Lowercase hex digest; the hasher restarts empty afterwards.
  std::string FinishHex();
  uint64_t length() const { return length_; }
  // Starts over (empty input).
  void Reset();

 private:
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx_;
  uint64_t length_ = 0;
};

}  // namespace vigil::synth
