// Stream reassembly through a session: order, retransmissions, overlaps, gaps, depth, memcap,
// sequence wraparound.
#include "sensor/reassembly/tcp_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "tests/sensor/reassembly/reassembly_test_util.h"

namespace vigil::sensor::testing {
namespace {

using namespace tcp_flag;

class TcpStreamTest : public SessionFixture {
 protected:
  static constexpr uint32_t kCisn = 1000;
  static constexpr uint32_t kSisn = 9000;
  // Client data at stream offset off.
  StreamVerdict D(uint32_t off, std::string_view bytes) {
    return C(kCisn + 1 + off, kSisn + 1, kAck, bytes);
  }
  // The server acknowledges client bytes up to offset off.
  StreamVerdict Ack(uint32_t off) { return S(kSisn + 1, kCisn + 1 + off, kAck); }
  std::string& Got() { return sink.side(kC2S).data; }
};

TEST_F(TcpStreamTest, EveryPermutationOfFiveSegmentsGivesTheSameStream) {
  const std::array<std::string, 5> seg = {"The ", "quick ", "brown ", "fox ", "jumps"};
  std::array<uint32_t, 5> off{};
  std::string want;
  for (size_t i = 0; i < seg.size(); ++i) {
    off[i] = static_cast<uint32_t>(want.size());
    want += seg[i];
  }
  for (OverlapPolicy policy : {OverlapPolicy::kFirst, OverlapPolicy::kLast}) {
    std::array<int, 5> order = {0, 1, 2, 3, 4};
    int perms = 0;
    do {
      cfg.overlap_policy = policy;
      Init();
      sink.Clear();
      Handshake(kCisn, kSisn);
      for (int i : order) D(off[i], seg[i]);
      ASSERT_EQ(Got(), want) << "permutation " << perms;
      EXPECT_TRUE(sink.side(kC2S).gaps.empty());
      EXPECT_EQ(session().stream(kC2S).ooo_chunks(), 0u);
      EXPECT_EQ(session().ooo_bytes(), 0u);
      ++perms;
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(perms, 120);
  }
}

TEST_F(TcpStreamTest, ExactAndPartialRetransmissionsDeliveredOnce) {
  Handshake(kCisn, kSisn);
  D(0, "abcdef");
  D(0, "abcdef");      // exact
  D(3, "defghi");      // partial: "ghi" is new
  D(0, "abcdefghij");  // covers all, "j" new
  EXPECT_EQ(Got(), "abcdefghij");
  EXPECT_EQ(Count(TcpCounter::kRetransmissions), 3u);
  EXPECT_EQ(Count(StreamEvent::kPktRetransmission), 3u);
  EXPECT_EQ(Count(StreamEvent::kReassemblyOverlapDifferentData), 0u);
  // Out-of-order retransmission of a buffered segment.
  D(20, "uvw");
  D(20, "uvw");
  D(10, "klmnopqrst");
  EXPECT_EQ(Got(), "abcdefghijklmnopqrstuvw");
  EXPECT_EQ(Count(TcpCounter::kOverlaps), 1u);
  EXPECT_EQ(Count(TcpCounter::kOverlapDiffData), 0u);
}

TEST_F(TcpStreamTest, OverlapFirstPolicyKeepsOldBytes) {
  cfg.overlap_policy = OverlapPolicy::kFirst;
  Init();
  Handshake(kCisn, kSisn);
  D(10, "KLMNO");             // buffered first
  D(8, "xxXXXXXyy");          // overlaps 10..14 with different bytes, adds 8,9 and 15,16
  EXPECT_TRUE(Got().empty());
  EXPECT_TRUE(sink.saw(StreamEvent::kReassemblyOverlapDifferentData));
  D(0, "abcdefgh");
  EXPECT_EQ(Got(), "abcdefghxxKLMNOyy");
  EXPECT_EQ(Count(TcpCounter::kOverlapDiffData), 1u);
}

TEST_F(TcpStreamTest, OverlapLastPolicyTakesNewBytes) {
  cfg.overlap_policy = OverlapPolicy::kLast;
  Init();
  Handshake(kCisn, kSisn);
  D(10, "KLMNO");
  D(8, "xxXXXXXyy");
  D(0, "abcdefgh");
  EXPECT_EQ(Got(), "abcdefghxxXXXXXyy");
  EXPECT_TRUE(sink.saw(StreamEvent::kReassemblyOverlapDifferentData));
}

TEST_F(TcpStreamTest, InOrderSegmentOverlappingBufferedBytes) {
  for (OverlapPolicy policy : {OverlapPolicy::kFirst, OverlapPolicy::kLast}) {
    cfg.overlap_policy = policy;
    Init();
    sink.Clear();
    Handshake(kCisn, kSisn);
    D(4, "EF");
    D(0, "abcdefgh");  // in order, covers the buffered "EF" at 4..5 with "ef"
    EXPECT_EQ(Got(), policy == OverlapPolicy::kFirst ? "abcdEFgh" : "abcdefgh");
    EXPECT_TRUE(sink.saw(StreamEvent::kReassemblyOverlapDifferentData));
  }
}

TEST_F(TcpStreamTest, IdenticalOverlapIsNotAnAnomaly) {
  Handshake(kCisn, kSisn);
  D(5, "fghij");
  D(3, "defghijkl");
  D(0, "abcdefg");
  EXPECT_EQ(Got(), "abcdefghijkl");
  EXPECT_FALSE(sink.saw(StreamEvent::kReassemblyOverlapDifferentData));
  EXPECT_EQ(Count(TcpCounter::kOverlaps), 2u);
}

TEST_F(TcpStreamTest, OverlapWithDeliveredDataCannotChangeIt) {
  for (OverlapPolicy policy : {OverlapPolicy::kFirst, OverlapPolicy::kLast}) {
    cfg.overlap_policy = policy;
    Init();
    sink.Clear();
    Handshake(kCisn, kSisn);
    D(0, "attack");
    D(0, "benign");  // same bytes position, different content: already delivered
    EXPECT_EQ(Got(), "attack");
    EXPECT_TRUE(sink.saw(StreamEvent::kReassemblyOverlapDifferentData));
    EXPECT_TRUE(sink.saw(StreamEvent::kPktRetransmission));
  }
  // After the receiver ACKed the bytes the copy is released: counted, not compared.
  cfg = ReassemblyConfig();
  Init();
  sink.Clear();
  Handshake(kCisn, kSisn);
  D(0, "attack");
  Ack(6);
  EXPECT_EQ(session().stream(kC2S).retained_bytes(), 0u);
  D(0, "benign");
  EXPECT_FALSE(sink.saw(StreamEvent::kReassemblyOverlapDifferentData));
  EXPECT_TRUE(sink.saw(StreamEvent::kPktRetransmission));
}

TEST_F(TcpStreamTest, OverlapCheckDisabled) {
  cfg.overlap_check_bytes = 0;
  Init();
  Handshake(kCisn, kSisn);
  D(0, "attack");
  D(0, "benign");
  EXPECT_EQ(Got(), "attack");
  EXPECT_FALSE(sink.saw(StreamEvent::kReassemblyOverlapDifferentData));
  EXPECT_EQ(mem().chunks_in_use(), 0u);
}

TEST_F(TcpStreamTest, GapWhenAckedPastHole) {
  Handshake(kCisn, kSisn);
  D(0, "0123456789");
  D(20, "KLMNOPQRST");
  EXPECT_EQ(Got(), "0123456789");
  Ack(10);  // nothing missing yet from the receiver's view
  EXPECT_TRUE(sink.side(kC2S).gaps.empty());
  Ack(30);  // the receiver has 10..19, we never saw them
  ASSERT_EQ(sink.side(kC2S).gaps.size(), 1u);
  EXPECT_EQ(sink.side(kC2S).gaps[0], std::make_pair(uint64_t{10}, uint64_t{10}));
  EXPECT_EQ(sink.side(kC2S).with_gaps, "0123456789??????????KLMNOPQRST");
  EXPECT_TRUE(sink.saw(StreamEvent::kReassemblySeqGap));
  EXPECT_EQ(Count(TcpCounter::kReassemblyGap), 1u);
  EXPECT_EQ(Count(TcpCounter::kGapBytes), 10u);
  // The missing bytes arriving late are a retransmission, never delivered.
  D(10, "abcdefghij");
  D(30, "next");
  EXPECT_EQ(sink.side(kC2S).with_gaps, "0123456789??????????KLMNOPQRSTnext");
  // Acked past data we never saw at all (tail loss).
  Ack(40);
  EXPECT_EQ(sink.side(kC2S).with_gaps, "0123456789??????????KLMNOPQRSTnext??????");
}

TEST_F(TcpStreamTest, GapsOnFlush) {
  Handshake(kCisn, kSisn);
  D(0, "aa");
  D(5, "bb");
  D(10, "cc");
  session().Flush(sink);
  EXPECT_EQ(sink.side(kC2S).with_gaps, "aa???bb???cc");
  EXPECT_EQ(sink.side(kC2S).gaps.size(), 2u);
  EXPECT_EQ(sink.side(kC2S).ends, 1);
  EXPECT_EQ(sink.side(kC2S).reason, EndReason::kFlush);
  EXPECT_EQ(sink.side(kS2C).ends, 1);
  EXPECT_EQ(session().ooo_bytes(), 0u);
  EXPECT_EQ(mem().chunks_in_use(), 0u);
  // Nothing after the end.
  D(12, "dd");
  EXPECT_EQ(sink.side(kC2S).with_gaps, "aa???bb???cc");
}

TEST_F(TcpStreamTest, SequenceWraparound) {
  const uint32_t cisn = 0xFFFFFFF0u;  // data starts 15 bytes before 2^32
  const uint32_t sisn = 0xFFFFFFFEu;
  Handshake(cisn, sisn);
  const std::string a = "0123456789";   // seq FFFFFFF1..FFFFFFFA
  const std::string b = "abcdefghij";   // crosses zero
  const std::string c = "ABCDEFGHIJ";   // after zero
  C(cisn + 21, sisn + 1, kAck, c);      // out of order, past the wrap
  C(cisn + 11, sisn + 1, kAck, b);
  C(cisn + 1, sisn + 1, kAck, a);
  EXPECT_EQ(Got(), a + b + c);
  C(cisn + 6, sisn + 1, kAck, "56789abc");  // retransmission straddling the wrap
  EXPECT_EQ(Got(), a + b + c);
  S(sisn + 1, cisn + 31, kAck, "xy");       // server data starts at 0xFFFFFFFF
  S(sisn + 3, cisn + 31, kAck, "z");        // seq 1
  EXPECT_EQ(sink.side(kS2C).data, "xyz");
  // ACK past a hole across the wrap.
  C(cisn + 41, sisn + 4, kAck, "tail");
  S(sisn + 4, cisn + 45, kAck);
  EXPECT_EQ(sink.side(kC2S).with_gaps, a + b + c + "??????????tail");
  C(cisn + 45, sisn + 4, kAck | kFin);
  EXPECT_EQ(sink.side(kC2S).reason, EndReason::kFin);
  EXPECT_EQ(session().stream(kC2S).delivered_offset(), 44u);
}

TEST_F(TcpStreamTest, StreamDepthCutsExactlyAtLimit) {
  cfg.stream_depth = 100;
  Init();
  Handshake(kCisn, kSisn);
  std::string all;
  for (int i = 0; i < 5; ++i) {
    std::string seg(30, static_cast<char>('a' + i));
    all += seg;
    D(static_cast<uint32_t>(i * 30), seg);
  }
  EXPECT_EQ(Got(), all.substr(0, 100));
  EXPECT_EQ(sink.side(kC2S).ends, 1);
  EXPECT_EQ(sink.side(kC2S).reason, EndReason::kDepth);
  EXPECT_TRUE(session().stream(kC2S).depth_reached());
  EXPECT_EQ(Count(TcpCounter::kStreamDepthReached), 1u);
  EXPECT_EQ(Count(TcpCounter::kStreamDepthBytes), 50u);
  // The other direction is independent.
  S(kSisn + 1, kCisn + 151, kAck, "ok");
  EXPECT_EQ(sink.side(kS2C).data, "ok");
}

TEST_F(TcpStreamTest, StreamDepthWithOutOfOrderData) {
  cfg.stream_depth = 20;
  Init();
  Handshake(kCisn, kSisn);
  D(15, "FGHIJKLMNO");  // 15..24: only 15..19 can be kept
  D(0, "ABCDEFGHIJKLMNO");
  EXPECT_EQ(Got(), "ABCDEFGHIJKLMNOFGHIJ");
  EXPECT_EQ(sink.side(kC2S).reason, EndReason::kDepth);
  EXPECT_EQ(session().ooo_bytes(), 0u);
}

TEST_F(TcpStreamTest, MemcapDropBecomesGap) {
  cfg.chunk_size = 64;
  cfg.memcap = 128;  // two buffers for the whole worker
  cfg.overlap_check_bytes = 0;
  Init();
  Handshake(kCisn, kSisn);
  D(0, "start");
  D(100, std::string(64, 'a'));  // buffer 1
  D(164, std::string(64, 'b'));  // buffer 2
  D(228, std::string(64, 'c'));  // dropped: memcap
  EXPECT_GE(Count(TcpCounter::kMemcapDrops), 1u);
  EXPECT_EQ(mem().chunks_in_use(), 2u);
  Ack(292);
  const std::string want =
      "start" + std::string(95, '?') + std::string(64, 'a') + std::string(64, 'b') +
      std::string(64, '?');
  EXPECT_EQ(sink.side(kC2S).with_gaps, want);
  EXPECT_EQ(sink.side(kC2S).gaps.size(), 2u);
  EXPECT_EQ(mem().chunks_in_use(), 0u);
  D(292, "after");  // delivery continues
  EXPECT_EQ(sink.side(kC2S).with_gaps, want + "after");
}

TEST_F(TcpStreamTest, SessionMemcapAndOooLimit) {
  cfg.chunk_size = 64;
  cfg.session_memcap = 64 * 3;
  cfg.overlap_check_bytes = 0;
  Init();
  Handshake(kCisn, kSisn);
  for (uint32_t i = 0; i < 5; ++i) D(100 + i * 100, std::string(10, 'x'));
  EXPECT_EQ(session().stream(kC2S).ooo_chunks(), 3u);
  EXPECT_EQ(Count(TcpCounter::kSessionMemcapDrops), 2u);

  cfg = ReassemblyConfig();
  cfg.max_ooo_segments = 2;
  Init();
  Handshake(kCisn, kSisn);
  for (uint32_t i = 0; i < 4; ++i) D(100 + i * 100, std::string(10, 'x'));
  EXPECT_EQ(session().stream(kC2S).ooo_chunks(), 2u);
  EXPECT_EQ(Count(TcpCounter::kOooLimitDrops), 2u);
  session().Flush(sink);
  EXPECT_EQ(sink.side(kC2S).ends, 1);
}

TEST_F(TcpStreamTest, LargeSegmentsSpanSeveralBuffers) {
  cfg.chunk_size = 64;
  Init();
  Handshake(kCisn, kSisn);
  std::string big;
  for (int i = 0; i < 1000; ++i) big.push_back(static_cast<char>('A' + i % 26));
  D(10, big.substr(10, 500));
  D(510, big.substr(510, 490));
  D(0, big.substr(0, 10));
  EXPECT_EQ(Got(), big);
  EXPECT_EQ(session().ooo_bytes(), 0u);
}

TEST_F(TcpStreamTest, PoolIsReusedWithoutGrowing) {
  cfg.chunk_size = 256;
  Init();
  Handshake(kCisn, kSisn);
  uint32_t off = 0;
  uint64_t reserved = 0;
  for (int round = 0; round < 200; ++round) {
    D(off + 100, std::string(100, 'b'));
    D(off, std::string(100, 'a'));
    off += 200;
    Ack(off);
    if (round == 10) reserved = mem().reserved_bytes();
  }
  EXPECT_EQ(mem().reserved_bytes(), reserved);
  EXPECT_EQ(Got().size(), 40000u);
}

}  // namespace
}  // namespace vigil::sensor::testing
