// Checkpoint/Restore: feeding half the events, checkpointing, restoring into a new engine and
// feeding the rest gives exactly the alerts of an uninterrupted run.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tests/correlator/engine/engine_test_util.h"

namespace vigil::testing {
namespace {

// One rule of every type, sharing a few detection rules.
const std::string kAllTypes = R"(
title: flow
name: flow
logsource: {category: flow}
detection: {sel: {proto: TCP}, condition: sel}
---
title: dns
name: dns
logsource: {category: dns}
detection: {sel: {dns.rrname|endswith: .example}, condition: sel}
---
title: alert
name: alert
logsource: {category: alert}
detection: {sel: {alert.severity|lte: 2}, condition: sel}
---
title: count
name: count
correlation: {type: event_count, rules: [flow], group-by: [src_ip], timespan: 30s, condition: {gte: 6}, suppress: 20s}
---
title: ports
name: ports
correlation: {type: value_count, rules: [flow], group-by: [src_ip], timespan: 1m, condition: {field: dest_port, gte: 4}}
---
title: sum
correlation: {type: value_sum, rules: [flow], group-by: [dest_ip], timespan: 1m, condition: {field: flow.bytes, gt: 5000}}
---
title: avg
correlation: {type: value_avg, rules: [flow], group-by: [dest_ip], timespan: 1m, condition: {field: flow.bytes, gt: 900}}
---
title: pct
correlation: {type: value_percentile, rules: [flow], group-by: [src_ip], timespan: 1m, condition: {field: flow.bytes, percentile: 90, gte: 990}}
---
title: temporal
correlation: {type: temporal, rules: [dns, alert], group-by: [src_ip], timespan: 1m}
---
title: ordered
correlation: {type: temporal_ordered, rules: [alert, ports], group-by: [src_ip], timespan: 2m}
---
title: absent
correlation: {type: absence, rules: [alert, dns], group-by: [src_ip], timespan: 20s}
---
title: beacon
correlation:
  type: periodicity
  rules: [flow]
  group-by: [src_ip, dest_ip]
  timespan: 10m
  periodicity: {min_events: 5, max_jitter: 0.2, min_interval: 5s}
)";

std::vector<FlatEvent> Stream(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<FlatEvent> ev;
  int64_t t = 0;
  for (size_t i = 0; i < n; ++i) {
    t += (rng() % 1500) * kMs;
    const int64_t jitter = 0;
    const std::string src = "10.0.0." + std::to_string(rng() % 6);
    const std::string dst = "192.0.2." + std::to_string(rng() % 4);
    const uint64_t id = i + 1;
    switch (rng() % 4) {
      case 0:
      case 1:
        ev.push_back(Ev("flow", t + jitter, id, {{"proto", "TCP"}, {"src_ip", src}, {"dest_ip", dst}},
                        {{"dest_port", static_cast<double>(rng() % 10)}, {"flow.bytes", static_cast<double>(rng() % 1000)}}));
        break;
      case 2:
        ev.push_back(Ev("dns", t + jitter, id, {{"src_ip", src}, {"dns.rrname", "x.example"}}));
        break;
      default:
        ev.push_back(Ev("alert", t + jitter, id, {{"src_ip", src}}, {{"alert.severity", static_cast<double>(rng() % 3 + 1)}}));
        break;
    }
  }
  // A perfect beacon too.
  for (int i = 0; i < 8; ++i) {
    ev.push_back(Ev("flow", i * 30 * kSec, 100000 + i, {{"proto", "TCP"}, {"src_ip", "10.9.9.9"}, {"dest_ip", "198.51.100.1"}},
                    {{"dest_port", 443}, {"flow.bytes", 10}}));
  }
  // Arrival order: event time plus up to 10 s of delay, well inside the 30 s lateness.
  std::vector<std::pair<int64_t, size_t>> order;
  for (size_t i = 0; i < ev.size(); ++i) order.emplace_back(ev[i].timestamp().ns + (rng() % 10'000) * kMs, i);
  std::sort(order.begin(), order.end());
  std::vector<FlatEvent> arrival;
  for (const auto& [key, i] : order) arrival.push_back(ev[i]);
  return arrival;
}

std::string AllJson(const std::vector<CorrelationAlert>& alerts) {
  std::string s;
  for (const auto& a : alerts) s += Json(a) + "\n";
  return s;
}

TEST(Checkpoint, RestoreResumesExactly) {
  auto rules = Rules(kAllTypes);
  ASSERT_TRUE(rules);
  const auto events = Stream(3000, 11);
  const std::string whole = AllJson(RunAll(rules, events));
  ASSERT_GT(whole.size(), 0u);
  // Every rule type fired at least once, so the comparison covers them all.
  for (const char* title : {"count", "ports", "sum", "avg", "pct", "temporal", "ordered", "absent", "beacon"}) {
    EXPECT_NE(whole.find(std::string("\"title\":\"") + title + "\""), std::string::npos) << title;
  }
  for (size_t split : {size_t{1}, size_t{500}, events.size() / 2, events.size() - 3}) {
    std::vector<CorrelationAlert> out;
    std::string bytes;
    {
      CorrelationEngine first(rules, EngineConfig{});
      for (size_t i = 0; i < split; ++i) first.Process(events[i], out);
      bytes = first.Checkpoint();
    }
    CorrelationEngine second(rules, EngineConfig{});
    ASSERT_TRUE(second.Restore(bytes).ok());
    EXPECT_EQ(second.Checkpoint(), bytes);  // restore is faithful byte for byte
    for (size_t i = split; i < events.size(); ++i) second.Process(events[i], out);
    second.Flush(out);
    EXPECT_EQ(AllJson(out), whole) << "split at " << split;
  }
}

TEST(Checkpoint, CorruptOrForeignBytesAreRejected) {
  auto rules = Rules(kAllTypes);
  CorrelationEngine engine(rules, EngineConfig{});
  std::vector<CorrelationAlert> out;
  const auto events = Stream(300, 3);
  for (const auto& e : events) engine.Process(e, out);
  const std::string good = engine.Checkpoint();

  CorrelationEngine other(rules, EngineConfig{});
  EXPECT_FALSE(other.Restore("").ok());
  EXPECT_FALSE(other.Restore("not a checkpoint").ok());
  for (size_t cut : {size_t{10}, good.size() / 2, good.size() - 1}) {
    auto st = other.Restore(std::string_view(good).substr(0, cut));
    EXPECT_FALSE(st.ok()) << cut;
    EXPECT_EQ(other.group_count(), 0u);  // left empty
  }
  // Random byte flips never crash (they may or may not be detected).
  std::mt19937 rng(5);
  for (int i = 0; i < 200; ++i) {
    std::string bad = good;
    bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    (void)other.Restore(bad);
  }
  // A different rule set refuses the checkpoint.
  auto rules2 = Rules(R"(
title: flow
name: flow
logsource: {category: flow}
detection: {sel: {proto: TCP}, condition: sel}
---
title: count
correlation: {type: event_count, rules: [flow], group-by: [src_ip], timespan: 30s, condition: {gte: 6}}
)");
  CorrelationEngine foreign(rules2, EngineConfig{});
  auto st = foreign.Restore(good);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("different rule set"), std::string::npos);
}

}  // namespace
}  // namespace vigil::testing
