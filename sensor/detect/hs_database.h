// HsDatabase / HsScratch: move-only owners of Hyperscan's compiled database and scratch space,
// plus literal compilation and (de)serialization for the on-disk cache.
//
// A database is compiled once at load and shared read-only by every worker; each worker has
// its own scratch (HsScratch::CloneFrom), grown to fit every database with Grow().
//
//   std::vector<HsLiteral> lits = {{"GET /", false, 7}};
//   auto db = HsDatabase::CompileLiterals(lits);      // Result<HsDatabase>
//   HsScratch scratch;  scratch.Grow(*db);
//   db->Scan(data, scratch, [](unsigned id, unsigned long long to) { ... });
#pragma once

#include <hs/hs.h>

#include <cstdint>
#include <type_traits>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigil::sensor {

struct HsLiteral {
  std::string bytes;
  bool nocase = false;
  unsigned id = 0;
};

class HsScratch;

class HsDatabase {
 public:
  HsDatabase() = default;
  ~HsDatabase() { Reset(); }
  HsDatabase(HsDatabase&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  HsDatabase& operator=(HsDatabase&& o) noexcept {
    if (this != &o) { Reset(); db_ = o.db_; o.db_ = nullptr; }
    return *this;
  }
  HsDatabase(const HsDatabase&) = delete;
  HsDatabase& operator=(const HsDatabase&) = delete;

  // Block-mode database of literals with HS_FLAG_SINGLEMATCH (one report per id per scan).
  static Result<HsDatabase> CompileLiterals(const std::vector<HsLiteral>& lits);
  static Result<HsDatabase> Deserialize(std::span<const uint8_t> bytes);
  Result<std::string> Serialize() const;
  size_t Size() const;

  // Calls on_match(id, end_offset) for each match; returns false on a Hyperscan error.
  template <typename F>
  bool Scan(std::span<const uint8_t> data, HsScratch& scratch, F&& on_match) const;

  const hs_database_t* get() const { return db_; }
  explicit operator bool() const { return db_ != nullptr; }

 private:
  void Reset() { if (db_) hs_free_database(db_); db_ = nullptr; }
  hs_database_t* db_ = nullptr;
};

class HsScratch {
 public:
  HsScratch() = default;
  ~HsScratch() { if (s_) hs_free_scratch(s_); }
  HsScratch(HsScratch&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  HsScratch& operator=(HsScratch&& o) noexcept {
    if (this != &o) { if (s_) hs_free_scratch(s_); s_ = o.s_; o.s_ = nullptr; }
    return *this;
  }
  HsScratch(const HsScratch&) = delete;
  HsScratch& operator=(const HsScratch&) = delete;

  // Enlarges the scratch so it can scan `db` (hs_alloc_scratch semantics).
  Status Grow(const HsDatabase& db);
  Result<HsScratch> Clone() const;
  hs_scratch_t* get() const { return s_; }

 private:
  hs_scratch_t* s_ = nullptr;
};

template <typename F>
bool HsDatabase::Scan(std::span<const uint8_t> data, HsScratch& scratch, F&& on_match) const {
  if (!db_ || data.empty()) return true;
  auto cb = [](unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) -> int {
    (*static_cast<std::remove_reference_t<F>*>(ctx))(id, to);
    return 0;
  };
  hs_error_t e = hs_scan(db_, reinterpret_cast<const char*>(data.data()),
                         static_cast<unsigned>(data.size()), 0, scratch.get(), cb, &on_match);
  return e == HS_SUCCESS;
}

}  // namespace vigil::sensor
