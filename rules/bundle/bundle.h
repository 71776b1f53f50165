// Bundle: a versioned, Ed25519-signed package of signature rules and indicator lists that the
// national center (or a province) publishes down the hierarchy in transport control messages.
// Sensors refuse a bundle that is unsigned, signed by a key they do not trust, altered after
// signing, or malformed; each refusal has its own reason so it can be counted.
//
// Text form (length-prefixed sections, so rule text can hold anything):
//   vigil-bundle 1
//   name national-intel
//   version 42
//   created 2026-11-23T21:00:00Z
//   signer ed25519-public <base64>
//   rules <N>\n<N bytes>\n
//   indicators <N>\n<N bytes>\n
//   signature <base64 of the 64-byte Ed25519 signature over every byte before this line>
//
//   VIGIL_TRY(std::string text, SignBundle(bundle, key));
//   auto b = VerifyBundle(text, trusted);   // BundleRefusal in the error's message prefix
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "rules/bundle/bundle_keys.h"

namespace vigil::rules {

struct Bundle {
  std::string name;        // [A-Za-z0-9._-], 1..128
  uint64_t version = 0;    // increases with every publication of the same name
  std::string created;     // RFC 3339 text, informational
  SignerPublicKey signer{};
  std::string rules;       // Suricata-syntax rules
  std::string indicators;  // indicator list (rules/bundle/indicator.h)
};

// Why a bundle was refused (each has a counter on the receiving side).
enum class BundleRefusal : uint8_t { kMalformed, kUnsigned, kUntrustedSigner, kBadSignature, kTooLarge };
std::string_view BundleRefusalName(BundleRefusal r);

struct BundleError {
  BundleRefusal reason = BundleRefusal::kMalformed;
  std::string detail;
};

inline constexpr size_t kMaxBundleBytes = 64u << 20;

// Serialises and signs; b.signer is set from the key. Fails on a bad name or oversize content.
Result<std::string> SignBundle(Bundle b, const SigningKey& key);

// Parses and checks the signature against the trusted keys. On refusal, `error` says why.
bool VerifyBundle(std::string_view text, const TrustedSigners& trusted, Bundle* out,
                  BundleError* error);

}  // namespace vigil::rules
