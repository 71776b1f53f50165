// FuzzStore: a RocksDB database in a temporary directory for libFuzzer targets that need one
// (the correlator's ingest and pipeline). Opened once per process; its files are removed when
// libFuzzer exits. The Db itself is left open: closing RocksDB from an atexit handler races
// its own static teardown.
//
//   static vigil::testing::FuzzStore* store = vigil::testing::OpenFuzzStore();
//   auto w = EventStoreWriter::Create(*store->db, ...);
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "storage/db.h"
#include "tests/storage/temp_dir.h"

namespace vigil::testing {

struct FuzzStore {
  TempDir dir;
  std::unique_ptr<storage::Db> db;
};

inline FuzzStore* g_fuzz_store = nullptr;  // process-wide by necessity: libFuzzer has no setup hook

// Aborts when the database cannot be opened (nothing can be fuzzed then).
inline FuzzStore* OpenFuzzStore() {
  if (g_fuzz_store) return g_fuzz_store;
  g_fuzz_store = new FuzzStore();
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(g_fuzz_store->dir.path(), ec);
  });
  storage::DbOptions o;
  o.path = g_fuzz_store->dir.Sub("db");
  auto db = storage::Db::Open(o);
  if (!db) std::abort();
  g_fuzz_store->db = std::move(*db);
  return g_fuzz_store;
}

}  // namespace vigil::testing
