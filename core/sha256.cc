#include "core/sha256.h"

#include <new>

namespace vigil {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  // EVP_MD_CTX_new fails only when memory is exhausted: report it as any C++ allocation does.
  if (!ctx_) throw std::bad_alloc();
  Reset();
}

void Sha256::Reset() {
  EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
  length_ = 0;
}

void Sha256::Update(std::span<const uint8_t> data) {
  if (data.empty()) return;
  EVP_DigestUpdate(ctx_.get(), data.data(), data.size());
  length_ += data.size();
}

std::string Sha256::FinishHex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_.get(), md, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (unsigned int i = 0; i < n; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  Reset();
  return out;
}

}  // namespace vigil
