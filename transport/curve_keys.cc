#include "transport/curve_keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vigil::transport {
namespace {

// Owns a file descriptor (RAII).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_;
};

Error Errno(const std::string& what, const std::string& path) {
  return Error(ErrorCode::kIo, what + " " + path + ": " + std::strerror(errno));
}

Status WriteKeyFile(const std::string& path, const std::string& text, mode_t mode) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (fd.get() < 0) return Errno("cannot create key file", path);
  // O_CREAT's mode is masked by umask and ignored for an existing file: set it explicitly.
  if (::fchmod(fd.get(), mode) != 0) return Errno("cannot chmod key file", path);
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd.get(), text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write key file", path);
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return Errno("cannot sync key file", path);
  if (::close(fd.release()) != 0) return Errno("cannot close key file", path);
  return Ok();
}

struct KeyFile {
  std::string public_z85;
  std::string secret_z85;
};

Result<KeyFile> ReadKeyFile(const std::string& path, bool want_secret) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                 "key file " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return Error(ErrorCode::kInvalidArgument, "key file " + path + ": not a regular file");
  if (want_secret && (st.st_mode & 077) != 0) {
    return Error(ErrorCode::kPermission,
                 "secret key file " + path + " is accessible by group or others; chmod 600 it");
  }
  if (st.st_size > 4096) return Error(ErrorCode::kLimit, "key file " + path + ": larger than 4 KiB");
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::kIo, "cannot read key file " + path);
  KeyFile kf;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    // Z85 uses '#', so a comment is a token starting with '#' that is not the key itself.
    std::istringstream ls(line);
    std::string name;
    std::string value;
    std::string extra;
    if (!(ls >> name) || name[0] == '#') continue;
    auto where = [&] { return path + ":" + std::to_string(lineno) + ": "; };
    const bool have_value = static_cast<bool>(ls >> value);
    const bool have_extra = static_cast<bool>(ls >> extra) && extra[0] != '#';
    if (!have_value || have_extra) {
      return Error(ErrorCode::kParse, where() + "expected '<public|secret> <z85 key>'");
    }
    if (!DecodeCurveKey(value)) return Error(ErrorCode::kParse, where() + name + " key is not 40 Z85 characters");
    if (name == "public") {
      kf.public_z85 = value;
    } else if (name == "secret") {
      kf.secret_z85 = value;
      sodium_memzero(value.data(), value.size());
    } else {
      return Error(ErrorCode::kParse, where() + "unknown field '" + name + "'");
    }
    sodium_memzero(line.data(), line.size());
  }
  if (kf.public_z85.empty()) return Error(ErrorCode::kParse, "key file " + path + ": no public key");
  if (want_secret && kf.secret_z85.empty()) return Error(ErrorCode::kParse, "key file " + path + ": no secret key");
  return kf;
}

}  // namespace

CurveKeyPair::~CurveKeyPair() { sodium_memzero(secret_z85.data(), secret_z85.size()); }

Result<CurveKeyPair> GenerateCurveKeyPair() {
  char pub[kCurveKeyZ85Size + 1];
  char sec[kCurveKeyZ85Size + 1];
  if (zmq_curve_keypair(pub, sec) != 0) {
    return Error(ErrorCode::kUnsupported, std::string("zmq_curve_keypair: ") + zmq_strerror(zmq_errno()) +
                                              " (libzmq built without CURVE?)");
  }
  CurveKeyPair kp;
  kp.public_z85.assign(pub, kCurveKeyZ85Size);
  kp.secret_z85.assign(sec, kCurveKeyZ85Size);
  sodium_memzero(sec, sizeof sec);
  return kp;
}

Result<std::array<uint8_t, kCurveKeyBinarySize>> DecodeCurveKey(std::string_view z85) {
  if (z85.size() != kCurveKeyZ85Size) {
    return Error(ErrorCode::kInvalidArgument, "curve key: " + std::to_string(z85.size()) +
                                                  " characters, expected 40");
  }
  char text[kCurveKeyZ85Size + 1];
  std::memcpy(text, z85.data(), kCurveKeyZ85Size);
  text[kCurveKeyZ85Size] = '\0';
  std::array<uint8_t, kCurveKeyBinarySize> out{};
  // zmq_z85_decode checks the alphabet and returns NULL on any invalid character.
  if (zmq_z85_decode(out.data(), text) == nullptr) {
    sodium_memzero(text, sizeof text);
    return Error(ErrorCode::kInvalidArgument, "curve key: not valid Z85");
  }
  sodium_memzero(text, sizeof text);
  return out;
}

std::string EncodeCurveKey(const std::array<uint8_t, kCurveKeyBinarySize>& key) {
  char text[kCurveKeyZ85Size + 1];
  zmq_z85_encode(text, key.data(), key.size());
  return std::string(text, kCurveKeyZ85Size);
}

Status WriteSecretKeyFile(const std::string& path, const CurveKeyPair& keys) {
  if (!DecodeCurveKey(keys.public_z85) || !DecodeCurveKey(keys.secret_z85)) {
    return Error(ErrorCode::kInvalidArgument, "refusing to write an invalid key pair to " + path);
  }
  std::string text = "# Vigil CURVE secret key: keep private (mode 0600)\npublic " + keys.public_z85 +
                     "\nsecret " + keys.secret_z85 + "\n";
  Status s = WriteKeyFile(path, text, 0600);
  sodium_memzero(text.data(), text.size());
  return s;
}

Status WritePublicKeyFile(const std::string& path, std::string_view public_z85) {
  if (!DecodeCurveKey(public_z85)) return Error(ErrorCode::kInvalidArgument, "invalid public key for " + path);
  return WriteKeyFile(path, "# Vigil CURVE public key\npublic " + std::string(public_z85) + "\n", 0644);
}

Result<CurveKeyPair> LoadSecretKeyFile(const std::string& path) {
  VIGIL_TRY(KeyFile kf, ReadKeyFile(path, /*want_secret=*/true));
  char derived[kCurveKeyZ85Size + 1];
  std::string secret(kf.secret_z85);
  if (zmq_curve_public(derived, secret.c_str()) != 0) {
    sodium_memzero(secret.data(), secret.size());
    sodium_memzero(kf.secret_z85.data(), kf.secret_z85.size());
    return Error(ErrorCode::kInvalidArgument, "key file " + path + ": cannot derive public key");
  }
  sodium_memzero(secret.data(), secret.size());
  CurveKeyPair kp;
  kp.public_z85 = kf.public_z85;
  kp.secret_z85 = kf.secret_z85;
  sodium_memzero(kf.secret_z85.data(), kf.secret_z85.size());
  if (std::string_view(derived, kCurveKeyZ85Size) != kp.public_z85) {
    return Error(ErrorCode::kInvalidArgument,
                 "key file " + path + ": public key does not belong to the secret key");
  }
  return kp;
}

Result<std::string> LoadPublicKeyFile(const std::string& path) {
  VIGIL_TRY(KeyFile kf, ReadKeyFile(path, /*want_secret=*/false));
  return kf.public_z85;
}

}  // namespace vigil::transport
