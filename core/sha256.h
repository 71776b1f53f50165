// Sha256: incremental SHA-256 over OpenSSL's EVP interface (RAII for the EVP_MD_CTX), for data
// that is never held whole: the synthesizer's per-stream truth hashes, the sensor's rule-set
// digest (files hashed as they are read).
//
//   Sha256 h; h.Update(bytes); std::string hex = h.FinishHex();
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <openssl/evp.h>

namespace vigil {

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

}  // namespace vigil
