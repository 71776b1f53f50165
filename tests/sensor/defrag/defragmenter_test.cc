#include "sensor/defrag/defragmenter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "tests/sensor/defrag/frag_builder.h"

namespace vigil::sensor {
namespace {

using testing::Ext;
using testing::FragBuilder;

std::vector<uint8_t> Pattern(size_t n, uint8_t seed = 1) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7);
  return v;
}

uint16_t Checksum(const uint8_t* h, size_t len) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < len; i += 2) sum += static_cast<uint32_t>(h[i] << 8 | h[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

class DefragTest : public ::testing::Test {
 protected:
  void Make(DefragConfig cfg = {}) {
    ASSERT_TRUE(cfg.Validate()) << cfg.Validate().error().ToString();
    reg_ = std::make_unique<CounterRegistry>();
    auto g = Defragmenter::RegisterCounters(*reg_);
    ASSERT_TRUE(g);
    block_ = reg_->NewBlock("w0");
    d_ = std::make_unique<Defragmenter>(cfg, *g, block_);
  }
  void SetUp() override { Make(); }
  uint64_t C(std::string_view name) const { return reg_->Total(name); }

  // Checks an IPv4 reassembly result against the first fragment's header and the payload.
  void ExpectV4(const DefragResult& r, const Packet& first, const std::vector<uint8_t>& payload) {
    ASSERT_EQ(r.action, DefragAction::kReassembled);
    ASSERT_EQ(r.datagram.size(), 20 + payload.size());
    const uint8_t* o = r.datagram.data();
    EXPECT_EQ(size_t{o[2]} << 8 | o[3], 20 + payload.size());
    EXPECT_EQ(o[6], 0);
    EXPECT_EQ(o[7], 0);
    EXPECT_EQ(Checksum(o, 20), 0) << "header checksum must verify";
    for (size_t i : {0, 1, 4, 5, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19}) {
      EXPECT_EQ(o[i], first.frag.ip_header[i]) << "header byte " << i;
    }
    EXPECT_TRUE(std::equal(payload.begin(), payload.end(), o + 20)) << "payload differs";
  }

  std::unique_ptr<CounterRegistry> reg_;
  CounterBlock* block_ = nullptr;
  std::unique_ptr<Defragmenter> d_;
  FragBuilder b_;
};

TEST_F(DefragTest, NotAFragmentIsIgnored) {
  Packet p;
  p.ip_version = 4;
  EXPECT_EQ(d_->Process(p).action, DefragAction::kNotFragment);
  EXPECT_EQ(C("defrag.ipv4.fragments"), 0u);
}

TEST_F(DefragTest, Ipv4InOrder) {
  auto pl = Pattern(64);
  Packet f0 = b_.V4(7, 0, pl.data(), 24, true);
  Packet f1 = b_.V4(7, 24, pl.data() + 24, 24, true);
  Packet f2 = b_.V4(7, 48, pl.data() + 48, 16, false);
  EXPECT_EQ(d_->Process(f0).action, DefragAction::kHeld);
  EXPECT_EQ(d_->active_trackers(), 1u);
  EXPECT_EQ(d_->Process(f1).action, DefragAction::kHeld);
  DefragResult r = d_->Process(f2);
  ExpectV4(r, f0, pl);
  EXPECT_EQ(r.events, 0u);
  EXPECT_EQ(d_->active_trackers(), 0u);
  EXPECT_EQ(d_->memuse(), 0u) << "a completed datagram gives all its memory back";
  EXPECT_EQ(C("defrag.ipv4.fragments"), 3u);
  EXPECT_EQ(C("defrag.ipv4.reassembled"), 1u);
  EXPECT_EQ(C("defrag.trackers_active"), 0u);
}

TEST_F(DefragTest, Ipv4OutOfOrderAndLargeFragments) {
  // 3000 bytes in 1480-byte fragments: several chunks per fragment.
  auto pl = Pattern(3000, 9);
  Packet f0 = b_.V4(1, 0, pl.data(), 1480, true);
  Packet f1 = b_.V4(1, 1480, pl.data() + 1480, 1480, true);
  Packet f2 = b_.V4(1, 2960, pl.data() + 2960, 40, false);
  EXPECT_EQ(d_->Process(f2).action, DefragAction::kHeld);
  EXPECT_EQ(d_->Process(f0).action, DefragAction::kHeld);
  ExpectV4(d_->Process(f1), f0, pl);
}

TEST_F(DefragTest, TinyFragmentsShuffled) {
  auto pl = Pattern(128, 3);
  std::vector<Packet> frags;
  for (uint32_t off = 0; off < 128; off += 8) {
    frags.push_back(b_.V4(99, off, pl.data() + off, 8, off + 8 < 128));
  }
  Packet first = frags[0];
  std::mt19937 rng(42);
  std::shuffle(frags.begin(), frags.end(), rng);
  DefragResult r;
  for (size_t i = 0; i < frags.size(); ++i) {
    r = d_->Process(frags[i]);
    if (i + 1 < frags.size()) {
      ASSERT_EQ(r.action, DefragAction::kHeld) << i;
    }
  }
  ExpectV4(r, first, pl);
}

TEST_F(DefragTest, DuplicateIsIgnoredAndCounted) {
  auto pl = Pattern(32);
  Packet f0 = b_.V4(5, 0, pl.data(), 16, true);
  Packet f0_again = b_.V4(5, 0, pl.data(), 16, true);
  Packet f1 = b_.V4(5, 16, pl.data() + 16, 16, false);
  EXPECT_EQ(d_->Process(f0).action, DefragAction::kHeld);
  DefragResult dup = d_->Process(f0_again);
  EXPECT_EQ(dup.action, DefragAction::kDropped);
  EXPECT_EQ(dup.drop, DefragDrop::kDuplicate);
  EXPECT_EQ(dup.events, 0u) << "a plain retransmission is not an anomaly";
  ExpectV4(d_->Process(f1), f0, pl);
  EXPECT_EQ(C("defrag.duplicates"), 1u);
  EXPECT_EQ(C("defrag.ipv4.fragment_overlap"), 0u);
}

// Overlaps: which bytes win under each policy.
struct OverlapCase {
  DefragPolicy policy;
  // Expected payload bytes 8..16 ('A' from the first fragment, 'B' from the overlapping one).
  uint8_t expect_mid;
  // Same-offset case: 'X' first arrival, 'Y' second.
  uint8_t expect_same;
  // Lower-offset-later case: 'L' lower offset arriving later, 'H' higher offset arriving first.
  uint8_t expect_lower;
};

class DefragOverlapTest : public DefragTest, public ::testing::WithParamInterface<OverlapCase> {};

TEST_P(DefragOverlapTest, PolicyDecidesWhichBytesWin) {
  const OverlapCase& c = GetParam();
  DefragConfig cfg;
  cfg.policy = c.policy;
  Make(cfg);

  // Case 1: A = [0,16) 'A', B = [8,24) 'B' arriving later, then the end [24,32).
  {
    std::vector<uint8_t> a(16, 'A'), bb(16, 'B'), e(8, 'E');
    EXPECT_EQ(d_->Process(b_.V4(1, 0, a.data(), 16, true)).action, DefragAction::kHeld);
    DefragResult rb = d_->Process(b_.V4(1, 8, bb.data(), 16, true));
    EXPECT_EQ(rb.action, DefragAction::kHeld);
    EXPECT_TRUE(rb.Has(DefragAnomaly::kOverlap, false));
    EXPECT_TRUE(rb.Has(DefragAnomaly::kOverlapDifferentData, false));
    DefragResult r = d_->Process(b_.V4(1, 24, e.data(), 8, false));
    ASSERT_EQ(r.action, DefragAction::kReassembled);
    std::vector<uint8_t> want(32);
    std::fill(want.begin(), want.begin() + 8, 'A');
    std::fill(want.begin() + 8, want.begin() + 16, c.expect_mid);
    std::fill(want.begin() + 16, want.begin() + 24, 'B');
    std::fill(want.begin() + 24, want.end(), 'E');
    EXPECT_EQ(std::vector<uint8_t>(r.datagram.begin() + 20, r.datagram.end()), want)
        << DefragPolicyName(c.policy);
  }
  // Case 2: two fragments at the same offset with different bytes.
  {
    std::vector<uint8_t> h(8, 'S'), x(8, 'X'), y(8, 'Y'), e(8, 'E');
    d_->Process(b_.V4(2, 0, h.data(), 8, true));
    d_->Process(b_.V4(2, 8, x.data(), 8, true));
    DefragResult ry = d_->Process(b_.V4(2, 8, y.data(), 8, true));
    EXPECT_EQ(ry.action, DefragAction::kHeld) << "a differing copy is not a duplicate";
    EXPECT_TRUE(ry.Has(DefragAnomaly::kOverlapDifferentData, false));
    DefragResult r = d_->Process(b_.V4(2, 16, e.data(), 8, false));
    ASSERT_EQ(r.action, DefragAction::kReassembled);
    EXPECT_EQ(r.datagram[20 + 8], c.expect_same) << DefragPolicyName(c.policy);
  }
  // Case 3: H = [16,32) arrives first, L = [8,24) later: lower offset vs first arrival.
  {
    std::vector<uint8_t> s(8, 'S'), hi(16, 'H'), lo(16, 'L'), e(8, 'E');
    d_->Process(b_.V4(3, 16, hi.data(), 16, true));
    d_->Process(b_.V4(3, 8, lo.data(), 16, true));
    d_->Process(b_.V4(3, 32, e.data(), 8, false));
    DefragResult r = d_->Process(b_.V4(3, 0, s.data(), 8, true));
    ASSERT_EQ(r.action, DefragAction::kReassembled);
    EXPECT_EQ(r.datagram[20 + 16], c.expect_lower) << DefragPolicyName(c.policy);
    EXPECT_EQ(r.datagram[20 + 8], 'L');
    EXPECT_EQ(r.datagram[20 + 24], 'H');
  }
  EXPECT_EQ(C("defrag.ipv4.overlap_different_data"), 3u) << "one per case";
}

INSTANTIATE_TEST_SUITE_P(Policies, DefragOverlapTest,
                         ::testing::Values(OverlapCase{DefragPolicy::kFirst, 'A', 'X', 'H'},
                                           OverlapCase{DefragPolicy::kLast, 'B', 'Y', 'L'},
                                           OverlapCase{DefragPolicy::kBsd, 'A', 'X', 'L'},
                                           OverlapCase{DefragPolicy::kLinux, 'A', 'Y', 'L'}),
                         [](const auto& param_info) {
                           return std::string(DefragPolicyName(param_info.param.policy));
                         });

TEST_F(DefragTest, OverlapWithSameDataIsOverlapButNotDifferent) {
  auto pl = Pattern(32);
  d_->Process(b_.V4(4, 0, pl.data(), 16, true));
  DefragResult r = d_->Process(b_.V4(4, 8, pl.data() + 8, 16, true));
  EXPECT_TRUE(r.Has(DefragAnomaly::kOverlap, false));
  EXPECT_FALSE(r.Has(DefragAnomaly::kOverlapDifferentData, false));
  Packet f0 = b_.V4(4, 0, pl.data(), 16, true);
  ExpectV4(d_->Process(b_.V4(4, 24, pl.data() + 24, 8, false)), f0, pl);
}

TEST_F(DefragTest, TimeoutIsExactlyAtTheBoundary) {
  auto pl = Pattern(16);
  // Datagram 1: second fragment one nanosecond before the timeout still joins.
  b_.ts = Timestamp::FromSeconds(100);
  Packet a0 = b_.V4(1, 0, pl.data(), 8, true);
  EXPECT_EQ(d_->Process(a0).action, DefragAction::kHeld);
  b_.ts = Timestamp::FromSeconds(160) + (-1);
  ExpectV4(d_->Process(b_.V4(1, 8, pl.data() + 8, 8, false)), a0, pl);
  EXPECT_EQ(C("defrag.timeouts"), 0u);

  // Datagram 2: at exactly last + timeout the tracker is gone.
  b_.ts = Timestamp::FromSeconds(200);
  EXPECT_EQ(d_->Process(b_.V4(2, 0, pl.data(), 8, true)).action, DefragAction::kHeld);
  b_.ts = Timestamp::FromSeconds(260);
  EXPECT_EQ(d_->Process(b_.V4(2, 8, pl.data() + 8, 8, false)).action, DefragAction::kHeld)
      << "the first fragment expired, so this one starts a new tracker";
  EXPECT_EQ(C("defrag.timeouts"), 1u);
  EXPECT_EQ(d_->active_trackers(), 1u);
  d_->Sweep(Timestamp::FromSeconds(320));
  EXPECT_EQ(C("defrag.timeouts"), 2u);
  EXPECT_EQ(d_->active_trackers(), 0u);
  EXPECT_EQ(d_->memuse(), 0u);
}

TEST_F(DefragTest, MemcapDropsAndRecovers) {
  DefragConfig cfg;
  cfg.memcap = 60 * ChunkPool::kBytesPerChunk;  // 60 chunks
  Make(cfg);
  auto pl = Pattern(1480 + 8);
  // Each datagram's first fragment: tracker + header + 1480 bytes (24 + 1480 -> 6 chunks) = 8.
  int held = 0;
  for (uint16_t id = 1; id <= 8; ++id) {
    DefragResult r = d_->Process(b_.V4(id, 0, pl.data(), 1480, true));
    if (r.action == DefragAction::kHeld) ++held;
    else EXPECT_EQ(r.drop, DefragDrop::kMemcap);
    EXPECT_LE(d_->memuse(), cfg.memcap);
  }
  EXPECT_EQ(held, 7);
  EXPECT_EQ(C("defrag.memcap_drops"), 1u);
  EXPECT_EQ(d_->memuse(), 56 * ChunkPool::kBytesPerChunk);
  // The last fragment of a held datagram still fits (one chunk), and completing it frees room.
  Packet first = b_.V4(1, 0, pl.data(), 1480, true);
  ExpectV4(d_->Process(b_.V4(1, 1480, pl.data() + 1480, 8, false)), first, pl);
  EXPECT_EQ(d_->Process(b_.V4(50, 0, pl.data(), 1480, true)).action, DefragAction::kHeld);
}

TEST_F(DefragTest, TrackerLimit) {
  DefragConfig cfg;
  cfg.max_trackers = 2;
  Make(cfg);
  auto pl = Pattern(16);
  EXPECT_EQ(d_->Process(b_.V4(1, 0, pl.data(), 8, true)).action, DefragAction::kHeld);
  EXPECT_EQ(d_->Process(b_.V4(2, 0, pl.data(), 8, true)).action, DefragAction::kHeld);
  DefragResult r = d_->Process(b_.V4(3, 0, pl.data(), 8, true));
  EXPECT_EQ(r.drop, DefragDrop::kTrackerLimit);
  EXPECT_EQ(C("defrag.tracker_drops"), 1u);
  // Fragments of datagrams already tracked still get in.
  EXPECT_EQ(d_->Process(b_.V4(1, 8, pl.data() + 8, 8, false)).action, DefragAction::kReassembled);
}

TEST_F(DefragTest, MaxFragmentsPerDatagram) {
  DefragConfig cfg;
  cfg.max_fragments = 4;
  Make(cfg);
  auto pl = Pattern(64);
  for (uint32_t off = 8; off <= 32; off += 8) {  // no offset 0: never completes
    EXPECT_EQ(d_->Process(b_.V4(1, off, pl.data() + off, 8, true)).action, DefragAction::kHeld)
        << off;
  }
  DefragResult r = d_->Process(b_.V4(1, 40, pl.data() + 40, 8, true));
  EXPECT_EQ(r.drop, DefragDrop::kTooManyFragments);
  EXPECT_TRUE(r.Has(DefragAnomaly::kTooManyFragments, false));
  EXPECT_EQ(C("defrag.max_fragments_drops"), 1u);
}

TEST_F(DefragTest, FragmentTooLargeAndReassemblyTooLarge) {
  auto pl = Pattern(64);
  // Ping of death: ends past 65535 with the header.
  DefragResult r = d_->Process(b_.V4(1, 65520, pl.data(), 16, false));
  EXPECT_EQ(r.drop, DefragDrop::kTooLarge);
  EXPECT_TRUE(r.Has(DefragAnomaly::kFragmentTooLarge, false));
  EXPECT_EQ(C("defrag.ipv4.fragment_too_large"), 1u);

  DefragConfig cfg;
  cfg.max_datagram_size = 1000;
  Make(cfg);
  r = d_->Process(b_.V4(1, 992, pl.data(), 16, false));
  EXPECT_EQ(r.drop, DefragDrop::kTooLarge);
  EXPECT_TRUE(r.Has(DefragAnomaly::kReassemblyTooLarge, false));
  EXPECT_EQ(C("defrag.ipv4.reassembly_too_large"), 1u);
}

TEST_F(DefragTest, InvalidLengthAndHeader) {
  auto pl = Pattern(64);
  DefragResult r = d_->Process(b_.V4(1, 0, pl.data(), 12, true));  // not a multiple of 8
  EXPECT_EQ(r.drop, DefragDrop::kInvalid);
  EXPECT_TRUE(r.Has(DefragAnomaly::kInvalidLength, false));

  Packet bad = b_.V4(2, 0, pl.data(), 8, true);
  bad.frag.ip_header_len = 24;  // disagrees with IHL
  r = d_->Process(bad);
  EXPECT_TRUE(r.Has(DefragAnomaly::kInvalidHeader, false));
  Packet null_hdr = b_.V4(3, 0, pl.data(), 8, true);
  null_hdr.frag.ip_header = nullptr;
  EXPECT_EQ(d_->Process(null_hdr).drop, DefragDrop::kInvalid);
  EXPECT_EQ(d_->active_trackers(), 0u);
  EXPECT_EQ(C("defrag.invalid_drops"), 3u);
}

TEST_F(DefragTest, DataBeyondTheEnd) {
  auto pl = Pattern(64);
  d_->Process(b_.V4(1, 16, pl.data() + 16, 8, false));  // end = 24
  DefragResult r = d_->Process(b_.V4(1, 24, pl.data() + 24, 8, true));
  EXPECT_EQ(r.drop, DefragDrop::kBeyondEnd);
  EXPECT_TRUE(r.Has(DefragAnomaly::kBeyondEnd, false));
  r = d_->Process(b_.V4(1, 8, pl.data() + 8, 8, false));  // a second, different end
  EXPECT_EQ(r.drop, DefragDrop::kBeyondEnd);
  // Data held past an end that arrives later is cut off.
  d_->Process(b_.V4(2, 0, pl.data(), 32, true));
  r = d_->Process(b_.V4(2, 16, pl.data() + 16, 8, false));  // end 24 < 32 already held
  EXPECT_TRUE(r.Has(DefragAnomaly::kBeyondEnd, false));
  ASSERT_EQ(r.action, DefragAction::kReassembled);
  EXPECT_EQ(r.datagram.size(), 20u + 24u);
}

TEST_F(DefragTest, VlanAndAddressesSeparateDatagrams) {
  auto pl = Pattern(16);
  d_->Process(b_.V4(1, 0, pl.data(), 8, true, /*vlan=*/10));
  // Same id, other VLAN: a different datagram, so it does not complete the first.
  EXPECT_EQ(d_->Process(b_.V4(1, 8, pl.data() + 8, 8, false, 20)).action, DefragAction::kHeld);
  EXPECT_EQ(d_->active_trackers(), 2u);
  EXPECT_EQ(d_->Process(b_.V4(1, 8, pl.data() + 8, 8, false, 10)).action,
            DefragAction::kReassembled);
}

TEST_F(DefragTest, Ipv6WithExtensionHeadersBeforeFragmentHeader) {
  for (bool include_frag : {false, true}) {
    Make();
    auto pl = Pattern(200, 5);
    std::vector<Ext> exts = {{0, 0}, {60, 1}};  // hop-by-hop (8 bytes), dest options (16 bytes)
    Packet f0 = b_.V6(0xdeadbeef, 0, pl.data(), 96, true, exts, include_frag);
    Packet f1 = b_.V6(0xdeadbeef, 96, pl.data() + 96, 104, false, exts, include_frag);
    EXPECT_EQ(d_->Process(f1).action, DefragAction::kHeld);
    DefragResult r = d_->Process(f0);
    ASSERT_EQ(r.action, DefragAction::kReassembled) << include_frag;
    const size_t hl = 40 + 8 + 16;
    ASSERT_EQ(r.datagram.size(), hl + pl.size());
    const uint8_t* o = r.datagram.data();
    EXPECT_EQ(size_t{o[4]} << 8 | o[5], 24 + pl.size()) << "payload length";
    EXPECT_EQ(o[6], 0) << "fixed header still names hop-by-hop";
    EXPECT_EQ(o[40], 60) << "hop-by-hop names destination options";
    EXPECT_EQ(o[40 + 2], 0xe0);
    EXPECT_EQ(o[48], 17) << "the header before the removed Fragment header names UDP";
    EXPECT_EQ(o[48 + 2], 0xe1);
    EXPECT_TRUE(std::equal(pl.begin(), pl.end(), o + hl));
    EXPECT_TRUE(std::equal(o + 8, o + 40, f0.frag.ip_header + 8)) << "addresses kept";
    EXPECT_EQ(C("defrag.ipv6.fragments"), 2u);
    EXPECT_EQ(C("defrag.ipv6.reassembled"), 1u);
  }
}

TEST_F(DefragTest, Ipv6PlainAndOverlap) {
  auto pl = Pattern(48);
  std::vector<uint8_t> other(16, 0xee);
  EXPECT_EQ(d_->Process(b_.V6(9, 0, pl.data(), 32, true)).action, DefragAction::kHeld);
  DefragResult r = d_->Process(b_.V6(9, 16, other.data(), 16, true));
  EXPECT_TRUE(r.Has(DefragAnomaly::kOverlapDifferentData, true));
  EXPECT_FALSE(r.Has(DefragAnomaly::kOverlap, false)) << "IPv6 events are separate bits";
  EXPECT_EQ(C("defrag.ipv6.fragment_overlap"), 1u);
  r = d_->Process(b_.V6(9, 32, pl.data() + 32, 16, false));
  ASSERT_EQ(r.action, DefragAction::kReassembled);
  EXPECT_EQ(r.datagram[6], 17) << "no extension headers: the fixed header names UDP";
  EXPECT_TRUE(std::equal(pl.begin(), pl.end(), r.datagram.data() + 40)) << "first wins";
}

TEST_F(DefragTest, Ipv6BrokenChainIsInvalidHeader) {
  auto pl = Pattern(16);
  Packet p = b_.V6(1, 0, pl.data(), 8, true, {{0, 0}});
  // Claim the unfragmentable part ends inside the hop-by-hop header.
  p.frag.ip_header_len = 44;
  DefragResult r = d_->Process(p);
  EXPECT_EQ(r.drop, DefragDrop::kInvalid);
  EXPECT_TRUE(r.Has(DefragAnomaly::kInvalidHeader, true));
  EXPECT_EQ(C("defrag.ipv6.invalid_header"), 1u);
}

TEST_F(DefragTest, ClearFreesEverything) {
  auto pl = Pattern(64);
  for (uint16_t id = 0; id < 100; ++id) d_->Process(b_.V4(id, 0, pl.data(), 32, true));
  EXPECT_EQ(d_->active_trackers(), 100u);
  EXPECT_GT(d_->memuse(), 0u);
  d_->Clear();
  EXPECT_EQ(d_->active_trackers(), 0u);
  EXPECT_EQ(d_->memuse(), 0u);
}

TEST(DefragConfigTest, ValidateAndPolicyNames) {
  DefragConfig c;
  EXPECT_TRUE(c.Validate());
  EXPECT_EQ(c.memcap, size_t{32} << 20);
  EXPECT_EQ(c.max_trackers, 65535u);
  EXPECT_EQ(c.timeout_ns, 60 * kNanosPerSecond);
  EXPECT_EQ(c.policy, DefragPolicy::kFirst);
  c.hash_buckets = 1000;
  EXPECT_FALSE(c.Validate());
  c = DefragConfig{};
  c.memcap = 100;
  EXPECT_FALSE(c.Validate());
  c = DefragConfig{};
  c.max_datagram_size = 70000;
  EXPECT_FALSE(c.Validate());
  EXPECT_EQ(*ParseDefragPolicy("linux"), DefragPolicy::kLinux);
  EXPECT_FALSE(ParseDefragPolicy("windows"));
  EXPECT_EQ(DefragEventName(DefragAnomaly::kOverlap, true), "defrag.ipv6.fragment_overlap");
  EXPECT_EQ(DefragEventName(DefragAnomaly::kFragmentTooLarge, false),
            "defrag.ipv4.fragment_too_large");
  EXPECT_EQ(DefragEventName(kDefragEventCount), "");
}

}  // namespace
}  // namespace vigil::sensor
