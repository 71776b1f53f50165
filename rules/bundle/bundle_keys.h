// Ed25519 keys that sign intelligence bundles (libsodium crypto_sign), separate from the CURVE
// transport keys: the national center signs with an offline-kept key; sensors and provincial
// correlators trust a list of public keys.
//
// Files (text, base64 of the raw key):
//   public:  "ed25519-public <44 base64 chars>"
//   secret:  "ed25519-secret <88 base64 chars>" (64-byte libsodium secret key), mode 0600
//
//   VIGIL_TRY(SigningKey k, SigningKey::Generate());
//   VIGIL_CHECK_OK(WriteSigningKeyFiles(k, "national.sign"));   // .pub + .secret
//   VIGIL_TRY(TrustedSigners t, TrustedSigners::Load({"national.sign.pub"}));
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::rules {

using SignerPublicKey = std::array<uint8_t, 32>;

struct SigningKey {
  SignerPublicKey public_key{};
  std::array<uint8_t, 64> secret_key{};

  static Result<SigningKey> Generate();
  ~SigningKey();  // wipes the secret
  SigningKey() = default;
  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;
};

std::string EncodeBase64(const uint8_t* data, size_t size);
// Decodes standard base64 (with padding) into exactly out_size bytes.
Status DecodeBase64(std::string_view text, uint8_t* out, size_t out_size);

std::string FormatPublicKey(const SignerPublicKey& key);  // "ed25519-public <b64>"
Result<SignerPublicKey> ParsePublicKey(std::string_view text);

// Writes PATH.pub (0644) and PATH.secret (0600).
Status WriteSigningKeyFiles(const SigningKey& key, const std::string& path);
Result<SigningKey> ReadSigningKeyFile(const std::string& secret_path);

// The public keys a sensor or correlator accepts bundles from.
class TrustedSigners {
 public:
  void Add(const SignerPublicKey& key) { keys_.push_back(key); }
  bool Contains(const SignerPublicKey& key) const;
  bool empty() const { return keys_.empty(); }
  // Each file holds one or more "ed25519-public" lines (blank lines and # comments skipped).
  static Result<TrustedSigners> Load(const std::vector<std::string>& files);

 private:
  std::vector<SignerPublicKey> keys_;
};

}  // namespace vigil::rules
