#include "sensor/detect/db_cache.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/file_handle.h"
#include "core/sha256.h"

namespace vigil::sensor {

std::string DbCache::Key(const std::vector<HsLiteral>& lits) {
  Sha256 h;
  auto update = [&h](const void* data, size_t n) {
    h.Update({static_cast<const uint8_t*>(data), n});
  };
  std::string platform = std::string("vigil-detect-v1|hs=") + hs_version() + "|ptr=" +
                         std::to_string(sizeof(void*)) +
#if defined(__x86_64__)
                         "|x86_64";
#elif defined(__aarch64__)
                         "|aarch64";
#else
                         "|other";
#endif
  update(platform.data(), platform.size());
  for (const HsLiteral& l : lits) {
    uint64_t hdr[3] = {l.bytes.size(), l.nocase ? 1u : 0u, l.id};
    update(hdr, sizeof(hdr));
    update(l.bytes.data(), l.bytes.size());
  }
  return h.FinishHex();
}

Result<HsDatabase> DbCache::Load(const std::string& key) const {
  if (dir_.empty()) return Error(ErrorCode::kNotFound, "no cache");
  UniqueFile in(std::fopen((dir_ + "/" + key + ".hsdb").c_str(), "rb"));
  if (!in) return Error(ErrorCode::kNotFound, "cache miss");
  // One read of the whole file into a buffer sized from its length (the databases are MBs).
  std::string bytes;
  if (std::fseek(in.get(), 0, SEEK_END) == 0) {
    const long size = std::ftell(in.get());
    if (size > 0) bytes.resize(static_cast<size_t>(size));
    std::rewind(in.get());
  }
  if (std::fread(bytes.data(), 1, bytes.size(), in.get()) != bytes.size()) {
    return Error(ErrorCode::kNotFound, "cache entry unreadable");
  }
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
