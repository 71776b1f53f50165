// Randomized properties: random segmentation, reordering, duplication and overlap of a random
// byte string must reassemble exactly (identical overlaps), or exactly as a simple byte model of
// the overlap policy says (differing overlaps).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "tests/sensor/reassembly/reassembly_test_util.h"

namespace vigil::sensor::testing {
namespace {

using namespace tcp_flag;

// "size 10 vs 12, first difference at 7" (the strings themselves are too long to print).
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  size_t lo = i > 20 ? i - 20 : 0;
  return "size " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
         ", first difference at " + std::to_string(i) + ": ..." + a.substr(lo, 60) + " vs ..." +
         b.substr(lo, 60);
}

struct Seg {
  uint32_t off;
  std::string bytes;
};

class ReassemblyPropertyTest : public SessionFixture {
 protected:
  // Tiny random segments can need more buffers than the default limits allow; these tests are
  // about exactness, so no limit may drop anything (checked in TearDown).
  static ReassemblyConfig Unlimited() {
    ReassemblyConfig c;
    c.max_ooo_segments = 1u << 20;
    c.session_memcap = 256ull << 20;
    c.memcap = 256ull << 20;
    return c;
  }
  void TearDown() override {
    EXPECT_EQ(Count(TcpCounter::kOooLimitDrops), 0u);
    EXPECT_EQ(Count(TcpCounter::kSessionMemcapDrops), 0u);
    EXPECT_EQ(Count(TcpCounter::kMemcapDrops), 0u);
    EXPECT_EQ(Count(TcpCounter::kInvalid), 0u);
  }
  // Random ISN, sometimes just below 2^32 so the stream wraps.
  uint32_t RandomIsn(std::mt19937& rng) {
    std::uniform_int_distribution<uint32_t> any;
    if (rng() % 3 == 0) return 0xFFFFFFFFu - static_cast<uint32_t>(rng() % 30000);
    return any(rng);
  }
  // Cuts [0, size) into random pieces (1..max_len bytes).
  static std::vector<std::pair<uint32_t, uint32_t>> Cut(std::mt19937& rng, uint32_t size,
                                                        uint32_t max_len) {
    std::vector<std::pair<uint32_t, uint32_t>> out;
    for (uint32_t off = 0; off < size;) {
      uint32_t len = std::min<uint32_t>(size - off, 1 + static_cast<uint32_t>(rng() % max_len));
      out.emplace_back(off, len);
      off += len;
    }
    return out;
  }
};

TEST_F(ReassemblyPropertyTest, RandomReorderDuplicateOverlapReassemblesExactly) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed);
    cfg = Unlimited();
    cfg.overlap_policy = seed % 2 ? OverlapPolicy::kFirst : OverlapPolicy::kLast;
    cfg.chunk_size = seed % 3 == 0 ? 64 : 2048;  // small buffers: more splitting and packing
    Init();
    sink.Clear();
    const uint32_t size = 1 + static_cast<uint32_t>(rng() % 60000);
    std::string data(size, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    std::vector<Seg> segs;
    for (auto [off, len] : Cut(rng, size, 1 + rng() % 1500)) segs.push_back({off, data.substr(off, len)});
    // Duplicates and overlapping re-sends with identical bytes.
    const size_t extra = rng() % (segs.size() + 1);
    for (size_t i = 0; i < extra; ++i) {
      uint32_t a = static_cast<uint32_t>(rng() % size);
      uint32_t len = std::min<uint32_t>(size - a, 1 + static_cast<uint32_t>(rng() % 3000));
      segs.push_back({a, data.substr(a, len)});
    }
    // Mostly local reordering (as on a real link), sometimes a full shuffle.
    if (rng() % 4 == 0) {
      std::shuffle(segs.begin(), segs.end(), rng);
    } else {
      for (size_t i = 0; i + 1 < segs.size(); ++i) {
        size_t j = std::min(segs.size() - 1, i + rng() % 8);
        std::swap(segs[i], segs[j]);
      }
    }
    const uint32_t cisn = RandomIsn(rng);
    const uint32_t sisn = RandomIsn(rng);
    Handshake(cisn, sisn);
    for (const Seg& s : segs) C(cisn + 1 + s.off, sisn + 1, kAck, s.bytes);
    ASSERT_EQ(sink.side(kC2S).data.size(), data.size()) << "seed " << seed;
    ASSERT_TRUE(sink.side(kC2S).data == data)
        << "seed " << seed << ": " << FirstDifference(sink.side(kC2S).data, data);
    EXPECT_TRUE(sink.side(kC2S).gaps.empty()) << "seed " << seed;
    EXPECT_FALSE(sink.saw(StreamEvent::kReassemblyOverlapDifferentData)) << "seed " << seed;
    EXPECT_EQ(session().ooo_bytes(), 0u) << "seed " << seed;
    C(cisn + 1 + size, sisn + 1, kAck | kFin);
    EXPECT_EQ(sink.side(kC2S).ends, 1) << "seed " << seed;
    EXPECT_EQ(sink.side(kC2S).reason, EndReason::kFin) << "seed " << seed;
  }
}

// Differing overlaps against a byte-level model: a byte not yet delivered takes the first
// (policy first) or the latest (policy last) value received for it; a delivered byte never changes.
TEST_F(ReassemblyPropertyTest, DifferingOverlapsFollowThePolicyModel) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed * 7919);
    cfg = Unlimited();
    cfg.overlap_policy = seed % 2 ? OverlapPolicy::kFirst : OverlapPolicy::kLast;
    cfg.chunk_size = seed % 3 == 0 ? 64 : 2048;
    Init();
    sink.Clear();
    const uint32_t size = 1 + static_cast<uint32_t>(rng() % 20000);
    std::vector<Seg> segs;
    auto random_bytes = [&](uint32_t len) {
      std::string s(len, '\0');
      for (char& c : s) c = static_cast<char>('a' + rng() % 4);  // small alphabet: many equal bytes
      return s;
    };
    for (auto [off, len] : Cut(rng, size, 1 + rng() % 1000)) segs.push_back({off, random_bytes(len)});
    const size_t extra = rng() % (segs.size() + 1);
    for (size_t i = 0; i < extra; ++i) {
      uint32_t a = static_cast<uint32_t>(rng() % size);
      uint32_t len = std::min<uint32_t>(size - a, 1 + static_cast<uint32_t>(rng() % 2000));
      segs.push_back({a, random_bytes(len)});
    }
    std::shuffle(segs.begin(), segs.end(), rng);

    // Model.
    std::string val(size, '\0');
    std::vector<bool> present(size, false);
    uint32_t delivered = 0;
    bool any_diff = false;
    for (const Seg& s : segs) {
      for (uint32_t i = 0; i < s.bytes.size(); ++i) {
        uint32_t o = s.off + i;
        if (present[o] && val[o] != s.bytes[i]) any_diff = true;
        if (o < delivered) continue;
        if (!present[o] || cfg.overlap_policy == OverlapPolicy::kLast) val[o] = s.bytes[i];
        present[o] = true;
      }
      while (delivered < size && present[delivered]) ++delivered;
    }
    ASSERT_EQ(delivered, size);

    const uint32_t cisn = RandomIsn(rng);
    const uint32_t sisn = RandomIsn(rng);
    Handshake(cisn, sisn);
    for (const Seg& s : segs) C(cisn + 1 + s.off, sisn + 1, kAck, s.bytes);
    ASSERT_TRUE(sink.side(kC2S).data == val)
        << "seed " << seed << ": " << FirstDifference(sink.side(kC2S).data, val);
    EXPECT_TRUE(sink.side(kC2S).gaps.empty()) << "seed " << seed;
    // Every difference the model saw is reported (the retained copy covers the whole stream here).
    EXPECT_EQ(sink.saw(StreamEvent::kReassemblyOverlapDifferentData), any_diff) << "seed " << seed;
  }
}

// Random holes that are never filled: the receiver ACKs everything at the end, and the result
// must be the data with exactly the missing ranges reported as gaps.
TEST_F(ReassemblyPropertyTest, LostSegmentsBecomeExactGaps) {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed * 104729);
    cfg = Unlimited();
    Init();
    sink.Clear();
    const uint32_t size = 1 + static_cast<uint32_t>(rng() % 30000);
    std::string data(size, '\0');
    for (char& c : data) c = static_cast<char>('A' + rng() % 26);  // never '?'
    std::string want = data;
    std::vector<Seg> segs;
    for (auto [off, len] : Cut(rng, size, 1 + rng() % 1500)) {
      if (rng() % 5 == 0) {
        std::fill(want.begin() + off, want.begin() + off + len, '?');
        continue;  // lost
      }
      segs.push_back({off, data.substr(off, len)});
    }
    std::shuffle(segs.begin(), segs.end(), rng);
    const uint32_t cisn = RandomIsn(rng);
    const uint32_t sisn = RandomIsn(rng);
    Handshake(cisn, sisn);
    for (const Seg& s : segs) C(cisn + 1 + s.off, sisn + 1, kAck, s.bytes);
    if (seed % 2) {
      S(sisn + 1, cisn + 1 + size, kAck);
    } else {
      session().Flush(sink);
    }
    // A trailing loss is only known from the ACK; Flush cannot know it.
    std::string got = sink.side(kC2S).with_gaps;
    if (seed % 2 == 0) {
      size_t keep = want.find_last_not_of('?') + 1;
      if (keep == std::string::npos + 1) keep = 0;
      want.resize(keep);
    }
    ASSERT_TRUE(got == want) << "seed " << seed << ": " << FirstDifference(got, want);
    EXPECT_EQ(session().ooo_bytes(), 0u);
  }
}

}  // namespace
}  // namespace vigil::sensor::testing
