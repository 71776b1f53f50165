// DbCache: compiled Hyperscan databases on disk, so a restart with the same rules skips
// compilation.
//
// Each database is stored in its own file named by the SHA-256 of everything that determines
// its bytes: the literal list (bytes, flags, ids, in order), the Hyperscan version and the
// platform (compiler target, pointer size). A changed rule changes the literal list of its
// group's databases only, so only those are recompiled. A file that fails to deserialize is
// ignored (counted as a miss) and overwritten. Writes go to a temporary file then rename(), so
// a crash never leaves a torn entry.
//
//   DbCache cache("/var/cache/vigil/detect");
//   std::string key = DbCache::Key(literals);
//   if (auto db = cache.Load(key)) use(*db); else { compile; cache.Store(key, db); }
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "sensor/detect/hs_database.h"

namespace vigil::sensor {

class DbCache {
 public:
  explicit DbCache(std::string dir) : dir_(std::move(dir)) {}
  static std::string Key(const std::vector<HsLiteral>& lits);
  Result<HsDatabase> Load(const std::string& key) const;
  Status Store(const std::string& key, const HsDatabase& db) const;
  bool enabled() const { return !dir_.empty(); }

 private:
  std::string dir_;
};

}  // namespace vigil::sensor
