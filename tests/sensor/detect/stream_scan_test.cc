// Detection speed work that must not change alerts: stream inspections that scan only the new
// bytes (StreamCarry), fast patterns bounded to the start of a buffer (BufferDb::scan_limit),
// the gates of the TCP packet-only databases, the case-insensitive content search, body fast
// patterns (PrefilterLiteral) and the database file_data shares with the HTTP body.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sensor/detect/fast_pattern.h"
#include "sensor/detect/payload_inspector.h"
#include "sensor/detect/stream_carry.h"
#include "sensor/detect/stream_window.h"
#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(StreamCarry, MergeKeepsLatestScanAndPruneDropsOldScans) {
  StreamCarry c;
  const std::vector<uint32_t> a = {1, 5, 9};
  c.Merge(a, 100);
  const std::vector<uint32_t> b = {5, 7};
  c.Merge(b, 200);
  ASSERT_EQ(c.entries().size(), 4u);
  EXPECT_EQ(c.entries()[0].rule, 1u);
  EXPECT_EQ(c.entries()[1].rule, 5u);
  EXPECT_EQ(c.entries()[1].scan_end, 200u);  // re-hit: the later scan counts
  EXPECT_EQ(c.entries()[2].rule, 7u);
  EXPECT_EQ(c.entries()[3].rule, 9u);
  c.Prune(100);  // scans that ended at or before the window start are gone
  ASSERT_EQ(c.entries().size(), 2u);
  EXPECT_EQ(c.entries()[0].rule, 5u);
  EXPECT_EQ(c.entries()[1].rule, 7u);
}

TEST(StreamCarry, OverflowGivesUpSoTheNextScanCoversTheWindow) {
  StreamCarry c;
  std::vector<uint32_t> many(StreamCarry::kMaxEntries + 1);
  for (uint32_t i = 0; i < many.size(); ++i) many[i] = i;
  c.Merge(many, 10);
  EXPECT_TRUE(c.overflowed());
  EXPECT_TRUE(c.entries().empty());
  const std::vector<uint32_t> one = {3};
  c.Merge(one, 20);
  EXPECT_FALSE(c.overflowed());
  EXPECT_EQ(c.entries().size(), 1u);
}

// Feeds chunks of one TCP direction through a StreamWindow and inspects each, with or without
// the window's carry (without: the whole window is scanned, the reference behaviour).
struct StreamFeeder {
  StreamFeeder(Harness& harness, bool use_carry)
      : h(harness),
        w(harness.engine->config().stream_window_bytes, harness.engine->config().stream_depth_bytes),
        carry(use_carry),
        pkt(MakePacket(6, "1.1.1.1", 1234, "2.2.2.2", 80, "")) {}
  std::vector<uint32_t> Feed(std::string_view chunk) {
    StreamView v = w.Feed({reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()});
    if (v.data.empty()) return {};
    BufferSet b;
    b.Set(BufferId::kPacket, v.data);
    InspectInput in{.packet = &pkt->pkt, .buffers = &b, .flow = &flow,
                    .kind = InspectKind::kStream, .to_server = true, .established = true,
                    .tcp_stream_inspected = true, .stream_new_offset = v.new_offset};
    if (carry) {
      in.stream_carry = &w.carry();
      in.stream_base = v.base;
    }
    h.thread->Inspect(in, &h.q);
    auto s = Sids(h.q);
    std::sort(s.begin(), s.end());
    return s;
  }
  Harness& h;
  StreamWindow w;
  bool carry;
  std::unique_ptr<TestPacket> pkt;
  FlowDetectState flow;
};

TEST(StreamScan, FastPatternInTheKeptTailStillMatchesWithANewSecondContent) {
  Harness h(R"(alert tcp any any -> any any (content:"FASTPATTERN"; content:"tail"; distance:0; sid:1;))");
  ASSERT_TRUE(h.engine);
  StreamFeeder f(h, true);
  EXPECT_THAT(f.Feed("xx FASTPATTERN yy"), IsEmpty());
  EXPECT_THAT(f.Feed(std::string(300, '-')), IsEmpty());
  // The fast pattern is only in the kept tail: the carry makes the rule a candidate.
  EXPECT_THAT(f.Feed("the tail"), ElementsAre(1u));
  EXPECT_THAT(f.Feed("no more"), IsEmpty());
}

TEST(StreamScan, CarryDropsCandidatesWhoseBytesLeftTheWindow) {
  DetectConfig cfg;
  cfg.stream_window_bytes = 64;
  Harness h(R"(alert tcp any any -> any any (content:"FASTPATTERN"; content:"tail"; distance:0; sid:1;))", cfg);
  ASSERT_TRUE(h.engine);
  StreamFeeder f(h, true);
  EXPECT_THAT(f.Feed("FASTPATTERN"), IsEmpty());
  EXPECT_THAT(f.Feed(std::string(200, '-')), IsEmpty());  // FASTPATTERN falls out of the 64 B tail
  EXPECT_THAT(f.Feed("tail"), IsEmpty());
  // Verified with the first two chunks (FASTPATTERN still in the window), not the third.
  EXPECT_EQ(h.thread->profile()[0].checks, 2u);
}

TEST(StreamScan, ACarryFromAnotherEngineIsDroppedAndTheWindowRescanned) {
  // A rule reload swaps the engine under a flow: the carried indices belong to the old one.
  Harness old_rules(R"(alert tcp any any -> any any (content:"zzzz"; sid:9;)
alert tcp any any -> any any (content:"OTHER"; sid:8;))");
  Harness new_rules(R"(alert tcp any any -> any any (content:"FASTPATTERN"; content:"tail"; distance:0; sid:1;))");
  ASSERT_TRUE(old_rules.engine && new_rules.engine);
  StreamFeeder f(old_rules, true);
  EXPECT_THAT(f.Feed("xx FASTPATTERN OTHER yy"), ElementsAre(8u));
  StreamFeeder g(new_rules, true);
  g.w = std::move(f.w);  // same flow direction, new engine
  EXPECT_THAT(g.Feed("the tail"), ElementsAre(1u));
}

// Random streams and rules: scanning only the new bytes with the carry raises exactly the
// alerts of scanning the whole window.
TEST(StreamScan, CarryGivesTheSameAlertsAsFullWindowScans) {
  DetectConfig cfg;
  cfg.stream_window_bytes = 48;
  const std::string rules = R"(alert tcp any any -> any any (content:"abcab"; sid:1;)
alert tcp any any -> any any (content:"bca"; content:"cc"; distance:0; sid:2;)
alert tcp any any -> any any (content:"aaaa"; content:"bb"; distance:3; within:20; sid:3;)
alert tcp any any -> any any (content:"cab"; nocase; pcre:"/c.{2,9}b/R"; sid:4;)
alert tcp any any -> any any (content:"ABCABCABCABCABCABCAB"; nocase; sid:5;)
alert tcp any any -> any any (content:"bb"; depth:6; sid:6;)
alert tcp any any -> any any (content:"ccc"; content:!"aaa"; within:4; sid:7;))";
  Harness ref(rules, cfg), fast(rules, cfg);
  ASSERT_TRUE(ref.engine && fast.engine);
  std::mt19937 rng(7);
  size_t alerts = 0;
  for (int stream = 0; stream < 60; ++stream) {
    StreamFeeder a(ref, false), b(fast, true);
    for (int chunk = 0; chunk < 40; ++chunk) {
      std::string s(1 + rng() % 40, 'a');
      for (char& c : s) c = "abcABC"[rng() % (rng() % 4 == 0 ? 6 : 3)];
      auto ra = a.Feed(s), rb = b.Feed(s);
      ASSERT_EQ(ra, rb) << "stream " << stream << " chunk " << chunk;
      alerts += ra.size();
    }
  }
  EXPECT_GT(alerts, 100u);  // the comparison saw plenty of matches
}

TEST(StreamScan, PacketCallReusesTheStreamScanOfItsOwnBytes) {
  Harness h(R"(alert tcp any any -> any any (content:"PACKET-ONLY-LITERAL"; dsize:>5; sid:1;)
alert tcp any any -> any any (content:"AB"; depth:2; dsize:>1; sid:2;)
alert tcp any any -> any any (content:"STREAMRULE"; sid:3;))");
  ASSERT_TRUE(h.engine);
  StreamFeeder f(h, true);
  EXPECT_THAT(f.Feed("first chunk keeps a tail"), IsEmpty());
  const std::string payload = "AB PACKET-ONLY-LITERAL STREAMRULE";
  EXPECT_THAT(f.Feed(payload), ElementsAre(3u));  // stream call: the stream rule only
  auto seg = MakePacket(6, "1.1.1.1", 1234, "2.2.2.2", 80, payload);
  auto packet_call = [&](uint64_t scan_id) {
    BufferSet b;
    b.Set(BufferId::kPacket, seg->pkt.payload_span());
    InspectInput in{.packet = &seg->pkt, .buffers = &b, .flow = &f.flow, .to_server = true,
                    .established = true, .tcp_stream_inspected = true};
    in.stream_scan_id = scan_id;
    h.thread->Inspect(in, &h.q);
    auto s = Sids(h.q);
    std::sort(s.begin(), s.end());
    return s;
  };
  // Reusing the stream scan: sid 1 comes from its hits; sid 2's literal is bounded to the
  // buffer start, which in the stream window was not the packet's start, so its database is
  // still scanned over the packet.
  const uint64_t hits = h.thread->local(DetectCounters::kPrefilterHits);
  EXPECT_THAT(packet_call(h.thread->stream_scan_id()), ElementsAre(1u, 2u));
  EXPECT_EQ(h.thread->local(DetectCounters::kPrefilterHits), hits + 1);  // only "AB" scanned
  // A stale id (another chunk's scan) is ignored: the payload is scanned as before.
  EXPECT_THAT(packet_call(h.thread->stream_scan_id() + 7), ElementsAre(1u, 2u));
}

TEST(BoundedFastPattern, ScansOnlyTheBufferStart) {
  Harness h(R"(alert udp any any -> any any (content:"MZ"; depth:2; sid:1;)
alert udp any any -> any any (content:"PE"; offset:2000; depth:2; sid:2;)
alert udp any any -> any any (content:"ZZ"; startswith; sid:3;))");
  ASSERT_TRUE(h.engine);
  bool bounded = false, unbounded = false;
  for (const RuleGroup& g : h.engine->groups()) {
    for (const RuleGroup::BufferDb& db : g.dbs) {
      if (db.scan_limit == 2) bounded = true;  // MZ (depth 2) and ZZ (startswith)
      if (db.scan_limit == 0) unbounded = true;  // offset 2000 is past the bounded limit
    }
  }
  EXPECT_TRUE(bounded);
  EXPECT_TRUE(unbounded);
  auto p1 = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "MZxxxx");
  EXPECT_THAT(h.Run(p1->pkt), ElementsAre(1u));
  auto p2 = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "xxMZxxZZ");
  EXPECT_THAT(h.Run(p2->pkt), IsEmpty());
  std::string big(2100, '.');
  big.replace(0, 2, "ZZ");
  big.replace(2000, 2, "PE");
  auto p3 = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, big);
  EXPECT_THAT(h.Run(p3->pkt), ElementsAre(2u, 3u));
}

TEST(PacketOnlyGates, DsizeAndProtocolSkipTheScanWithoutChangingAlerts) {
  Harness h(R"(alert tcp any any -> any any (content:"SMALL"; dsize:<20; sid:1;)
alert ftp any any -> any any (flow:no_stream; content:"USER "; sid:2;))");
  ASSERT_TRUE(h.engine);
  auto run = [&](const std::string& payload, std::string_view proto) {
    auto seg = MakePacket(6, "1.1.1.1", 1234, "2.2.2.2", 21, payload);
    BufferSet b;
    b.Set(BufferId::kPacket, seg->pkt.payload_span());
    InspectInput in{.packet = &seg->pkt, .buffers = &b, .flow = &h.flow, .to_server = true,
                    .established = true, .tcp_stream_inspected = true, .app_proto = proto};
    h.thread->Inspect(in, &h.q);
    auto s = Sids(h.q);
    std::sort(s.begin(), s.end());
    return s;
  };
  EXPECT_THAT(run("SMALL USER x", "ftp"), ElementsAre(1u, 2u));
  EXPECT_THAT(run("SMALL USER x", "http"), ElementsAre(1u));
  const uint64_t hits = h.thread->local(DetectCounters::kPrefilterHits);
  EXPECT_THAT(run("SMALL USER " + std::string(40, 'x'), "http"), IsEmpty());
  // Neither database was scanned: too long for the dsize rule, wrong protocol for the other.
  EXPECT_EQ(h.thread->local(DetectCounters::kPrefilterHits), hits);
}

uint8_t TestSide(rules::BufferId b) {
  if (b == rules::BufferId::kHttpUri) return 1;
  if (b == rules::BufferId::kHttpStatCode) return 2;
  return 3;
}

TEST(TransactionSide, RulesWithoutSideEffectsAreGroupedOnlyWhereTheyCanAlert) {
  DetectConfig cfg;
  cfg.buffer_side = &TestSide;
  Harness h(R"(alert http any any -> any any (content:"/req"; http_uri; sid:1;)
alert http any any -> any any (content:"/req"; http_uri; content:"200"; http_stat_code; sid:2;)
alert http any any -> any any (content:"/req"; http_uri; flowbits:set,seen; sid:3;)
alert http any any -> any any (content:"/req"; sid:4;))", cfg);
  ASSERT_TRUE(h.engine);
  std::map<uint32_t, uint8_t> dirs;
  for (const EngineRule& er : h.engine->rules()) dirs[er.rule->meta.sid] = er.dirs;
  EXPECT_EQ(dirs[1], 1);  // request buffer only: to_server
  EXPECT_EQ(dirs[2], 2);  // a response buffer: to_client
  EXPECT_EQ(dirs[3], 3);  // sets a flowbit: its matches matter in both directions
  EXPECT_EQ(dirs[4], 3);  // pkt_data only: not transaction-scoped
  Harness plain(R"(alert http any any -> any any (content:"/req"; http_uri; sid:1;))");
  EXPECT_EQ(plain.engine->rules()[0].dirs, 3);  // no side table: unchanged
}

TEST(IpProto, RulesMeetOnlyTheTransportsTheirProtocolAllows) {
  Harness h(R"(alert ip any any -> any any (ip_proto:41; sid:1;)
alert ip any any -> any any (ip_proto:!6; sid:2;)
alert ip any any -> any any (ttl:3; sid:3;))");
  ASSERT_TRUE(h.engine);
  std::map<uint32_t, uint8_t> transports;
  for (const EngineRule& er : h.engine->rules()) transports[er.rule->meta.sid] = er.transports;
  EXPECT_EQ(transports[1], 1u << kTransportOther);
  EXPECT_EQ(transports[2], 0xfu & ~(1u << kTransportTcp));
  EXPECT_EQ(transports[3], 0xfu);
  // Still alerts where it should: a protocol-41 packet.
  auto p = MakePacket(41, "1.1.1.1", 0, "2.2.2.2", 0, "");
  auto s = h.Run(p->pkt);
  std::sort(s.begin(), s.end());
  EXPECT_THAT(s, ElementsAre(1u, 2u));
}

TEST(PortGroups, BidirectionalRulesGoInTheGroupsOfTheirPortBothWays) {
  Harness h(R"(alert tcp any any <> any 179 (content:"BGP"; sid:1;)
alert tcp any any -> any any (content:"zzz"; sid:2;))");
  ASSERT_TRUE(h.engine);
  auto run = [&](uint16_t sport, uint16_t dport) {
    auto p = MakePacket(6, "1.1.1.1", sport, "2.2.2.2", dport, "BGP");
    return h.Run(p->pkt);
  };
  EXPECT_THAT(run(1234, 179), ElementsAre(1u));
  EXPECT_THAT(run(179, 1234), ElementsAre(1u));
  EXPECT_THAT(run(179, 179), ElementsAre(1u));
  const uint64_t checks = h.thread->local(DetectCounters::kRulesChecked);
  EXPECT_THAT(run(1234, 80), IsEmpty());
  EXPECT_EQ(h.thread->local(DetectCounters::kRulesChecked), checks);  // not even a candidate
}

// DetectConfig::fold_any_ports: the server-port group of a busy port also holds the any
// group's unbounded pkt_data literals, and an inspection meeting it skips the any group's scan.
TEST(FoldedPortGroups, BusyServerPortGroupsHoldTheAnyGroupLiterals) {
  const std::string rules = R"(alert tcp any any -> any 80 (content:"PORTRULE"; sid:1;)
alert tcp any any -> any any (content:"ANYRULE"; sid:2;)
alert tcp any any -> any any (content:"XY"; depth:4; sid:3;)
alert tcp any 80 -> any any (content:"REPLY"; sid:4;)
alert udp any any -> any any (content:"QNAME"; sid:5;)
alert tcp any any -> any any (flow:to_client; content:"SERVERSAYS"; sid:6;))";
  Harness h(rules);
  DetectConfig plain_cfg;
  plain_cfg.fold_any_ports.clear();
  Harness plain(rules, plain_cfg);
  ASSERT_TRUE(h.engine && plain.engine);
  auto folds = [&](const DetectEngine& e, Transport t, bool to_server, uint16_t port) {
    const auto& gs = e.groups_for(t, to_server);
    const auto& table = to_server ? gs.dport : gs.sport;
    return !table.empty() && table[port] != 0 && e.groups()[table[port] - 1].folds_any;
  };
  EXPECT_TRUE(folds(*h.engine, kTransportTcp, true, 80));
  EXPECT_TRUE(folds(*h.engine, kTransportTcp, false, 80));
  EXPECT_TRUE(folds(*h.engine, kTransportTcp, true, 443));  // no rule lists 443: still folded
  EXPECT_TRUE(folds(*h.engine, kTransportUdp, true, 53));
  EXPECT_FALSE(folds(*h.engine, kTransportTcp, true, 1234));
  EXPECT_FALSE(folds(*plain.engine, kTransportTcp, true, 80));
  // The folded group scans ANYRULE's literal; the bounded "XY" stays in the any group.
  const auto& g80 = h.engine->groups()[h.engine->groups_for(kTransportTcp, true).dport[80] - 1];
  std::vector<uint32_t> sids;
  for (const auto& db : g80.dbs)
    for (uint32_t ri : db.rule_ids) sids.push_back(h.engine->rules()[ri].rule->meta.sid);
  std::sort(sids.begin(), sids.end());
  EXPECT_THAT(sids, ElementsAre(1u, 2u));
  // Same alerts with and without folding, on every port/direction combination.
  const std::string payload = "XY.. ANYRULE PORTRULE REPLY QNAME SERVERSAYS";
  for (uint8_t proto : {6, 17}) {
    for (uint16_t dport : {80, 443, 53, 1234}) {
      for (bool to_server : {true, false}) {
        auto p = MakePacket(proto, "1.1.1.1", to_server ? 40000 : dport, "2.2.2.2",
                            to_server ? dport : 40000, payload);
        auto a = h.Run(p->pkt, to_server), b = plain.Run(p->pkt, to_server);
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        EXPECT_EQ(a, b) << int(proto) << " " << dport << " " << to_server;
        if (proto == 6) {
          EXPECT_NE(std::find(a.begin(), a.end(), 2u), a.end());  // ANYRULE
        }
        // The to_client any group is folded into port 80's to_client group, not the to_server one.
        if (proto == 6 && !to_server) {
          EXPECT_NE(std::find(a.begin(), a.end(), 6u), a.end());
        }
      }
    }
  }
  // A port-80 stream scans ANYRULE only in the folded group: one prefilter hit per chunk.
  StreamFeeder f(h, true);
  EXPECT_THAT(f.Feed("a chunk with ANYRULE in it"), ElementsAre(2u));
  size_t any_rule = 0;
  while (h.engine->rules()[any_rule].rule->meta.sid != 2) ++any_rule;
  const uint64_t before = h.thread->profile()[any_rule].prefilter_hits;
  EXPECT_THAT(f.Feed(" and ANYRULE again"), ElementsAre(2u));
  EXPECT_EQ(h.thread->profile()[any_rule].prefilter_hits, before + 1);  // not scanned twice
}

TEST(FindPattern, SearchAgreesWithANaiveOneWithAndWithoutCase) {
  std::mt19937 rng(11);
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  const std::string alphabet = "aAbB@`[{zZ09 ";
  for (int round = 0; round < 6000; ++round) {
    const bool nocase = round % 2 == 0;
    std::string hay(rng() % 120, ' ');
    for (char& c : hay) c = alphabet[rng() % alphabet.size()];
    std::string pat(1 + rng() % (round % 3 == 0 ? 24 : 4), ' ');
    for (char& c : pat) c = alphabet[rng() % alphabet.size()];
    if (!hay.empty() && rng() % 4 == 0) {  // plant the pattern (in some case) now and then
      const size_t at = rng() % hay.size();
      for (size_t k = 0; k < pat.size() && at + k < hay.size(); ++k)
        hay[at + k] = nocase && rng() % 2 ? static_cast<char>(std::toupper(pat[k])) : pat[k];
    }
    const size_t start = hay.empty() ? 0 : rng() % (hay.size() + 1);
    const size_t end = start + rng() % (hay.size() + 2 - start);
    int64_t want = -1;
    for (size_t p = start; p + pat.size() <= std::min(end, hay.size()); ++p) {
      bool eq = true;
      for (size_t k = 0; k < pat.size() && eq; ++k)
        eq = nocase ? lower(hay[p + k]) == lower(pat[k]) : hay[p + k] == pat[k];
      if (eq) { want = static_cast<int64_t>(p); break; }
    }
    std::span<const uint8_t> buf(reinterpret_cast<const uint8_t*>(hay.data()), hay.size());
    ASSERT_EQ(FindPattern(buf, start, end, pat, nocase), want) << hay << " / " << pat << " nocase " << nocase;
  }
}

TEST(StreamWindow, AppendingInPlaceGivesTheSameViewsAsCopyingEachTime) {
  // Reference: the last `keep` bytes of the previous view followed by the chunk.
  std::mt19937 rng(5);
  for (uint32_t keep : {4u, 64u, 4096u}) {
    StreamWindow w(keep, 1 << 20);
    std::string prev, stream;
    uint64_t consumed = 0;
    for (int i = 0; i < 400; ++i) {
      if (rng() % 50 == 0) {  // a hole: nothing kept across it
        w.Gap(7);
        consumed += 7;
        prev.clear();
        continue;
      }
      std::string chunk(1 + rng() % (rng() % 4 == 0 ? 6000 : 300), ' ');
      for (char& c : chunk) c = static_cast<char>('a' + rng() % 26);
      const StreamView v = w.Feed({reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()});
      const std::string tail = prev.substr(prev.size() - std::min<size_t>(prev.size(), keep));
      const std::string want = tail + chunk;
      consumed += chunk.size();
      ASSERT_EQ(std::string(reinterpret_cast<const char*>(v.data.data()), v.data.size()), want);
      ASSERT_EQ(v.new_offset, tail.size());
      ASSERT_EQ(v.base, consumed - want.size());
      prev = want;
    }
  }
}

TEST(FlowbitGated, BodyRulesNeedNoLiteralAndStillMatchWhenTheirFlowbitIsSet) {
  Harness h(R"(alert tcp any any -> any any (file_data; content:"payload"; flowbits:isset,seen; sid:1;)
alert tcp any any -> any any (http.uri; content:"/set"; flowbits:set,seen; flowbits:noalert; sid:2;)
alert tcp any any -> any any (file_data; content:"payload"; flowbits:isset,a|b; sid:3;)
alert tcp any any -> any any (http.uri; content:"/flip"; flowbits:toggle,b; flowbits:noalert; sid:4;)
alert tcp any any -> any any (file_data; content:"payload"; sid:5;))");
  ASSERT_TRUE(h.engine);
  // The flowbit-gated rules are in no database: only sid 5's literal is scanned for in bodies.
  size_t gated = 0, body_literals = 0;
  for (const RuleGroup& g : h.engine->groups()) {
    gated += g.flowbit_gated.size();
    for (const RuleGroup::BufferDb& db : g.dbs)
      if (db.buffer == BufferId::kFileData) body_literals += db.rule_ids.size();
  }
  EXPECT_EQ(gated, 3u);  // sid 1 under "seen", sid 3 under a and b
  EXPECT_EQ(body_literals, 1u);
  auto pkt = MakePacket(6, "1.1.1.1", 1234, "2.2.2.2", 80, "");
  auto run = [&](const char* uri) {
    BufferSet b;
    b.Set(BufferId::kFileData, std::string_view("the payload"));
    b.Set(BufferId::kHttpUri, std::string_view(uri));
    auto s = h.Run(pkt->pkt, true, true, &b);
    std::sort(s.begin(), s.end());
    return s;
  };
  EXPECT_THAT(run("/other"), ElementsAre(5u));
  EXPECT_THAT(run("/set"), ElementsAre(1u, 5u));  // set by a candidate of the same inspection
  EXPECT_THAT(run("/other"), ElementsAre(1u, 5u));  // set on the flow
  EXPECT_THAT(run("/flip"), ElementsAre(1u, 3u, 5u));  // b toggled on: isset,a|b
  EXPECT_THAT(run("/flip"), ElementsAre(1u, 5u));
  // No body, no candidate (and no alert).
  EXPECT_THAT(h.Run(pkt->pkt), IsEmpty());
}

TEST(BodyFastPattern, ExplicitChoiceGivesWayToAHigherScoringContentOfTheBody) {
  Harness h(R"(alert tcp any any -> any any (file_data; content:"jquery.js"; content:"archive"; fast_pattern; distance:0; nocase; sid:1;)
alert tcp any any -> any any (content:"User-Agent|3a|"; http_header; content:" Gator"; fast_pattern; http_header; sid:2;))");
  ASSERT_TRUE(h.engine);
  std::map<uint32_t, std::string> fp;
  for (const EngineRule& r : h.engine->rules()) fp[r.rule->meta.sid] = r.fast_pattern->bytes;
  // Body buffers: the longer, case-sensitive content of the same list is the prefilter literal
  // (every non-negated content must occur, so alerts are the same); header buffers keep the
  // rule's own choice (a longer content there is often a header name every message has).
  EXPECT_EQ(fp[1], "jquery.js");
  EXPECT_EQ(fp[2], " Gator");
  for (const EngineRule& r : h.engine->rules())
    if (r.rule->meta.sid == 1) { EXPECT_EQ(ChooseFastPattern(*r.rule, 4)->bytes, "archive"); }
  auto pkt = MakePacket(6, "1.1.1.1", 80, "2.2.2.2", 1234, "");
  auto body = [&](const char* text) {
    BufferSet b;
    b.Set(BufferId::kFileData, std::string_view(text));
    return h.Run(pkt->pkt, false, true, &b);
  };
  EXPECT_THAT(body("<script src=jquery.js archive=x>"), ElementsAre(1u));
  EXPECT_THAT(body("<script src=jquery.js>"), IsEmpty());
  EXPECT_THAT(body("ARCHIVE jquery.js"), IsEmpty());  // order: archive after jquery.js
}

TEST(SharedBodyDatabase, FileDataAndTheHttpBodyAreScannedOnceWhenTheyAreTheSameBytes) {
  Harness h(R"(alert tcp any any -> any any (file_data; content:"in-file-data"; sid:1;)
alert tcp any any -> any any (http.response_body; content:"in-response-body"; sid:2;))");
  ASSERT_TRUE(h.engine);
  size_t shared = 0, file_data = 0;
  for (const RuleGroup& g : h.engine->groups()) {
    for (const RuleGroup::BufferDb& db : g.dbs) {
      if (db.buffer != BufferId::kFileData) continue;
      ++file_data;
      if (db.second == BufferId::kHttpResponseBody) ++shared;
      EXPECT_EQ(db.rule_buffer.size(), db.second == BufferId::kCount ? 0u : db.rule_ids.size());
    }
  }
  EXPECT_GT(shared, 0u);
  EXPECT_EQ(shared, file_data);  // no separate file_data / response_body databases
  auto pkt = MakePacket(6, "1.1.1.1", 80, "2.2.2.2", 1234, "");
  auto run = [&](std::string_view file, std::string_view resp) {
    BufferSet b;
    b.Set(BufferId::kFileData, file);
    b.Set(BufferId::kHttpResponseBody, resp);
    auto s = h.Run(pkt->pkt, false, true, &b);
    std::sort(s.begin(), s.end());
    return s;
  };
  const std::string body = "x in-file-data y in-response-body z";
  EXPECT_THAT(run(body, body), ElementsAre(1u, 2u));  // one span: one scan for both
  // Different bytes: each buffer's scan keeps only its own rules' hits.
  const uint64_t before = h.thread->local(DetectCounters::kPrefilterHits);
  EXPECT_THAT(run("in-response-body", "in-file-data"), IsEmpty());
  EXPECT_EQ(h.thread->local(DetectCounters::kPrefilterHits), before);
  EXPECT_THAT(run("in-file-data", "in-response-body"), ElementsAre(1u, 2u));
  BufferSet only;
  only.Set(BufferId::kHttpResponseBody, std::string_view("in-response-body in-file-data"));
  EXPECT_THAT(h.Run(pkt->pkt, false, true, &only), ElementsAre(2u));
}

TEST(PacketOnlyGates, SmallDsizeRulesHaveTheirOwnDatabaseSkippedForLongPackets) {
  Harness h(R"(alert tcp any any -> any any (content:"SMALL"; dsize:<20; sid:1;)
alert tcp any any -> any any (content:"LARGE"; dsize:>0; sid:2;))");
  ASSERT_TRUE(h.engine);
  size_t groups = 0;
  for (const RuleGroup& g : h.engine->groups()) {
    if (g.tcp_packet_dbs.empty()) continue;
    ++groups;
    EXPECT_EQ(g.tcp_packet_dbs.size(), 2u);  // dsize:<20 apart from dsize:>0
  }
  EXPECT_GT(groups, 0u);
  auto run = [&](const std::string& payload) {
    StreamInspectedSegment seg(h, payload);
    h.thread->Inspect(seg.in, &h.q);
    auto s = Sids(h.q);
    std::sort(s.begin(), s.end());
    return s;
  };
  EXPECT_THAT(run("SMALL LARGE"), ElementsAre(1u, 2u));
  const uint64_t hits = h.thread->local(DetectCounters::kPrefilterHits);
  EXPECT_THAT(run("SMALL LARGE" + std::string(300, 'x')), ElementsAre(2u));
  EXPECT_EQ(h.thread->local(DetectCounters::kPrefilterHits), hits + 1);  // only the dsize:>0 one
}

}  // namespace
}  // namespace vigil::sensor::testing
