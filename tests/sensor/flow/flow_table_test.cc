#include "sensor/flow/flow_table.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace vigil::sensor {
namespace {

Packet Pkt(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint8_t proto,
           Timestamp ts, uint32_t len = 100) {
  Packet p;
  p.ip_version = 4;
  p.src = IpAddress::V4(src);
  p.dst = IpAddress::V4(dst);
  p.sport = sport;
  p.dport = dport;
  p.ip_proto = proto;
  p.ts = ts;
  p.caplen = p.wirelen = len;
  p.decoded = true;
  return p;
}

Packet Reverse(Packet p, Timestamp ts, uint32_t len = 100) {
  std::swap(p.src, p.dst);
  std::swap(p.sport, p.dport);
  p.ts = ts;
  p.caplen = p.wirelen = len;
  p.tcp.flags = 0;
  return p;
}

Timestamp T(int64_t s) { return Timestamp::FromSeconds(s); }

constexpr uint32_t kA = 0xc0000201u;  // 192.0.2.1
constexpr uint32_t kB = 0xc6336402u;  // 198.51.100.2

class FlowTableTest : public ::testing::Test {
 protected:
  void Make(FlowTableConfig cfg = {}, CommunityIdFn cid = {}) {
    ASSERT_TRUE(cfg.Validate()) << cfg.Validate().error().ToString();
    table_.reset();
    reg_ = std::make_unique<CounterRegistry>();
    auto g = FlowTable::RegisterCounters(*reg_);
    ASSERT_TRUE(g);
    block_ = reg_->NewBlock("w0");
    ended_.clear();
    table_ = std::make_unique<FlowTable>(
        cfg, *g, block_, [this](const Flow& f) { ended_.push_back(f); }, std::move(cid));
  }
  void SetUp() override { Make(); }
  uint64_t C(std::string_view name) const { return reg_->Total(name); }

  std::unique_ptr<CounterRegistry> reg_;
  CounterBlock* block_ = nullptr;
  std::unique_ptr<FlowTable> table_;
  std::vector<Flow> ended_;  // copies of ended flows, as the callback saw them
};

TEST_F(FlowTableTest, CountsBothDirectionsAndOrientsClientServer) {
  Packet c2s = Pkt(kB, kA, 40000, 53, 17, T(10), 80);  // client is the higher address
  FlowRef r1 = table_->Process(c2s);
  ASSERT_NE(r1.flow, nullptr);
  EXPECT_TRUE(r1.created);
  EXPECT_TRUE(r1.to_server);
  EXPECT_EQ(r1.flow->state, FlowState::kNew);
  FlowRef r2 = table_->Process(Reverse(c2s, T(11), 200));
  EXPECT_EQ(r2.flow, r1.flow);
  EXPECT_FALSE(r2.created);
  EXPECT_FALSE(r2.to_server);
  table_->Process(Pkt(kB, kA, 40000, 53, 17, T(12), 60));
  const Flow& f = *r1.flow;
  EXPECT_EQ(f.pkts_toserver, 2u);
  EXPECT_EQ(f.pkts_toclient, 1u);
  EXPECT_EQ(f.bytes_toserver, 140u);
  EXPECT_EQ(f.bytes_toclient, 200u);
  EXPECT_EQ(f.client().ToString(), "198.51.100.2");
  EXPECT_EQ(f.client_port(), 40000);
  EXPECT_EQ(f.server_port(), 53);
  EXPECT_EQ(f.state, FlowState::kEstablished) << "UDP: the server answered";
  EXPECT_EQ(f.start, T(10));
  EXPECT_EQ(f.last_seen, T(12));
  EXPECT_EQ(table_->active(), 1u);
  EXPECT_EQ(C("flow.created"), 1u);
  EXPECT_EQ(C("flow.active"), 1u);
  EXPECT_EQ(table_->Find(FlowKey::FromPacket(c2s)), r1.flow);
}

TEST_F(FlowTableTest, WireLengthIsCounted) {
  Packet p = Pkt(kA, kB, 1, 2, 17, T(1));
  p.caplen = 64;  // snaplen cut the frame
  p.wirelen = 1514;
  EXPECT_EQ(table_->Process(p).flow->bytes_toserver, 1514u);
}

TEST_F(FlowTableTest, TcpClientIsTheSynSenderAndStateIsLeftToTheTracker) {
  Packet syn = Pkt(kA, kB, 50000, 443, 6, T(1));
  syn.tcp.flags = tcp_flag::kSyn;
  Flow* f = table_->Process(syn).flow;
  EXPECT_EQ(f->client_port(), 50000);
  table_->Process(Reverse(syn, T(2)));
  EXPECT_EQ(f->state, FlowState::kNew) << "TCP state comes from the TCP tracker";
  table_->SetState(*f, FlowState::kEstablished);
  EXPECT_EQ(f->state, FlowState::kEstablished);

  // Capture started mid-handshake: a SYN-ACK first means its destination is the client.
  Packet synack = Pkt(kB, kA, 443, 50001, 6, T(3));
  synack.tcp.flags = tcp_flag::kSyn | tcp_flag::kAck;
  FlowRef r = table_->Process(synack);
  EXPECT_FALSE(r.to_server);
  EXPECT_EQ(r.flow->client().ToString(), "192.0.2.1");
  EXPECT_EQ(r.flow->client_port(), 50001);
  EXPECT_EQ(r.flow->pkts_toclient, 1u);
}

TEST_F(FlowTableTest, FlowIdsAreUniqueNonZeroAnd51Bit) {
  FlowTableConfig cfg;
  cfg.worker_id = 3;
  Make(cfg);
  std::unordered_set<uint64_t> ids;
  for (uint32_t i = 0; i < 50000; ++i) {
    Flow* f = table_->Process(Pkt(0x0a000000u + i, kB, 1000, 80, 6, T(1))).flow;
    ASSERT_NE(f->flow_id, 0u);
    ASSERT_LT(f->flow_id, uint64_t{1} << 51);
    ASSERT_TRUE(ids.insert(f->flow_id).second) << "duplicate id at " << i;
  }
}

// Timeouts at the boundary: alive at last + timeout - 1 ns, gone at last + timeout.
struct TimeoutCase {
  uint8_t proto;
  FlowState state;
  int64_t seconds;
  FlowEndReason reason;
};

class FlowTimeoutTest : public FlowTableTest, public ::testing::WithParamInterface<TimeoutCase> {};

TEST_P(FlowTimeoutTest, ExpiresExactlyAtTheBoundary) {
  const TimeoutCase& c = GetParam();
  Packet p = Pkt(kA, kB, 1111, 2222, c.proto, T(100));
  Flow* f = table_->Process(p).flow;
  if (c.state == FlowState::kEstablished && c.proto != 6) {
    table_->Process(Reverse(p, T(100)));
  } else if (c.state != FlowState::kNew) {
    table_->SetState(*f, c.state);
  }
  ASSERT_EQ(f->state, c.state);
  EXPECT_EQ(table_->TimeoutFor(*f), c.seconds * kNanosPerSecond);
  EXPECT_EQ(table_->Sweep(T(100 + c.seconds) + (-1)), 0u);
  EXPECT_EQ(table_->active(), 1u);
  EXPECT_EQ(table_->Sweep(T(100 + c.seconds)), 1u);
  EXPECT_EQ(table_->active(), 0u);
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].end_reason, c.reason);
  EXPECT_EQ(ended_[0].state, c.state);
}

TEST_P(FlowTimeoutTest, PacketAtTheBoundaryStartsANewFlow) {
  const TimeoutCase& c = GetParam();
  Packet p = Pkt(kA, kB, 1111, 2222, c.proto, T(100));
  Flow* f = table_->Process(p).flow;
  if (c.state == FlowState::kEstablished && c.proto != 6) {
    table_->Process(Reverse(p, T(100)));
  } else if (c.state != FlowState::kNew) {
    table_->SetState(*f, c.state);
  }
  const uint64_t id = f->flow_id;
  p.ts = T(100 + c.seconds) + (-1);
  FlowRef same = table_->Process(p);
  EXPECT_FALSE(same.created);
  EXPECT_EQ(same.flow->flow_id, id);
  p.ts = same.flow->last_seen + c.seconds * kNanosPerSecond;
  FlowRef fresh = table_->Process(p);
  EXPECT_TRUE(fresh.created);
  EXPECT_NE(fresh.flow->flow_id, id);
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].flow_id, id);
}

INSTANTIATE_TEST_SUITE_P(
    SuricataDefaults, FlowTimeoutTest,
    ::testing::Values(TimeoutCase{6, FlowState::kNew, 60, FlowEndReason::kTimeout},
                      TimeoutCase{6, FlowState::kEstablished, 600, FlowEndReason::kTimeout},
                      TimeoutCase{6, FlowState::kClosed, 60, FlowEndReason::kTcpClosed},
                      TimeoutCase{17, FlowState::kNew, 30, FlowEndReason::kTimeout},
                      TimeoutCase{17, FlowState::kEstablished, 300, FlowEndReason::kTimeout},
                      TimeoutCase{1, FlowState::kNew, 30, FlowEndReason::kTimeout},
                      TimeoutCase{1, FlowState::kEstablished, 300, FlowEndReason::kTimeout},
                      TimeoutCase{47, FlowState::kNew, 30, FlowEndReason::kTimeout},
                      TimeoutCase{47, FlowState::kEstablished, 300, FlowEndReason::kTimeout}));

TEST_F(FlowTableTest, IncrementalSweepOnPackets) {
  FlowTableConfig cfg;
  cfg.sweep_budget = 2;
  Make(cfg);
  for (uint16_t i = 0; i < 5; ++i) table_->Process(Pkt(kA, kB, i, 53, 17, T(0)));
  // UDP new: 30 s. Unrelated traffic at t=31 ends expired flows two per packet.
  table_->Process(Pkt(kB, kA, 9, 9, 6, T(31)));
  EXPECT_EQ(table_->active(), 4u);  // 5 - 2 + 1
  table_->Process(Pkt(kB, kA, 9, 9, 6, T(32)));
  table_->Process(Pkt(kB, kA, 9, 9, 6, T(33)));
  EXPECT_EQ(table_->active(), 1u);
  EXPECT_EQ(C("flow.ended.timeout"), 5u);
}

TEST_F(FlowTableTest, SweepSeesPacketsAfterAFlowWasQueued) {
  Packet a = Pkt(kA, kB, 1, 53, 17, T(0));
  table_->Process(a);
  table_->Process(Pkt(kA, kB, 2, 53, 17, T(10)));
  a.ts = T(20);
  table_->Process(a);  // a is now the most recently seen, though queued first
  EXPECT_EQ(table_->Sweep(T(39)), 0u);
  EXPECT_EQ(table_->Sweep(T(40)), 1u);
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].key.port_a, 2);
  EXPECT_EQ(table_->Sweep(T(50) + (-1)), 0u);
  EXPECT_EQ(table_->Sweep(T(50)), 1u);
  EXPECT_EQ(table_->active(), 0u);
}

TEST_F(FlowTableTest, TimeoutOrderAcrossProtocols) {
  // A long-lived TCP flow must not hide a UDP flow that expires sooner.
  Packet tcp = Pkt(kA, kB, 1, 80, 6, T(0));
  table_->SetState(*table_->Process(tcp).flow, FlowState::kEstablished);
  table_->Process(Pkt(kA, kB, 2, 53, 17, T(1)));
  table_->Process(Pkt(kA, kB, 3, 3, 6, T(31)));  // any packet advances time
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].key.proto, 17);
  EXPECT_EQ(table_->active(), 2u);
}

TEST_F(FlowTableTest, EmergencyModeShortensTimeouts) {
  FlowTableConfig cfg;
  cfg.max_flows = 10;
  cfg.emergency_enter_pct = 80;
  cfg.emergency_exit_pct = 50;
  Make(cfg);
  ASSERT_EQ(table_->capacity(), 10u);
  for (uint16_t i = 0; i < 7; ++i) table_->Process(Pkt(kA, kB, i, 80, 6, T(0)));
  EXPECT_FALSE(table_->emergency());
  Flow* f = table_->Process(Pkt(kA, kB, 7, 80, 6, T(0))).flow;
  EXPECT_TRUE(table_->emergency());
  EXPECT_EQ(C("flow.emergency_mode_entered"), 1u);
  EXPECT_EQ(C("flow.emergency_mode"), 1u);
  EXPECT_EQ(table_->TimeoutFor(*f), 5 * kNanosPerSecond) << "emergency TCP new timeout";
  EXPECT_EQ(table_->Sweep(T(5) + (-1)), 0u);
  // Three flows end under the emergency timeout; at 5 active (50%) the table recovers and the
  // normal 60 s timeout protects the rest.
  EXPECT_EQ(table_->Sweep(T(5)), 3u);
  EXPECT_FALSE(table_->emergency()) << "drained to emergency_exit_pct";
  EXPECT_EQ(table_->active(), 5u);
  EXPECT_EQ(C("flow.emergency_mode"), 0u);
  EXPECT_EQ(C("flow.ended.timeout"), 3u);
  EXPECT_EQ(table_->TimeoutFor(*f), 60 * kNanosPerSecond);
}

TEST_F(FlowTableTest, FullPoolEvictsLeastRecentlySeen) {
  FlowTableConfig cfg;
  cfg.max_flows = 10;
  Make(cfg);
  for (uint16_t i = 0; i < 10; ++i) {
    table_->Process(Pkt(kA, kB, i, 80, 6, Timestamp::FromMillis(i)));
  }
  // Touch port 0 again: it becomes the most recently seen.
  table_->Process(Pkt(kA, kB, 0, 80, 6, Timestamp::FromMillis(10)));
  EXPECT_EQ(table_->active(), 10u);
  EXPECT_TRUE(ended_.empty());
  for (uint16_t i = 100; i < 103; ++i) {
    table_->Process(Pkt(kA, kB, i, 80, 6, Timestamp::FromMillis(20)));
  }
  EXPECT_EQ(table_->active(), 10u);
  ASSERT_EQ(ended_.size(), 3u);
  EXPECT_EQ(ended_[0].key.port_a, 1);  // kA < kB, so the client port is port_a
  EXPECT_EQ(ended_[1].key.port_a, 2);
  EXPECT_EQ(ended_[2].key.port_a, 3);
  for (const Flow& f : ended_) EXPECT_EQ(f.end_reason, FlowEndReason::kEmergencyEviction);
  EXPECT_EQ(C("flow.evicted.emergency"), 3u);
  EXPECT_EQ(C("flow.memcap_hits"), 3u);
  EXPECT_NE(table_->Find(FlowKey::FromPacket(Pkt(kA, kB, 0, 80, 6, T(0)))), nullptr);
}

TEST_F(FlowTableTest, FlushEndsEveryFlowOnce) {
  for (uint16_t i = 0; i < 100; ++i) {
    table_->Process(Pkt(kA, kB, i, 80, static_cast<uint8_t>(i % 2 ? 6 : 17), T(1)));
  }
  table_->Flush();
  EXPECT_EQ(table_->active(), 0u);
  ASSERT_EQ(ended_.size(), 100u);
  std::unordered_set<uint64_t> ids;
  for (const Flow& f : ended_) {
    EXPECT_EQ(f.end_reason, FlowEndReason::kShutdown);
    ids.insert(f.flow_id);
  }
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_EQ(C("flow.ended.shutdown"), 100u);
  EXPECT_EQ(C("flow.active"), 0u);
  table_->Flush();
  EXPECT_EQ(ended_.size(), 100u);
}

TEST_F(FlowTableTest, ForcedEndAndSlotReuse) {
  Flow* f = table_->Process(Pkt(kA, kB, 1, 2, 17, T(1))).flow;
  const uint32_t index = f->index;
  table_->End(*f);
  EXPECT_EQ(C("flow.ended.forced"), 1u);
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].end_reason, FlowEndReason::kForced);
  EXPECT_EQ(table_->Find(ended_[0].key), nullptr);
  Flow* g = table_->Process(Pkt(kA, kB, 3, 4, 17, T(2))).flow;
  EXPECT_EQ(g->index, index) << "the slot is reused";
  EXPECT_EQ(g->pkts_toserver, 1u) << "and reset";
  EXPECT_LT(g->index, table_->capacity());
}

TEST_F(FlowTableTest, CommunityIdHook) {
  int calls = 0;
  Make({}, [&](const Flow& f, const Packet& p, std::array<char, 32>& out) {
    ++calls;
    EXPECT_EQ(f.key.proto, p.ip_proto);
    std::snprintf(out.data(), out.size(), "1:test-%u", p.sport);
  });
  Flow* f = table_->Process(Pkt(kA, kB, 7, 8, 17, T(1))).flow;
  table_->Process(Pkt(kB, kA, 8, 7, 17, T(1)));
  EXPECT_EQ(calls, 1) << "once, at creation";
  EXPECT_EQ(f->community_id_view(), "1:test-7");
}

TEST(FlowTableConfigTest, DefaultsAndValidation) {
  FlowTableConfig c;
  EXPECT_TRUE(c.Validate());
  EXPECT_EQ(c.timeouts[0].established_ns, 600 * kNanosPerSecond);
  EXPECT_EQ(c.timeouts[1].new_ns, 30 * kNanosPerSecond);
  EXPECT_EQ(c.Capacity(), (c.memcap - 65536 * 4) / sizeof(Flow));
  c.hash_buckets = 3;
  EXPECT_FALSE(c.Validate());
  c = FlowTableConfig{};
  c.memcap = 1024;
  EXPECT_FALSE(c.Validate());
  c = FlowTableConfig{};
  c.emergency_exit_pct = 99;
  EXPECT_FALSE(c.Validate());
  EXPECT_EQ(FlowEndReasonName(FlowEndReason::kEmergencyEviction), "emergency_eviction");
  EXPECT_EQ(FlowStateName(FlowState::kEstablished), "established");
}

// ---- 1,000,000 concurrent flows ----

size_t RssBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr uint32_t kMillion = 1'000'000;

Packet NthFlow(uint32_t i) {
  // Distinct 5-tuples: 16M source addresses x fixed destination.
  return Pkt(0x0a000000u + i, kB, static_cast<uint16_t>(1024 + (i % 50000)), 443, 6, T(1));
}

TEST(FlowTableMillionTest, CapHoldsAllMillion) {
  FlowTableConfig cfg;
  cfg.hash_buckets = 1u << 20;
  cfg.memcap = size_t{cfg.hash_buckets} * 4 + size_t{kMillion} * sizeof(Flow);
  ASSERT_TRUE(cfg.Validate());
  ASSERT_EQ(cfg.Capacity(), kMillion);
  CounterRegistry reg;
  auto g = FlowTable::RegisterCounters(reg);
  ASSERT_TRUE(g);
  size_t ended = 0;
  const size_t rss0 = RssBytes();
  FlowTable table(cfg, *g, reg.NewBlock("w0"), [&](const Flow&) { ++ended; });
  Packet p = NthFlow(0);
  for (uint32_t i = 0; i < kMillion; ++i) {
    p.src = IpAddress::V4(0x0a000000u + i);
    p.sport = static_cast<uint16_t>(1024 + (i % 50000));
    ASSERT_TRUE(table.Process(p).created);
  }
  EXPECT_EQ(table.active(), kMillion);
  EXPECT_EQ(ended, 0u);
  EXPECT_EQ(reg.Total("flow.evicted.emergency"), 0u);
  EXPECT_LE(table.reserved_bytes(), cfg.memcap);
  for (uint32_t i = 0; i < kMillion; i += 997) {
    ASSERT_NE(table.Find(FlowKey::FromPacket(NthFlow(i))), nullptr) << i;
  }
  if (!kSanitized) {
    EXPECT_LE(RssBytes() - rss0, cfg.memcap + (size_t{8} << 20)) << "RSS growth within the cap";
  }
  std::printf("sizeof(Flow) = %zu bytes; %zu bytes per flow with buckets; 1M flows = %.1f MiB\n",
              sizeof(Flow), cfg.memcap / kMillion, static_cast<double>(cfg.memcap) / (1 << 20));
  table.Flush();
  EXPECT_EQ(ended, kMillion);
}

TEST(FlowTableMillionTest, SmallerCapEvictsAndCounts) {
  FlowTableConfig cfg;
  cfg.hash_buckets = 1u << 18;
  cfg.memcap = size_t{64} << 20;  // about 380k flows
  ASSERT_TRUE(cfg.Validate());
  const uint32_t cap = cfg.Capacity();
  ASSERT_LT(cap, kMillion);
  CounterRegistry reg;
  auto g = FlowTable::RegisterCounters(reg);
  ASSERT_TRUE(g);
  size_t ended = 0;
  const size_t rss0 = RssBytes();
  FlowTable table(cfg, *g, reg.NewBlock("w0"), [&](const Flow&) { ++ended; });
  Packet p = NthFlow(0);
  for (uint32_t i = 0; i < kMillion; ++i) {
    p.src = IpAddress::V4(0x0a000000u + i);
    p.sport = static_cast<uint16_t>(1024 + (i % 50000));
    FlowRef r = table.Process(p);
    ASSERT_NE(r.flow, nullptr);
    ASSERT_LT(r.flow->index, cap);
    ASSERT_LE(table.active(), cap);
  }
  EXPECT_EQ(table.active(), cap);
  EXPECT_EQ(reg.Total("flow.evicted.emergency"), kMillion - cap);
  EXPECT_EQ(reg.Total("flow.memcap_hits"), kMillion - cap);
  EXPECT_EQ(reg.Total("flow.emergency_mode_entered"), 1u);
  EXPECT_EQ(ended, kMillion - cap);
  EXPECT_LE(table.reserved_bytes(), cfg.memcap);
  // The newest flows are the ones kept.
  EXPECT_NE(table.Find(FlowKey::FromPacket(NthFlow(kMillion - 1))), nullptr);
  EXPECT_EQ(table.Find(FlowKey::FromPacket(NthFlow(0))), nullptr);
  if (!kSanitized) {
    EXPECT_LE(RssBytes() - rss0, cfg.memcap + (size_t{8} << 20));
  }
}

}  // namespace
}  // namespace vigil::sensor
