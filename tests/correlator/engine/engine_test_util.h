// Helpers for the correlation engine tests: build a rule set from YAML text, make events, run
// an engine over a list of events and collect its alerts.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "correlator/engine/correlation_engine.h"
#include "correlator/engine/flat_event.h"

namespace vigil::testing {

inline std::shared_ptr<const RuleSet> Rules(const std::string& yaml) {
  RuleSetBuilder b;
  b.AddText("test.yml", yaml);
  auto rs = b.Build();
  EXPECT_TRUE(rs.ok()) << (rs.ok() ? "" : rs.error().message);
  if (!rs.ok()) return nullptr;
  return std::make_shared<const RuleSet>(std::move(*rs));
}

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kBase = 1'700'000'000LL * kSec;  // an arbitrary 2023 instant

// An event at kBase + offset_ns.
inline FlatEvent Ev(std::string type, int64_t offset_ns, uint64_t id,
                    std::vector<std::pair<std::string, std::string>> strings = {},
                    std::vector<std::pair<std::string, double>> numbers = {}) {
  FlatEvent e;
  e.SetType(std::move(type)).SetTime(Timestamp{kBase + offset_ns}).SetId(id);
  for (auto& [k, v] : strings) e.Set(k, v);
  for (auto& [k, v] : numbers) e.Set(k, v);
  return e;
}

inline EngineConfig NoLateness() {
  EngineConfig c;
  c.allowed_lateness_ns = 0;
  return c;
}

// Runs every event through a fresh engine, then Flush().
inline std::vector<CorrelationAlert> RunAll(std::shared_ptr<const RuleSet> rules, const std::vector<FlatEvent>& events,
                                         EngineConfig config = EngineConfig{}, EngineCounters* counters = nullptr) {
  std::vector<CorrelationAlert> out;
  if (!rules) return out;
  CorrelationEngine engine(rules, config);
  for (const auto& e : events) engine.Process(e, out);
  engine.Flush(out);
  if (counters) *counters = engine.counters();
  return out;
}

inline std::string Json(const CorrelationAlert& a) {
  JsonWriter w;
  WriteCorrelationEve(a, w);
  return w.str();
}

inline std::vector<std::string> Titles(const std::vector<CorrelationAlert>& alerts) {
  std::vector<std::string> t;
  for (const auto& a : alerts) t.push_back(a.title);
  return t;
}

}  // namespace vigil::testing
