#include "sensor/detect/db_cache.h"

#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

namespace vigil::sensor {

std::string DbCache::Key(const std::vector<HsLiteral>& lits) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::string platform = std::string("vigil-detect-v1|hs=") + hs_version() + "|ptr=" +
                         std::to_string(sizeof(void*)) +
#if defined(__x86_64__)
                         "|x86_64";
#elif defined(__aarch64__)
                         "|aarch64";
#else
                         "|other";
#endif
  EVP_DigestUpdate(ctx.get(), platform.data(), platform.size());
  for (const HsLiteral& l : lits) {
    uint64_t hdr[3] = {l.bytes.size(), l.nocase ? 1u : 0u, l.id};
    EVP_DigestUpdate(ctx.get(), hdr, sizeof(hdr));
    EVP_DigestUpdate(ctx.get(), l.bytes.data(), l.bytes.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &n);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

Result<HsDatabase> DbCache::Load(const std::string& key) const {
  if (dir_.empty()) return Error(ErrorCode::kNotFound, "no cache");
  std::ifstream in(dir_ + "/" + key + ".hsdb", std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, "cache miss");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return HsDatabase::Deserialize(
      {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

Status DbCache::Store(const std::string& key, const HsDatabase& db) const {
  if (dir_.empty()) return Ok();
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Error(ErrorCode::kIo, "detect cache: cannot create " + dir_ + ": " + ec.message());
  VIGIL_TRY(std::string bytes, db.Serialize());
  std::string final_path = dir_ + "/" + key + ".hsdb";
  std::string tmp = final_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Error(ErrorCode::kIo, "detect cache: cannot write " + tmp);
  }
  std::filesystem::rename(tmp, final_path, ec);
  if (ec) return Error(ErrorCode::kIo, "detect cache: cannot rename " + tmp + ": " + ec.message());
  return Ok();
}

}  // namespace vigil::sensor
