#include "sensor/detect/hs_database.h"

#include <cstdlib>
#include <cstring>
#include <memory>

namespace vigil::sensor {

Result<HsDatabase> HsDatabase::CompileLiterals(const std::vector<HsLiteral>& lits) {
  if (lits.empty()) return Error(ErrorCode::kInvalidArgument, "hyperscan: no literals");
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> flags, ids;
  exprs.reserve(lits.size());
  for (const HsLiteral& l : lits) {
    exprs.push_back(l.bytes.data());
    lens.push_back(l.bytes.size());
    flags.push_back(HS_FLAG_SINGLEMATCH | (l.nocase ? HS_FLAG_CASELESS : 0u));
    ids.push_back(l.id);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  hs_error_t e = hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                                      static_cast<unsigned>(lits.size()), HS_MODE_BLOCK, nullptr,
                                      &db, &err);
  if (e != HS_SUCCESS) {
    std::string msg = "hyperscan compile: ";
    msg += err && err->message ? err->message : "unknown error";
    if (err) hs_free_compile_error(err);
    return Error(ErrorCode::kInternal, msg);
  }
  HsDatabase out;
  out.db_ = db;
  return out;
}

Result<HsDatabase> HsDatabase::Deserialize(std::span<const uint8_t> bytes) {
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(reinterpret_cast<const char*>(bytes.data()), bytes.size(), &db) !=
      HS_SUCCESS)
    return Error(ErrorCode::kCorrupt, "hyperscan: cannot deserialize database");
  HsDatabase out;
  out.db_ = db;
  return out;
}

Result<std::string> HsDatabase::Serialize() const {
  char* bytes = nullptr;
  size_t len = 0;
  if (!db_ || hs_serialize_database(db_, &bytes, &len) != HS_SUCCESS)
    return Error(ErrorCode::kInternal, "hyperscan: cannot serialize database");
  std::string out(bytes, len);
  std::free(bytes);  // hs_serialize_database allocates with the default (malloc) allocator
  return out;
}

size_t HsDatabase::Size() const {
  size_t n = 0;
  if (db_) hs_database_size(db_, &n);
  return n;
}

Status HsScratch::Grow(const HsDatabase& db) {
  if (!db) return Ok();
  if (hs_alloc_scratch(db.get(), &s_) != HS_SUCCESS)
    return Error(ErrorCode::kInternal, "hyperscan: cannot allocate scratch");
  return Ok();
}

Result<HsScratch> HsScratch::Clone() const {
  HsScratch out;
  if (s_ && hs_clone_scratch(s_, &out.s_) != HS_SUCCESS)
    return Error(ErrorCode::kInternal, "hyperscan: cannot clone scratch");
  return out;
}

}  // namespace vigil::sensor
