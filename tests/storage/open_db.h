// A test's RocksDB store at `path` with the default options: fails the test (and returns
// nullptr) when it cannot be opened.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/db.h"

namespace vigil::testing {

inline std::unique_ptr<storage::Db> OpenTestDb(const std::string& path) {
  storage::DbOptions o;
  o.path = path;
  auto db = storage::Db::Open(o);
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
  return db.ok() ? std::move(*db) : nullptr;
}

}  // namespace vigil::testing
