// TcpSession state machine: handshakes, closes, validation anomalies, midstream, reuse.
#include "sensor/reassembly/tcp_session.h"

#include <gtest/gtest.h>

#include "tests/sensor/reassembly/reassembly_test_util.h"

namespace vigil::sensor::testing {
namespace {

using namespace tcp_flag;

class TcpSessionTest : public SessionFixture {};

TEST_F(TcpSessionTest, HandshakeAndDataBothDirections) {
  EXPECT_EQ(session().flow_state(), FlowTcpState::kNew);
  StreamVerdict v = C(1000, 0, kSyn);
  EXPECT_TRUE(v.has(stream_verdict::kStateChanged));
  EXPECT_EQ(session().state(), TcpState::kSynSent);
  S(5000, 1001, kSyn | kAck);
  EXPECT_EQ(session().state(), TcpState::kSynRecv);
  v = C(1001, 5001, kAck);
  EXPECT_TRUE(v.has(stream_verdict::kStateChanged));
  EXPECT_EQ(session().state(), TcpState::kEstablished);
  EXPECT_EQ(session().flow_state(), FlowTcpState::kEstablished);

  C(1001, 5001, kAck | kPsh, "GET / HTTP/1.1\r\n");
  C(1017, 5001, kAck | kPsh, "Host: x\r\n\r\n");
  S(5001, 1028, kAck | kPsh, "HTTP/1.1 200 OK\r\n");
  EXPECT_EQ(sink.side(kC2S).data, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(sink.side(kS2C).data, "HTTP/1.1 200 OK\r\n");
  EXPECT_TRUE(sink.events.empty());
  EXPECT_EQ(Count(TcpCounter::kSessions), 1u);
  EXPECT_EQ(Count(TcpCounter::kSyn), 1u);
  EXPECT_EQ(Count(TcpCounter::kSynAck), 1u);
  EXPECT_EQ(Count(TcpCounter::kDeliveredBytes), 27u + 17u);
  EXPECT_EQ(session().stream(kC2S).delivered_offset(), 27u);
}

TEST_F(TcpSessionTest, FinCloseBothSides) {
  Handshake(100, 900);
  C(101, 901, kAck, "hello");
  C(106, 901, kAck | kFin);
  EXPECT_EQ(session().state(), TcpState::kFinWait);
  EXPECT_EQ(sink.side(kC2S).ends, 1);
  EXPECT_EQ(sink.side(kC2S).reason, EndReason::kFin);
  S(901, 107, kAck, "bye");
  StreamVerdict v = S(904, 107, kAck | kFin);
  EXPECT_EQ(session().state(), TcpState::kClosing);
  EXPECT_EQ(sink.side(kS2C).reason, EndReason::kFin);
  v = C(107, 905, kAck);
  EXPECT_EQ(session().state(), TcpState::kTimeWait);
  EXPECT_TRUE(v.has(stream_verdict::kClosed));
  EXPECT_EQ(session().flow_state(), FlowTcpState::kClosed);
  EXPECT_EQ(sink.side(kC2S).data, "hello");
  EXPECT_EQ(sink.side(kS2C).data, "bye");
  // Flush after a clean close does nothing more.
  session().Flush(sink);
  EXPECT_EQ(sink.side(kC2S).ends, 1);
}

TEST_F(TcpSessionTest, FinBeforeMissingDataEndsAfterIt) {
  Handshake(100, 900);
  C(106, 901, kAck | kFin, "world");  // FIN at offset 10, bytes 0..4 missing
  EXPECT_EQ(sink.side(kC2S).ends, 0);
  C(101, 901, kAck, "hello");
  EXPECT_EQ(sink.side(kC2S).data, "helloworld");
  EXPECT_EQ(sink.side(kC2S).ends, 1);
  EXPECT_EQ(sink.side(kC2S).reason, EndReason::kFin);
}

TEST_F(TcpSessionTest, FinOutOfWindowIgnored) {
  Handshake(100, 900);
  C(101, 901, kAck, "hello");
  StreamVerdict v = C(103, 901, kAck | kFin);  // FIN before delivered bytes
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::kFinOutOfWindow));
  v = C(101 + 5'000'000, 901, kAck | kFin);  // far beyond the window
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_EQ(Count(StreamEvent::kFinOutOfWindow), 2u);
  EXPECT_EQ(session().state(), TcpState::kEstablished);
}

TEST_F(TcpSessionTest, RstClosesAndFlushesWithGaps) {
  Handshake(100, 900);
  C(101, 901, kAck, "abc");
  C(110, 901, kAck, "xyz");  // offsets 9..11, hole at 3..8
  StreamVerdict v = S(901, 104, kRst | kAck);
  EXPECT_TRUE(v.has(stream_verdict::kClosed));
  EXPECT_EQ(session().state(), TcpState::kClosed);
  EXPECT_EQ(session().flow_state(), FlowTcpState::kClosed);
  EXPECT_EQ(sink.side(kC2S).with_gaps, "abc??????xyz");
  EXPECT_EQ(sink.side(kC2S).reason, EndReason::kRst);
  EXPECT_EQ(sink.side(kS2C).reason, EndReason::kRst);
  EXPECT_EQ(Count(TcpCounter::kRst), 1u);
  // Data after the RST: the RST did not reach the endpoints.
  v = C(113, 901, kAck, "more");
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::kSuspectedRstInject));
  EXPECT_EQ(sink.side(kC2S).data, "abcxyz");
}

TEST_F(TcpSessionTest, RstOutOfWindowIgnored) {
  Handshake(100, 900);
  StreamVerdict v = S(900 + 10'000'000, 101, kRst | kAck);
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::kRstInvalidAck));
  EXPECT_EQ(session().state(), TcpState::kEstablished);
  C(101, 901, kAck, "still here");
  EXPECT_EQ(sink.side(kC2S).data, "still here");
}

TEST_F(TcpSessionTest, RstAnsweringSyn) {
  C(100, 0, kSyn);
  StreamVerdict v = S(0, 99, kRst | kAck);  // wrong ack: not for our SYN
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  v = S(0, 101, kRst | kAck);
  EXPECT_TRUE(v.has(stream_verdict::kClosed));
  EXPECT_EQ(session().state(), TcpState::kClosed);
}

TEST_F(TcpSessionTest, SynRetransmitAndDifferentSeq) {
  C(100, 0, kSyn);
  StreamVerdict v = C(100, 0, kSyn);  // plain retransmission
  EXPECT_FALSE(v.has(stream_verdict::kInvalid));
  EXPECT_EQ(Count(TcpCounter::kSyn), 2u);
  EXPECT_TRUE(sink.events.empty());
  v = C(7777, 0, kSyn);
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::k3whsSynResendDiffSeqOnSynRecv));
  S(900, 101, kSyn | kAck);
  C(101, 901, kAck);
  EXPECT_EQ(session().state(), TcpState::kEstablished);
  v = C(5555, 0, kSyn);
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::kEstSynResendDiffSeq));
}

TEST_F(TcpSessionTest, SynAckWithWrongAck) {
  C(100, 0, kSyn);
  StreamVerdict v = S(900, 555, kSyn | kAck);
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::k3whsSynackWithWrongAck));
  EXPECT_EQ(Count(StreamEvent::k3whsSynackWithWrongAck), 1u);
  EXPECT_EQ(session().state(), TcpState::kSynSent);
  // The right one still completes the handshake.
  S(900, 101, kSyn | kAck);
  C(101, 901, kAck);
  EXPECT_EQ(session().state(), TcpState::kEstablished);
  // A SYN/ACK resent with another ISN.
  v = S(12345, 101, kSyn | kAck);
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::kEstSynackResendWithDiffSeq));
}

TEST_F(TcpSessionTest, SynAckInWrongDirectionAndWrongHandshakeAck) {
  C(100, 0, kSyn);
  StreamVerdict v = C(300, 101, kSyn | kAck);  // the client answering its own SYN
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::k3whsSynackInWrongDirection));
  S(900, 101, kSyn | kAck);
  v = C(101, 850, kAck);  // ACK below the server's ISN+1
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::k3whsWrongSeqWrongAck));
  EXPECT_NE(session().state(), TcpState::kEstablished);
}

TEST_F(TcpSessionTest, SimultaneousOpen) {
  C(100, 0, kSyn);
  S(900, 0, kSyn);
  EXPECT_EQ(session().state(), TcpState::kSynRecv);
  C(100, 901, kSyn | kAck);
  S(900, 101, kSyn | kAck);
  EXPECT_EQ(session().state(), TcpState::kEstablished);
  C(101, 901, kAck, "a");
  S(901, 102, kAck, "b");
  EXPECT_EQ(sink.side(kC2S).data, "a");
  EXPECT_EQ(sink.side(kS2C).data, "b");
  StreamVerdict v = S(900, 777, kSyn | kAck);
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::k4whsSynackWithWrongAck));
}

TEST_F(TcpSessionTest, LostSynAckInferredFromAck) {
  C(100, 0, kSyn);
  C(101, 901, kAck);  // SYN/ACK not captured
  EXPECT_EQ(session().state(), TcpState::kEstablished);
  S(901, 101, kAck, "banner");
  C(101, 907, kAck, "hi");
  EXPECT_EQ(sink.side(kS2C).data, "banner");
  EXPECT_EQ(sink.side(kC2S).data, "hi");
}

TEST_F(TcpSessionTest, MidstreamOffIgnoresData) {
  StreamVerdict v = C(5000, 7000, kAck, "data");
  EXPECT_TRUE(v.has(stream_verdict::kNotTracked));
  v = S(7000, 5004, kAck, "resp");
  EXPECT_TRUE(v.has(stream_verdict::kNotTracked));
  EXPECT_EQ(session().state(), TcpState::kNone);
  EXPECT_TRUE(sink.side(kC2S).data.empty());
  EXPECT_EQ(Count(TcpCounter::kNotReassembled), 2u);
  EXPECT_EQ(Count(TcpCounter::kSessions), 0u);
  session().Flush(sink);
  EXPECT_EQ(sink.side(kC2S).ends, 0);
}

TEST_F(TcpSessionTest, MidstreamOnPicksUpEachDirection) {
  cfg.midstream = true;
  Init();
  StreamVerdict v = C(5000, 7000, kAck, "data");
  EXPECT_FALSE(v.has(stream_verdict::kInvalid));
  EXPECT_EQ(session().state(), TcpState::kEstablished);
  EXPECT_TRUE(session().midstream());
  S(7000, 5004, kAck, "resp");
  C(5004, 7004, kAck, "more");
  EXPECT_EQ(sink.side(kC2S).data, "datamore");
  EXPECT_EQ(sink.side(kS2C).data, "resp");
  EXPECT_EQ(Count(TcpCounter::kMidstreamPickups), 1u);
  EXPECT_EQ(Count(TcpCounter::kSessions), 1u);
}

TEST_F(TcpSessionTest, MidstreamPickupFromSynAck) {
  cfg.midstream = true;
  Init();
  S(900, 101, kSyn | kAck);
  C(101, 901, kAck, "req");
  S(901, 104, kAck, "resp");
  EXPECT_EQ(session().state(), TcpState::kEstablished);
  EXPECT_EQ(sink.side(kC2S).data, "req");
  EXPECT_EQ(sink.side(kS2C).data, "resp");
}

TEST_F(TcpSessionTest, ReuseAfterClose) {
  Handshake(100, 900);
  S(901, 101, kRst | kAck);
  ASSERT_EQ(session().state(), TcpState::kClosed);
  StreamVerdict v = C(100, 0, kSyn);  // the same SYN again: old
  EXPECT_FALSE(v.has(stream_verdict::kReuse));
  v = C(40000, 0, kSyn);
  EXPECT_TRUE(v.has(stream_verdict::kReuse));
  EXPECT_EQ(Count(TcpCounter::kReused), 1u);
  session().Flush(sink);
  session().Reset();
  sink.Clear();
  Handshake(40000, 1234);
  C(40001, 1235, kAck, "again");
  EXPECT_EQ(sink.side(kC2S).data, "again");
}

TEST_F(TcpSessionTest, InvalidFlagCombinations) {
  StreamVerdict v = C(100, 0, kSyn | kFin);
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::kFinSyn));
  v = C(100, 0, kSyn | kRst);
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  C(100, 55, kSyn);  // ACK number without the ACK flag
  EXPECT_TRUE(sink.saw(StreamEvent::kPktBrokenAck));
  EXPECT_EQ(Count(TcpCounter::kInvalid), 2u);
}

TEST_F(TcpSessionTest, InvalidAckIgnored) {
  Handshake(100, 900);
  StreamVerdict v = C(101, 900 + 50'000'000, kAck, "x");
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::kPktInvalidAck));
  EXPECT_TRUE(sink.side(kC2S).data.empty());
}

TEST_F(TcpSessionTest, DataOutOfWindowIgnored) {
  Handshake(100, 900);
  StreamVerdict v = C(101 + 3'000'000, 901, kAck, "far");
  EXPECT_TRUE(v.has(stream_verdict::kInvalid));
  EXPECT_TRUE(sink.saw(StreamEvent::kEstPacketOutOfWindow));
  EXPECT_EQ(session().stream(kC2S).ooo_chunks(), 0u);
}

TEST_F(TcpSessionTest, WindowScaleAllowsLargeWindow) {
  // Both SYNs carry wscale 8: a 1000-unit window is 256000 bytes.
  Packet syn = Make(100, 0, kSyn, {}, 1000);
  syn.tcp.has_wscale = true;
  syn.tcp.wscale = 8;
  session().OnPacket(syn, kC2S, sink);
  Packet synack = Make(900, 101, kSyn | kAck, {}, 1000);
  synack.tcp.has_wscale = true;
  synack.tcp.wscale = 8;
  session().OnPacket(synack, kS2C, sink);
  Send(kC2S, 101, 901, kAck, {}, 1000);
  Send(kS2C, 901, 101, kAck, {}, 1000);  // server's window: 256000 bytes
  StreamVerdict v = C(101 + 200'000, 901, kAck, "ahead");
  EXPECT_FALSE(v.has(stream_verdict::kInvalid));
  EXPECT_EQ(session().stream(kC2S).ooo_chunks(), 1u);
}

TEST_F(TcpSessionTest, FastOpenDataOnSyn) {
  C(100, 0, kSyn, "GET /");
  S(900, 106, kSyn | kAck);
  C(106, 901, kAck, " HTTP/1.1");
  EXPECT_EQ(session().state(), TcpState::kEstablished);
  EXPECT_EQ(sink.side(kC2S).data, "GET / HTTP/1.1");
}

TEST_F(TcpSessionTest, ResetReturnsBuffersAndForgets) {
  Handshake(100, 900);
  C(111, 901, kAck, std::string(5000, 'x'));
  EXPECT_GT(mem().chunks_in_use(), 0u);
  EXPECT_GT(session().ooo_bytes(), 0u);
  session().Reset();
  EXPECT_EQ(mem().chunks_in_use(), 0u);
  EXPECT_EQ(session().ooo_bytes(), 0u);
  EXPECT_EQ(session().state(), TcpState::kNone);
}

TEST(ReassemblyConfigTest, ValidatesAndParses) {
  ReassemblyConfig cfg;
  EXPECT_TRUE(cfg.Validate().ok());
  cfg.chunk_size = 10;
  EXPECT_FALSE(cfg.Validate().ok());
  cfg = ReassemblyConfig();
  cfg.memcap = 100;
  EXPECT_FALSE(cfg.Validate().ok());
  cfg = ReassemblyConfig();
  cfg.max_ooo_segments = 0;
  EXPECT_FALSE(cfg.Validate().ok());
  EXPECT_EQ(*ParseOverlapPolicy("last"), OverlapPolicy::kLast);
  EXPECT_FALSE(ParseOverlapPolicy("bsd").ok());
  EXPECT_EQ(StreamEventName(StreamEvent::kReassemblySeqGap), "stream.reassembly_seq_gap");
  EXPECT_EQ(TcpStateName(TcpState::kTimeWait), "time_wait");
}

}  // namespace
}  // namespace vigil::sensor::testing
