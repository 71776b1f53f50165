// Every correlation type at the window edges: the window is inclusive, so an event exactly
// `timespan` after the first is in the window and one a millisecond later is not.
#include <gtest/gtest.h>

#include "tests/correlator/engine/engine_test_util.h"

namespace vigil::testing {
namespace {

const std::string kDetections = R"(
title: TCP flow
name: tcp_flow
logsource: {product: vigil, category: flow}
detection:
  sel: {proto: TCP}
  condition: sel
---
title: HTTP request
name: http_req
logsource: {product: vigil, category: http}
detection:
  sel: {http.http_method: GET}
  condition: sel
---
title: DNS query
name: dns_q
logsource: {product: vigil, category: dns}
detection:
  sel: {dns.type: query}
  condition: sel
)";

std::shared_ptr<const RuleSet> With(const std::string& correlation) { return Rules(kDetections + "---\n" + correlation); }

FlatEvent Flow(int64_t t, uint64_t id, const char* src = "10.0.0.1", double port = 80, double bytes = 100) {
  return Ev("flow", t, id, {{"proto", "TCP"}, {"src_ip", src}}, {{"dest_port", port}, {"flow.bytes", bytes}});
}
FlatEvent Http(int64_t t, uint64_t id, const char* src = "10.0.0.1") {
  return Ev("http", t, id, {{"http.http_method", "GET"}, {"src_ip", src}});
}
FlatEvent Dns(int64_t t, uint64_t id, const char* src = "10.0.0.1") {
  return Ev("dns", t, id, {{"dns.type", "query"}, {"src_ip", src}});
}

constexpr int64_t kT = 10 * kSec;  // the timespan used below

TEST(WindowEdges, EventCount) {
  auto rules = With(R"(
title: three flows
correlation: {type: event_count, rules: [tcp_flow], group-by: [src_ip], timespan: 10s, condition: {gte: 3}}
)");
  auto at = RunAll(rules, {Flow(0, 1), Flow(5 * kSec, 2), Flow(kT, 3)});
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].count, 3u);
  EXPECT_EQ(at[0].window_start.ns, kBase);
  EXPECT_EQ(at[0].window_end.ns, kBase + kT);
  EXPECT_EQ(at[0].event_ids, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_TRUE(RunAll(rules, {Flow(0, 1), Flow(5 * kSec, 2), Flow(kT + kMs, 3)}).empty());
}

TEST(WindowEdges, ValueCount) {
  auto rules = With(R"(
title: three ports
correlation: {type: value_count, rules: [tcp_flow], group-by: [src_ip], timespan: 10s, condition: {field: dest_port, gte: 3}}
)");
  // The same port twice does not count twice.
  EXPECT_TRUE(RunAll(rules, {Flow(0, 1, "a", 1), Flow(1 * kSec, 2, "a", 1), Flow(kT, 3, "a", 2)}).empty());
  auto at = RunAll(rules, {Flow(0, 1, "a", 1), Flow(5 * kSec, 2, "a", 2), Flow(kT, 3, "a", 3)});
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].value, 3);
  EXPECT_TRUE(RunAll(rules, {Flow(0, 1, "a", 1), Flow(5 * kSec, 2, "a", 2), Flow(kT + kMs, 3, "a", 3)}).empty());
  // Different groups never mix.
  EXPECT_TRUE(RunAll(rules, {Flow(0, 1, "a", 1), Flow(1, 2, "b", 2), Flow(2, 3, "c", 3)}).empty());
}

TEST(WindowEdges, ValueSum) {
  auto rules = With(R"(
title: bytes
correlation: {type: value_sum, rules: [tcp_flow], group-by: [src_ip], timespan: 10s, condition: {field: flow.bytes, gte: 300}}
)");
  auto at = RunAll(rules, {Flow(0, 1, "a", 1, 100), Flow(5 * kSec, 2, "a", 1, 100), Flow(kT, 3, "a", 1, 100)});
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].value, 300);
  EXPECT_TRUE(RunAll(rules, {Flow(0, 1, "a", 1, 100), Flow(5 * kSec, 2, "a", 1, 100), Flow(kT + kMs, 3, "a", 1, 100)}).empty());
}

TEST(WindowEdges, ValueAvg) {
  auto rules = With(R"(
title: avg
correlation: {type: value_avg, rules: [tcp_flow], group-by: [src_ip], timespan: 10s, condition: {field: flow.bytes, gte: 150, lte: 250}}
)");
  auto at = RunAll(rules, {Flow(0, 1, "a", 1, 100), Flow(kT, 2, "a", 1, 300)});
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].value, 200);
  EXPECT_TRUE(RunAll(rules, {Flow(0, 1, "a", 1, 100), Flow(kT + kMs, 2, "a", 1, 300)}).empty());
}

TEST(WindowEdges, ValuePercentile) {
  auto rules = With(R"(
title: p60
correlation:
  type: value_percentile
  rules: [tcp_flow]
  group-by: [src_ip]
  timespan: 10s
  condition: {field: flow.bytes, percentile: 60, gte: 150, lte: 250}
)");
  // Nearest rank: p60 of {10, 200, 300} is the 2nd smallest (200); of {200, 300} it is 300.
  auto at = RunAll(rules, {Flow(0, 1, "a", 1, 10), Flow(5 * kSec, 2, "a", 1, 300), Flow(kT, 3, "a", 1, 200)});
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].value, 200);
  EXPECT_TRUE(RunAll(rules, {Flow(0, 1, "a", 1, 10), Flow(5 * kSec, 2, "a", 1, 300), Flow(kT + kMs, 3, "a", 1, 200)}).empty());
}

TEST(WindowEdges, Temporal) {
  auto rules = With(R"(
title: both
correlation: {type: temporal, rules: [http_req, dns_q], group-by: [src_ip], timespan: 10s}
)");
  EXPECT_EQ(RunAll(rules, {Dns(0, 1), Http(kT, 2)}).size(), 1u);
  EXPECT_EQ(RunAll(rules, {Http(0, 1), Dns(kT, 2)}).size(), 1u);  // any order
  EXPECT_TRUE(RunAll(rules, {Dns(0, 1), Http(kT + kMs, 2)}).empty());
  EXPECT_TRUE(RunAll(rules, {Dns(0, 1), Http(kT, 2, "10.9.9.9")}).empty());  // other group
}

TEST(WindowEdges, TemporalOrdered) {
  auto rules = With(R"(
title: dns then http
correlation: {type: temporal_ordered, rules: [dns_q, http_req], group-by: [src_ip], timespan: 10s}
)");
  auto at = RunAll(rules, {Dns(0, 1), Http(kT, 2)});
  ASSERT_EQ(at.size(), 1u);
  EXPECT_EQ(at[0].event_ids, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(RunAll(rules, {Http(0, 1), Dns(kT, 2)}).empty());  // wrong order
  EXPECT_TRUE(RunAll(rules, {Dns(0, 1), Http(kT + kMs, 2)}).empty());
  // A later first step still completes the sequence.
  EXPECT_EQ(RunAll(rules, {Http(0, 1), Dns(1 * kSec, 2), Http(2 * kSec, 3)}).size(), 1u);
}

TEST(WindowEdges, Absence) {
  auto rules = With(R"(
title: dns without http
correlation: {type: absence, rules: [dns_q, http_req], group-by: [src_ip], timespan: 10s}
)");
  // The expected event exactly at the timespan counts as "followed": no alert.
  EngineCounters c;
  EXPECT_TRUE(RunAll(rules, {Dns(0, 1), Http(kT, 2), Flow(kT + 5 * kSec, 3)}, NoLateness(), &c).empty());
  EXPECT_EQ(c.absence_cancelled, 1u);
  // One millisecond late: the deadline passed first.
  auto late = RunAll(rules, {Dns(0, 1), Http(kT + kMs, 2)}, NoLateness());
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].window_start.ns, kBase);
  EXPECT_EQ(late[0].window_end.ns, kBase + kT);
  EXPECT_EQ(late[0].event_ids, (std::vector<uint64_t>{1}));
  // Time that has not passed yet does not fire: the input ended, not the wait.
  EXPECT_TRUE(RunAll(rules, {Dns(0, 1), Flow(kT, 2)}, NoLateness()).empty());
}

TEST(WindowEdges, Periodicity) {
  const std::string rule = R"(
title: beacon
correlation:
  type: periodicity
  rules: [tcp_flow]
  group-by: [src_ip]
  timespan: TS
  periodicity: {min_events: 5, max_jitter: 0.1, min_interval: 10s}
)";
  auto make = [&](const std::string& ts) {
    std::string r = rule;
    r.replace(r.find("TS"), 2, ts);
    return With(r);
  };
  std::vector<FlatEvent> regular;
  for (int i = 0; i < 5; ++i) regular.push_back(Flow(i * 60 * kSec, static_cast<uint64_t>(i + 1)));
  // Five events 0..240 s: all in a 240 s window, not in a 239.999 s one.
  auto at = RunAll(make("240s"), regular);
  ASSERT_EQ(at.size(), 1u);
  EXPECT_DOUBLE_EQ(at[0].value, 60.0);
  EXPECT_TRUE(at[0].has_jitter);
  EXPECT_NEAR(at[0].jitter, 0.0, 1e-9);
  EXPECT_TRUE(RunAll(make("239999ms"), regular).empty());
  // Irregular spacing: no beacon.
  std::vector<FlatEvent> irregular = {Flow(0, 1), Flow(12 * kSec, 2), Flow(200 * kSec, 3), Flow(215 * kSec, 4),
                                      Flow(400 * kSec, 5)};
  EXPECT_TRUE(RunAll(make("10m"), irregular).empty());
  // Small jitter (60 s +- 2 s) still is one.
  std::vector<FlatEvent> jittery = {Flow(0, 1), Flow(61 * kSec, 2), Flow(119 * kSec, 3), Flow(181 * kSec, 4),
                                    Flow(240 * kSec, 5)};
  EXPECT_EQ(RunAll(make("10m"), jittery).size(), 1u);
}

}  // namespace
}  // namespace vigil::testing
