#include "rules/bundle/bundle.h"

#include <sodium.h>

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace vigil::rules {
namespace {

constexpr std::string_view kMagic = "vigil-bundle 1\n";
constexpr std::string_view kSignatureTag = "signature ";
constexpr std::array<std::string_view, 5> kRefusalNames = {"malformed", "unsigned",
                                                           "untrusted_signer", "bad_signature",
                                                           "too_large"};

bool ValidName(std::string_view n) {
  if (n.empty() || n.size() > 128) return false;
  for (char c : n) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ValidCreated(std::string_view c) {
  if (c.size() > 64) return false;
  for (char ch : c) {
    if (ch < 0x21 || ch > 0x7e) return false;
  }
  return true;
}

// Reads "key value\n" from the front of `in`; value may be empty only if allow_empty.
bool TakeField(std::string_view& in, std::string_view key, std::string_view* value) {
  if (in.substr(0, key.size()) != key || in.size() <= key.size() || in[key.size()] != ' ') {
    return false;
  }
  const size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return false;
  *value = in.substr(key.size() + 1, nl - key.size() - 1);
  in.remove_prefix(nl + 1);
  return true;
}

bool ParseU64(std::string_view s, uint64_t* v) {
  if (s.empty() || s.size() > 20) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

// "key N\n" then N bytes then "\n".
bool TakeSection(std::string_view& in, std::string_view key, std::string* out) {
  std::string_view len_text;
  uint64_t len = 0;
  if (!TakeField(in, key, &len_text) || !ParseU64(len_text, &len)) return false;
  if (len >= in.size() || in[len] != '\n') return false;
  out->assign(in.substr(0, len));
  in.remove_prefix(len + 1);
  return true;
}

bool Refuse(BundleError* e, BundleRefusal r, std::string detail) {
  if (e) *e = {r, std::move(detail)};
  return false;
}

}  // namespace

std::string_view BundleRefusalName(BundleRefusal r) { return kRefusalNames[static_cast<size_t>(r)]; }

Result<std::string> SignBundle(Bundle b, const SigningKey& key) {
  if (!ValidName(b.name)) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("bundle name '{}': use 1-128 of [A-Za-z0-9._-]", b.name));
  }
  if (!ValidCreated(b.created)) {
    return Error(ErrorCode::kInvalidArgument, "bundle 'created' must be printable, no spaces");
  }
  b.signer = key.public_key;
  std::string text(kMagic);
  text += fmt::format("name {}\nversion {}\ncreated {}\nsigner {}\n", b.name, b.version,
                      b.created.empty() ? "-" : b.created, FormatPublicKey(b.signer));
  text += fmt::format("rules {}\n", b.rules.size());
  text += b.rules;
  text += fmt::format("\nindicators {}\n", b.indicators.size());
  text += b.indicators;
  text += "\n";
  if (text.size() + 128 > kMaxBundleBytes) {
    return Error(ErrorCode::kLimit, fmt::format("bundle of {} bytes is over the {} byte limit",
                                                text.size(), kMaxBundleBytes));
  }
  std::array<uint8_t, crypto_sign_BYTES> sig;
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const uint8_t*>(text.data()),
                       text.size(), key.secret_key.data());
  text += kSignatureTag;
  text += EncodeBase64(sig.data(), sig.size());
  text += "\n";
  return text;
}

bool VerifyBundle(std::string_view text, const TrustedSigners& trusted, Bundle* out,
                  BundleError* error) {
  if (text.size() > kMaxBundleBytes) {
    return Refuse(error, BundleRefusal::kTooLarge, fmt::format("{} bytes", text.size()));
  }
  if (text.substr(0, kMagic.size()) != kMagic) {
    return Refuse(error, BundleRefusal::kMalformed, "not a vigil bundle (bad first line)");
  }
  if (sodium_init() < 0) return Refuse(error, BundleRefusal::kMalformed, "libsodium unavailable");
  Bundle b;
  std::string_view in = text.substr(kMagic.size());
  std::string_view name, version, created, signer;
  if (!TakeField(in, "name", &name) || !ValidName(name)) {
    return Refuse(error, BundleRefusal::kMalformed, "bad or missing 'name'");
  }
  if (!TakeField(in, "version", &version) || !ParseU64(version, &b.version)) {
    return Refuse(error, BundleRefusal::kMalformed, "bad or missing 'version'");
  }
  if (!TakeField(in, "created", &created) || !ValidCreated(created)) {
    return Refuse(error, BundleRefusal::kMalformed, "bad or missing 'created'");
  }
  if (!TakeField(in, "signer", &signer)) {
    return Refuse(error, BundleRefusal::kMalformed, "missing 'signer'");
  }
  auto key = ParsePublicKey(signer);
  if (!key) return Refuse(error, BundleRefusal::kMalformed, "signer: " + key.error().message);
  if (!TakeSection(in, "rules", &b.rules) || !TakeSection(in, "indicators", &b.indicators)) {
    return Refuse(error, BundleRefusal::kMalformed, "bad 'rules' or 'indicators' section");
  }
  const size_t signed_len = static_cast<size_t>(in.data() - text.data());
  std::string_view sig_text;
  if (in.empty()) return Refuse(error, BundleRefusal::kUnsigned, "no signature line");
  if (!TakeField(in, "signature", &sig_text) || !in.empty()) {
    return Refuse(error, BundleRefusal::kMalformed, "bad signature line or trailing bytes");
  }
  std::array<uint8_t, crypto_sign_BYTES> sig;
  if (!DecodeBase64(sig_text, sig.data(), sig.size())) {
    return Refuse(error, BundleRefusal::kMalformed, "signature is not base64 of 64 bytes");
  }
  if (!trusted.Contains(*key)) {
    return Refuse(error, BundleRefusal::kUntrustedSigner,
                  fmt::format("signer {} is not trusted", FormatPublicKey(*key)));
  }
  if (crypto_sign_verify_detached(sig.data(), reinterpret_cast<const uint8_t*>(text.data()),
                                  signed_len, key->data()) != 0) {
    return Refuse(error, BundleRefusal::kBadSignature, "signature does not match the content");
  }
  b.name = std::string(name);
  b.created = created == "-" ? std::string() : std::string(created);
  b.signer = *key;
  if (out) *out = std::move(b);
  return true;
}

}  // namespace vigil::rules
