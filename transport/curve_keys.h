// CURVE keys: generating, storing and loading the Curve25519 key pairs that encrypt and
// authenticate every transport connection.
//
// Keys travel as Z85 text (40 characters for 32 bytes), the form ZeroMQ's socket options take.
// A secret key file holds both halves and must be mode 0600 (loading refuses a file readable by
// group or others, as ssh does); a public key file holds the public half and may be shared.
//
//   VIGIL_TRY(CurveKeyPair kp, GenerateCurveKeyPair());
//   VIGIL_CHECK_OK(WriteSecretKeyFile("/etc/vigil/sensor.key", kp));      // 0600
//   VIGIL_CHECK_OK(WritePublicKeyFile("/etc/vigil/sensor.pub", kp.public_z85));
//   VIGIL_TRY(CurveKeyPair loaded, LoadSecretKeyFile("/etc/vigil/sensor.key"));
//
// File format (both files; a token starting with '#' begins a comment, except the key itself:
// Z85 keys may contain '#'):
//   public <40 Z85 chars>
//   secret <40 Z85 chars>      (secret key file only)
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::transport {

inline constexpr size_t kCurveKeyZ85Size = 40;
inline constexpr size_t kCurveKeyBinarySize = 32;

struct CurveKeyPair {
  std::string public_z85;
  std::string secret_z85;

  CurveKeyPair() = default;
  CurveKeyPair(const CurveKeyPair&) = default;
  CurveKeyPair& operator=(const CurveKeyPair&) = default;
  CurveKeyPair(CurveKeyPair&&) = default;
  CurveKeyPair& operator=(CurveKeyPair&&) = default;
  ~CurveKeyPair();  // wipes the secret from memory
};

[[nodiscard]] Result<CurveKeyPair> GenerateCurveKeyPair();

// Decodes a Z85 key; kInvalidArgument unless it is exactly 40 valid Z85 characters.
[[nodiscard]] Result<std::array<uint8_t, kCurveKeyBinarySize>> DecodeCurveKey(std::string_view z85);
std::string EncodeCurveKey(const std::array<uint8_t, kCurveKeyBinarySize>& key);

// Creates (or truncates) `path` with mode 0600 and writes both keys.
Status WriteSecretKeyFile(const std::string& path, const CurveKeyPair& keys);
Status WritePublicKeyFile(const std::string& path, std::string_view public_z85);
// Loads a secret key file; checks its mode, both keys' syntax and that the public key is the
// one derived from the secret key.
[[nodiscard]] Result<CurveKeyPair> LoadSecretKeyFile(const std::string& path);
[[nodiscard]] Result<std::string> LoadPublicKeyFile(const std::string& path);

}  // namespace vigil::transport
