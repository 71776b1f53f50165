// Checkpoint/Restore: feeding half the events, checkpointing, restoring into a new engine and
// feeding the rest gives exactly the alerts of an uninterrupted run.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "correlator/engine/byte_codec.h"
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


// The version-1 (fixed width) encoding of a version-2 checkpoint: what the previous binary
// wrote for the same state. Written from the format description alone, so the engine's v1
// reader is checked against an independent encoder. Empty on malformed input.
std::string V2ToV1(std::string_view v2) {
  ByteReader r(v2);
  ByteWriter w;
  uint32_t magic = 0, version = 0;
  uint64_t fp = 0, u = 0, n = 0;
  uint8_t b = 0;
  int64_t watermark = 0, d = 0;
  if (!r.U32(&magic) || !r.U32(&version) || !r.U64(&fp) || version != 2) return {};
  w.U32(magic);
  w.U32(1);
  w.U64(fp);
  if (!r.U8(&b) || !r.I64(&watermark) || !r.VarI64(&d)) return {};
  w.U8(b);
  w.I64(watermark);
  w.I64(WrapAdd(watermark, d));
  for (int i = 0; i < 3; ++i) {
    if (!r.VarU64(&u)) return {};
    w.U64(u);
  }
  uint8_t hit_flags = 0;
  if (!r.VarU64(&n) || !r.U8(&hit_flags)) return {};
  w.U64(n);
  const int64_t hit_unit[] = {1, 1000, 1'000'000, 0};
  const int64_t hit_ns = hit_unit[(hit_flags >> 1) & 3];
  int64_t t = watermark;
  uint64_t seq = 0, id = 0;
  for (uint64_t i = 0; i < n; ++i) {
    int64_t dt = 0, dseq = 0, did = 0;
    uint32_t corr = 0, source = 0, depth = 0;
    uint64_t value = 0;
    std::string key;
    if (!r.VarI64(&dt) || !r.VarI64(&dseq) || !r.VarI64(&did) || !r.VarU32(&corr) || !r.VarU32(&source) ||
        !r.VarU32(&depth) || ((hit_flags & 1) && !r.U64(&value)) || !r.VarStr(&key)) {
      return {};
    }
    t = WrapAdd(t, dt * hit_ns);
    seq += static_cast<uint64_t>(dseq);
    id += static_cast<uint64_t>(did);
    w.I64(t);
    w.U64(seq);
    w.U64(id);
    w.U32(corr);
    w.U32(source);
    w.U32(depth);
    w.U64(value);
    w.Str(key);
  }
  uint64_t ntables = 0;
  if (!r.VarU64(&ntables)) return {};
  w.U64(ntables);
  for (uint64_t c = 0; c < ntables; ++c) {
    uint64_t ngroups = 0;
    if (!r.VarU64(&ngroups)) return {};
    w.U64(ngroups);
    for (uint64_t k = 0; k < ngroups; ++k) {
      std::string key;
      uint8_t flags = 0;
      int64_t last_d = 0;
      uint64_t nentries = 0;
      if (!r.VarStr(&key) || !r.U8(&flags) || !r.VarI64(&last_d) || !r.VarU64(&nentries)) return {};
      const int64_t last_t = WrapAdd(watermark, last_d);
      w.Str(key);
      w.U64(nentries);
      int64_t et = last_t;
      uint64_t eid = 0;
      for (uint64_t e = 0; e < nentries; ++e) {
        int64_t dt = 0, did = 0;
        uint32_t source = 0;
        uint64_t value = 0;
        if (!r.VarI64(&dt) || !r.VarI64(&did) || !r.VarU32(&source) || ((flags & 2) && !r.U64(&value))) return {};
        et = WrapAdd(et, dt * hit_unit[(flags >> 5) & 3]);
        eid += static_cast<uint64_t>(did);
        w.I64(et);
        w.U64(eid);
        w.U64(value);
        w.U32(source);
      }
      double sum = 0, isum = 0, isum2 = 0;
      if ((flags & 4) && (!r.F64(&sum) || !r.F64(&isum) || !r.F64(&isum2))) return {};
      int64_t suppress_until = GroupState::kNever, deadline = 0;
      if (flags & 8) {
        if (!r.VarI64(&d)) return {};
        suppress_until = WrapAdd(last_t, d);
      }
      if (flags & 16) {
        if (!r.VarI64(&d)) return {};
        deadline = WrapAdd(last_t, d);
      }
      uint64_t timer_seq = 0, triggers = 0;
      if (!r.VarU64(&timer_seq) || !r.VarU64(&triggers)) return {};
      w.F64(sum);
      w.F64(isum);
      w.F64(isum2);
      w.I64(suppress_until);
      w.U8(flags & 1);
      w.I64(deadline);
      w.U64(timer_seq);
      w.U64(triggers);
      w.I64(last_t);
    }
  }
  if (!r.done()) return {};
  return std::move(w.bytes());
}

TEST(Checkpoint, Version1StillRestores) {
  auto rules = Rules(kAllTypes);
  const auto events = Stream(3000, 11);
  const std::string whole = AllJson(RunAll(rules, events));
  for (size_t split : {size_t{1}, size_t{500}, size_t{1500}, events.size() - 3}) {
    std::vector<CorrelationAlert> out;
    std::string v2;
    {
      CorrelationEngine first(rules, EngineConfig{});
      for (size_t i = 0; i < split; ++i) first.Process(events[i], out);
      v2 = first.Checkpoint();
    }
    const std::string v1 = V2ToV1(v2);
    ASSERT_FALSE(v1.empty()) << split;
    EXPECT_LT(v2.size(), v1.size());
    CorrelationEngine second(rules, EngineConfig{});
    ASSERT_TRUE(second.Restore(v1).ok()) << split;
    EXPECT_EQ(second.Checkpoint(), v2);  // same state, written as version 2
    for (size_t i = split; i < events.size(); ++i) second.Process(events[i], out);
    second.Flush(out);
    EXPECT_EQ(AllJson(out), whole) << "split at " << split;
  }
}

// Out-of-order arrival, ids that go down, times before the watermark, extreme ids and times in
// ns, us and ms: every delta the v2 encoder writes is negative somewhere, and the state still
// round-trips.
TEST(Checkpoint, NegativeDeltasRoundTrip) {
  auto rules = Rules(kAllTypes);
  std::vector<FlatEvent> events;
  const uint64_t ids[] = {~uint64_t{0}, 0, 1ull << 63, 7, ~uint64_t{0} - 1, 3, 1, 1ull << 40};
  for (int i = 0; i < 40; ++i) {
    // Sources 10.0.0.0/1/2 get ns/us/ms times, so every time unit of the v2 format is used.
    const int64_t t = (i % 2 == 0 ? i : 40 - i) * 700 * kMs - 20 * kSec + (i % 3 == 0 ? i : i % 3 == 1 ? i * 1000 : 0);
    events.push_back(Ev("flow", t, ids[i % 8], {{"proto", "TCP"}, {"src_ip", "10.0.0." + std::to_string(i % 3)}, {"dest_ip", "192.0.2.1"}},
                        {{"dest_port", static_cast<double>(i % 5)}, {"flow.bytes", -1.5 * i}}));
    events.push_back(Ev("alert", t - 5 * kSec, ids[(i + 3) % 8], {{"src_ip", "10.0.0.1"}}, {{"alert.severity", 1}}));
  }
  const std::string whole = AllJson(RunAll(rules, events));
  for (size_t split = 1; split < events.size(); split += 7) {
    std::vector<CorrelationAlert> out;
    CorrelationEngine first(rules, EngineConfig{});
    for (size_t i = 0; i < split; ++i) first.Process(events[i], out);
    const std::string bytes = first.Checkpoint();
    CorrelationEngine second(rules, EngineConfig{});
    ASSERT_TRUE(second.Restore(bytes).ok()) << split;
    EXPECT_EQ(second.Checkpoint(), bytes) << split;
    EXPECT_EQ(second.pending_hits(), first.pending_hits());
    EXPECT_EQ(second.group_count(), first.group_count());
    ASSERT_TRUE(second.Restore(V2ToV1(bytes)).ok()) << split;
    EXPECT_EQ(second.Checkpoint(), bytes) << split;
    for (size_t i = split; i < events.size(); ++i) second.Process(events[i], out);
    second.Flush(out);
    EXPECT_EQ(AllJson(out), whole) << "split at " << split;
  }
}

TEST(Checkpoint, EveryTruncationIsRejected) {
  auto rules = Rules(kAllTypes);
  CorrelationEngine engine(rules, EngineConfig{});
  std::vector<CorrelationAlert> out;
  for (const auto& e : Stream(60, 4)) engine.Process(e, out);
  ASSERT_GT(engine.pending_hits(), 0u);
  ASSERT_GT(engine.group_count(), 0u);
  const std::string good = engine.Checkpoint();
  CorrelationEngine other(rules, EngineConfig{});
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_FALSE(other.Restore(std::string_view(good).substr(0, cut)).ok()) << cut;
    EXPECT_EQ(other.group_count(), 0u);
    EXPECT_EQ(other.pending_hits(), 0u);
  }
  EXPECT_FALSE(other.Restore(good + '\0').ok());  // trailing bytes
  EXPECT_TRUE(other.Restore(good).ok());
}

TEST(Checkpoint, VarintOverflowFailsCleanly) {
  const std::string eleven(11, '\xff');
  {
    ByteReader r(eleven);
    uint64_t v = 0;
    EXPECT_FALSE(r.VarU64(&v));
    EXPECT_NE(r.error().message.find("varint"), std::string::npos);
  }
  {
    // Ten bytes whose last carries more than bit 63. (The reader views its bytes: keep them.)
    const std::string ten = std::string(9, '\xff') + '\x02';
    ByteReader r(ten);
    uint64_t v = 0;
    EXPECT_FALSE(r.VarU64(&v));
  }
  {
    const std::string max = std::string(9, '\xff') + '\x01';
    ByteReader r(max);
    uint64_t v = 0;
    EXPECT_TRUE(r.VarU64(&v));
    EXPECT_EQ(v, ~uint64_t{0});
    EXPECT_TRUE(r.done());
  }
  {
    ByteReader r("\x80\x80");  // more bytes promised than there are
    uint64_t v = 0;
    EXPECT_FALSE(r.VarU64(&v));
  }
  {
    ByteReader r("\xff\xff\xff\xff\x10");  // 2^32: too big for a 32-bit field
    uint32_t v = 0;
    EXPECT_FALSE(r.VarU32(&v));
  }
  // In a checkpoint: a valid v2 header then 11 bytes of 0xff where released should be.
  auto rules = Rules(kAllTypes);
  CorrelationEngine engine(rules, EngineConfig{});
  std::string bytes = engine.Checkpoint().substr(0, 4 + 4 + 8 + 1 + 8) + eleven;
  auto st = engine.Restore(bytes);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("varint"), std::string::npos);
}

TEST(Checkpoint, VarintsAndZigZagRoundTrip) {
  const int64_t signed_values[] = {0, 1, -1, 63, -64, 64, -65, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  const uint64_t values[] = {0, 1, 127, 128, 16383, 16384, 1ull << 63, ~uint64_t{0}};
  ByteWriter w;
  for (int64_t v : signed_values) w.VarI64(v);
  for (uint64_t v : values) w.VarU64(v);
  w.VarStr(std::string_view("k\0y", 3));
  ByteReader r(w.bytes());
  for (int64_t v : signed_values) {
    int64_t got = 0;
    ASSERT_TRUE(r.VarI64(&got));
    EXPECT_EQ(got, v);
    EXPECT_EQ(UnZigZag(ZigZag(v)), v);
  }
  for (uint64_t v : values) {
    uint64_t got = 0;
    ASSERT_TRUE(r.VarU64(&got));
    EXPECT_EQ(got, v);
  }
  std::string s;
  ASSERT_TRUE(r.VarStr(&s));
  EXPECT_EQ(s, std::string_view("k\0y", 3));
  EXPECT_TRUE(r.done());
  EXPECT_EQ(ZigZag(-1), 1u);
  EXPECT_EQ(ZigZag(1), 2u);
  EXPECT_EQ(WrapAdd(GroupState::kNever, WrapSub(5, GroupState::kNever)), 5);
}

}  // namespace
}  // namespace vigil::testing
