// Out-of-order and late events, suppression, chaining, aliases, group limits, generate, output.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tests/correlator/engine/engine_test_util.h"

namespace vigil::testing {
namespace {

const std::string kScanRules = R"(
title: TCP flow
name: tcp_flow
logsource: {product: vigil, category: flow}
detection:
  sel: {proto: TCP}
  condition: sel
---
title: Port scan
name: port_scan
level: high
risk: 65
correlation:
  type: value_count
  rules: [tcp_flow]
  group-by: [src_ip]
  timespan: 1m
  condition: {field: dest_port, gte: 5}
)";

FlatEvent Flow(int64_t t, uint64_t id, const std::string& src, double port, const std::string& dst = "192.0.2.1") {
  return Ev("flow", t, id, {{"proto", "TCP"}, {"src_ip", src}, {"dest_ip", dst}}, {{"dest_port", port}});
}

TEST(EngineOrder, OutOfOrderWithinLatenessGivesTheSortedResult) {
  auto rules = Rules(kScanRules);
  std::vector<FlatEvent> events;
  uint64_t id = 0;
  for (int host = 0; host < 20; ++host) {
    for (int p = 0; p < 8; ++p) {
      // Hosts scan at different paces so windows end at different places.
      events.push_back(Flow((host * 7 + p * (3 + host % 5)) * kSec, ++id, "10.0.0." + std::to_string(host), 1000 + p));
    }
  }
  std::sort(events.begin(), events.end(), [](const FlatEvent& a, const FlatEvent& b) {
    return a.timestamp() != b.timestamp() ? a.timestamp() < b.timestamp() : a.id() < b.id();
  });
  auto sorted = RunAll(rules, events);
  ASSERT_FALSE(sorted.empty());
  // Shuffle within 20 s (lateness is 30 s): local disorder only.
  std::mt19937 rng(7);
  auto shuffled = events;
  for (size_t i = 0; i + 1 < shuffled.size(); ++i) {
    size_t j = i + rng() % std::min<size_t>(6, shuffled.size() - i);
    if (std::llabs(shuffled[j].timestamp().ns - shuffled[i].timestamp().ns) < 20 * kSec) std::swap(shuffled[i], shuffled[j]);
  }
  EngineCounters c;
  auto got = RunAll(rules, shuffled, EngineConfig{}, &c);
  EXPECT_EQ(c.late_dropped, 0u);
  ASSERT_EQ(got.size(), sorted.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].group, sorted[i].group);
    EXPECT_EQ(got[i].window_end, sorted[i].window_end);
    EXPECT_EQ(got[i].count, sorted[i].count);
  }
}

TEST(EngineOrder, LateEventsAreCountedAndDropped) {
  auto rules = Rules(kScanRules);
  EngineCounters c;
  std::vector<FlatEvent> ev = {Flow(100 * kSec, 1, "a", 1), Flow(69 * kSec, 2, "a", 2),  // 31 s behind: late
                               Flow(71 * kSec, 3, "a", 3)};                               // 29 s: in time
  auto out = RunAll(rules, ev, EngineConfig{}, &c);
  EXPECT_EQ(c.late_dropped, 1u);
  EXPECT_EQ(c.hits, 2u);
  EXPECT_TRUE(out.empty());
}

TEST(EngineOrder, AlertsWaitForTheLateness) {
  auto rules = Rules(kScanRules);
  CorrelationEngine engine(rules, EngineConfig{});  // 30 s lateness
  std::vector<CorrelationAlert> out;
  for (int p = 0; p < 5; ++p) engine.Process(Flow(p * kSec, p + 1, "a", p), out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(engine.pending_hits(), 5u);
  engine.AdvanceTo(Timestamp{kBase + 34 * kSec}, out);  // 4 s + 30 s: not yet past
  EXPECT_TRUE(out.empty());
  engine.AdvanceTo(Timestamp{kBase + 34 * kSec + 1}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].window_end.ns, kBase + 4 * kSec);
}

TEST(EngineSuppress, MutesTheKeyForTheWindow) {
  auto rules = Rules(R"(
title: flow
name: flow
logsource: {category: flow}
detection: {sel: {proto: TCP}, condition: sel}
---
title: pair
correlation: {type: event_count, rules: [flow], group-by: [src_ip], timespan: 1m, condition: {gte: 2}, suppress: 1m}
)");
  EngineCounters c;
  auto out = RunAll(rules,
                 {Flow(0, 1, "a", 1), Flow(1 * kSec, 2, "a", 1), Flow(2 * kSec, 3, "a", 1), Flow(3 * kSec, 4, "a", 1),
                  Flow(2 * kSec, 5, "b", 1), Flow(3 * kSec, 6, "b", 1),  // another key is not muted
                  Flow(62 * kSec, 7, "a", 1), Flow(63 * kSec, 8, "a", 1)},
                 EngineConfig{}, &c);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].window_end.ns, kBase + 1 * kSec);
  EXPECT_EQ(out[1].group[0].second, "b");
  EXPECT_EQ(out[2].window_end.ns, kBase + 63 * kSec);
  EXPECT_EQ(c.suppressed, 1u);
}

TEST(EngineChaining, AlertThenInwardScan) {
  auto rules = Rules(kScanRules + R"(
---
title: Alert on host
name: host_alert
logsource: {category: alert}
detection: {sel: {alert.severity|lte: 2}, condition: sel}
---
title: Alerted host scans
name: alert_then_scan
level: critical
correlation:
  type: temporal_ordered
  rules: [host_alert, port_scan]
  group-by: [src_ip]
  timespan: 5m
)");
  auto alert = Ev("alert", 0, 100, {{"src_ip", "10.1.1.1"}}, {{"alert.severity", 1}});
  std::vector<FlatEvent> events = {alert};
  for (int p = 0; p < 5; ++p) events.push_back(Flow((10 + p) * kSec, p + 1, "10.1.1.1", 20 + p));
  auto out = RunAll(rules, events);
  ASSERT_EQ(Titles(out), (std::vector<std::string>{"Port scan", "Alerted host scans"}));
  EXPECT_EQ(out[1].chain_depth, 1u);
  EXPECT_EQ(out[1].level, "critical");
  // The chained alert lists the original alert event and the scan's alert id.
  EXPECT_EQ(out[1].event_ids, (std::vector<uint64_t>{100, out[0].alert_id}));
  // Scan first, alert after: no chain.
  std::vector<FlatEvent> reversed;
  for (int p = 0; p < 5; ++p) reversed.push_back(Flow(p * kSec, p + 1, "10.1.1.1", 20 + p));
  reversed.push_back(Ev("alert", 20 * kSec, 100, {{"src_ip", "10.1.1.1"}}, {{"alert.severity", 1}}));
  EXPECT_EQ(Titles(RunAll(rules, reversed)), (std::vector<std::string>{"Port scan"}));
}

TEST(EngineChaining, DetectionRuleOnCorrelationEvents) {
  // A rule over correlation events (as the national tier receives them) sees our own too.
  auto rules = Rules(kScanRules + R"(
---
title: Any high correlation
name: high_corr
logsource: {category: correlation}
detection: {sel: {correlation.level: high}, condition: sel}
---
title: Repeated scanner
correlation: {type: event_count, rules: [high_corr], group-by: [src_ip], timespan: 1h, condition: {gte: 2}}
)");
  std::vector<FlatEvent> events;
  uint64_t id = 0;
  for (int round = 0; round < 2; ++round) {
    for (int p = 0; p < 5; ++p) events.push_back(Flow((round * 120 + p) * kSec, ++id, "10.2.2.2", p));
  }
  EXPECT_EQ(Titles(RunAll(rules, events)), (std::vector<std::string>{"Port scan", "Port scan", "Repeated scanner"}));
}

TEST(EngineAliases, SigmaSpecExample) {
  // The field name aliases example of the Sigma correlation specification, with our logsource.
  auto rules = Rules(R"(
title: internal error
name: internal_error
logsource: {category: http}
detection:
  selection: {http.status: 500}
  condition: selection
---
title: new network connection
name: new_network_connection
logsource: {category: flow}
detection:
  selection: {flow.state: established}
  condition: selection
---
title: error then connection back
correlation:
  type: temporal
  rules: [internal_error, new_network_connection]
  group-by: [internal_ip, remote_ip]
  timespan: 10s
  aliases:
    internal_ip: {internal_error: dest_ip, new_network_connection: src_ip}
    remote_ip: {internal_error: src_ip, new_network_connection: dest_ip}
)");
  auto err = Ev("http", 0, 1, {{"src_ip", "203.0.113.9"}, {"dest_ip", "10.0.0.5"}}, {{"http.status", 500}});
  auto conn = Ev("flow", 4 * kSec, 2, {{"src_ip", "10.0.0.5"}, {"dest_ip", "203.0.113.9"}, {"flow.state", "established"}});
  auto out = RunAll(rules, {err, conn});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].group, (std::vector<std::pair<std::string, std::string>>{{"internal_ip", "10.0.0.5"},
                                                                             {"remote_ip", "203.0.113.9"}}));
  // Same addresses in the same roles (not swapped) are different keys: no alert.
  auto conn2 = Ev("flow", 4 * kSec, 2, {{"src_ip", "203.0.113.9"}, {"dest_ip", "10.0.0.5"}, {"flow.state", "established"}});
  EXPECT_TRUE(RunAll(rules, {err, conn2}).empty());
}

TEST(EngineLimits, GroupsAreBoundedAndEvictedOldestFirst) {
  auto rules = Rules(kScanRules);
  EngineConfig cfg;
  cfg.max_groups_per_rule = 10;
  CorrelationEngine engine(rules, cfg);
  std::vector<CorrelationAlert> out;
  for (int h = 0; h < 50; ++h) engine.Process(Flow(h * kMs, h + 1, "10.3.0." + std::to_string(h), 1), out);
  engine.Flush(out);
  EXPECT_EQ(engine.group_count(), 10u);
  EXPECT_EQ(engine.counters().groups_evicted, 40u);
}

TEST(EngineLimits, MissingGroupFieldIsCounted) {
  auto rules = Rules(kScanRules);
  EngineCounters c;
  RunAll(rules, {Ev("flow", 0, 1, {{"proto", "TCP"}}, {{"dest_port", 1}})}, EngineConfig{}, &c);
  EXPECT_EQ(c.missing_group_field, 1u);
  EXPECT_EQ(c.hits, 0u);
}

TEST(EngineOutput, EveJson) {
  auto rules = Rules(kScanRules);
  std::vector<FlatEvent> events;
  for (int p = 0; p < 5; ++p) events.push_back(Flow(p * kSec, p + 1, "10.9.8.7", 100 + p));
  auto out = RunAll(rules, events);
  ASSERT_EQ(out.size(), 1u);
  const std::string j = Json(out[0]);
  EXPECT_NE(j.find(R"("event_type":"correlation")"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("src_ip":"10.9.8.7")"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("group":{"src_ip":"10.9.8.7"})"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("rule_name":"port_scan")"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("level":"high","severity":2,"risk":65)"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("event_ids":[1,2,3,4,5])"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("type":"value_count")"), std::string::npos) << j;
  // It parses back as an event the engine can read.
  auto back = FlatEvent::FromJson(j, 9);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->event_type(), "correlation");
  EXPECT_EQ(back->timestamp(), out[0].window_end);
  EXPECT_EQ(back->GetString(FieldPath("correlation.group.src_ip")), "10.9.8.7");
}

TEST(EngineOutput, EventIdsAreBounded) {
  auto rules = Rules(R"(
title: flow
name: flow
logsource: {category: flow}
detection: {sel: {proto: TCP}, condition: sel}
---
title: many
correlation: {type: event_count, rules: [flow], group-by: [src_ip], timespan: 1h, condition: {gte: 500}}
)");
  std::vector<FlatEvent> events;
  for (int i = 0; i < 500; ++i) events.push_back(Flow(i * kMs, i + 1, "a", 1));
  auto out = RunAll(rules, events);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].count, 500u);
  EXPECT_EQ(out[0].event_ids.size(), 100u);
  EXPECT_TRUE(out[0].event_ids_truncated);
}

TEST(EngineGenerate, ReferencedDetectionsAlertOnTheirOwn) {
  auto rules = Rules(R"(
title: flow
name: flow
level: low
logsource: {category: flow}
detection: {sel: {proto: TCP}, condition: sel}
---
title: pair
generate: true
correlation: {type: event_count, rules: [flow], group-by: [src_ip], timespan: 1h, condition: {gte: 2}}
)");
  auto out = RunAll(rules, {Flow(0, 1, "a", 1), Flow(1, 2, "a", 1)});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].from_detection);
  EXPECT_EQ(out[0].level, "low");
  EXPECT_FALSE(out[2].from_detection);
}

}  // namespace
}  // namespace vigil::testing
