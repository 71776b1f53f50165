#include "rules/bundle/bundle_keys.h"

#include <sodium.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace vigil::rules {
namespace {

constexpr std::string_view kPublicTag = "ed25519-public ";
constexpr std::string_view kSecretTag = "ed25519-secret ";

// sodium_init is idempotent and thread-safe; it fails only when no entropy source exists.
Status EnsureSodium() {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium failed to initialise");
  return Ok();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, fmt::format("{}: cannot open", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Created with `mode` from the start (a secret is never readable by others, even briefly).
Status WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Error(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  bool ok = ::fchmod(fd, mode) == 0;
  size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  const int saved = errno;
  if (::close(fd) != 0) ok = false;
  if (!ok) return Error(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(saved)));
  return Ok();
}

}  // namespace

Result<SigningKey> SigningKey::Generate() {
  VIGIL_CHECK_OK(EnsureSodium());
  SigningKey k;
  crypto_sign_keypair(k.public_key.data(), k.secret_key.data());
  return k;
}

SigningKey::~SigningKey() { sodium_memzero(secret_key.data(), secret_key.size()); }

std::string EncodeBase64(const uint8_t* data, size_t size) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Status DecodeBase64(std::string_view text, uint8_t* out, size_t out_size) {
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out, out_size, text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size() || len != out_size) {
    return Error(ErrorCode::kParse, fmt::format("expected base64 of {} bytes", out_size));
  }
  return Ok();
}

std::string FormatPublicKey(const SignerPublicKey& key) {
  return std::string(kPublicTag) + EncodeBase64(key.data(), key.size());
}

Result<SignerPublicKey> ParsePublicKey(std::string_view text) {
  text = Trim(text);
  if (text.substr(0, kPublicTag.size()) != kPublicTag) {
    return Error(ErrorCode::kParse, "expected 'ed25519-public <base64>'");
  }
  SignerPublicKey k;
  VIGIL_CHECK_OK(DecodeBase64(Trim(text.substr(kPublicTag.size())), k.data(), k.size()));
  return k;
}

Status WriteSigningKeyFiles(const SigningKey& key, const std::string& path) {
  VIGIL_CHECK_OK(WriteFile(path + ".pub", FormatPublicKey(key.public_key) + "\n", 0644));
  std::string secret = std::string(kSecretTag) +
                       EncodeBase64(key.secret_key.data(), key.secret_key.size()) + "\n";
  Status st = WriteFile(path + ".secret", secret, 0600);
  sodium_memzero(secret.data(), secret.size());
  return st;
}

Result<SigningKey> ReadSigningKeyFile(const std::string& secret_path) {
  VIGIL_TRY(std::string text, ReadFile(secret_path));
  std::string_view t = Trim(text);
  if (t.substr(0, kSecretTag.size()) != kSecretTag) {
    return Error(ErrorCode::kParse, fmt::format("{}: expected 'ed25519-secret <base64>'", secret_path));
  }
  SigningKey k;
  Status st = DecodeBase64(Trim(t.substr(kSecretTag.size())), k.secret_key.data(), k.secret_key.size());
  sodium_memzero(text.data(), text.size());
  if (!st) return Error(ErrorCode::kParse, fmt::format("{}: {}", secret_path, st.error().message));
  VIGIL_CHECK_OK(EnsureSodium());
  crypto_sign_ed25519_sk_to_pk(k.public_key.data(), k.secret_key.data());
  return k;
}

bool TrustedSigners::Contains(const SignerPublicKey& key) const {
  return std::find(keys_.begin(), keys_.end(), key) != keys_.end();
}

Result<TrustedSigners> TrustedSigners::Load(const std::vector<std::string>& files) {
  TrustedSigners t;
  for (const std::string& f : files) {
    VIGIL_TRY(std::string text, ReadFile(f));
    std::string_view rest = text;
    uint32_t line_no = 0;
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      const std::string_view line = Trim(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
      ++line_no;
      if (line.empty() || line.front() == '#') continue;
      auto key = ParsePublicKey(line);
      if (!key) {
        return Error(ErrorCode::kParse, fmt::format("{}:{}: {}", f, line_no, key.error().message));
      }
      t.Add(*key);
    }
  }
  if (t.empty()) return Error(ErrorCode::kInvalidArgument, "no trusted signer keys given");
  return t;
}

}  // namespace vigil::rules
