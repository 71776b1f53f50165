// Shared by the pipeline and query tests: a tiny rule set (three serious alerts from one source
// within a minute) and the time base of their events.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "correlator/store/store_layout.h"
#include "rules/correlation/rule_set.h"
#include "storage/db.h"

namespace vigil::correlator::testing_util {

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kT0 = 1'700'000'000LL * kSec;

constexpr const char* kThreeAlertsRules = R"(
title: alert
name: a
logsource: {category: alert}
detection: {sel: {alert.severity|lte: 2}, condition: sel}
---
title: three alerts
name: three
correlation: {type: event_count, rules: [a], group-by: [src_ip], timespan: 1m, condition: {gte: 3}}
)";

inline std::shared_ptr<const RuleSet> RulesFromText(const char* text) {
  RuleSetBuilder b;
  b.AddText("t.yml", text);
  auto rs = b.Build();
  EXPECT_TRUE(rs.ok()) << (rs.ok() ? "" : rs.error().message);
  return rs.ok() ? std::make_shared<const RuleSet>(std::move(*rs)) : nullptr;
}

// A RocksDB store at `path` (created), or null after a failed expectation.
inline std::unique_ptr<storage::Db> OpenTestDb(const std::string& path) {
  storage::DbOptions o;
  o.path = path;
  StoreLayout::TuneDbOptions(o);  // as vigil-correlator
  auto db = storage::Db::Open(o);
  EXPECT_TRUE(db.ok()) << db.error().message;
  return db.ok() ? std::move(*db) : nullptr;
}

}  // namespace vigil::correlator::testing_util
