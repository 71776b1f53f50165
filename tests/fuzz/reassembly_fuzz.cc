// libFuzzer target for sensor/reassembly: the input is a small config and a sequence of TCP
// segments (direction, flags, sequence/ack deltas, length) fed to one TcpSession.
//
// Invariants checked on every run (abort on violation):
//  - per direction, OnData/OnGap offsets are contiguous from 0: no byte twice, none out of order;
//  - nothing is delivered after OnEnd, and OnEnd comes at most once per direction;
//  - nothing is delivered beyond the stream depth;
//  - when every segment carries the canonical bytes for its sequence numbers ("pure" input),
//    every delivered byte is the byte sent at that sequence number and no overlap is reported
//    as different data;
//  - the session never holds more out-of-order bytes than its memcap, and after Flush + Reset
//    every pool buffer is back.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "sensor/decode/packet.h"
#include "sensor/reassembly/reassembly_config.h"
#include "sensor/reassembly/reassembly_memory.h"
#include "sensor/reassembly/stream_context.h"
#include "sensor/reassembly/tcp_session.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace vigil::sensor;

// The canonical byte sent at sequence number seq in direction d.
uint8_t Canonical(int d, uint32_t seq) {
  return static_cast<uint8_t>((seq * 2654435761u) >> 24) ^ static_cast<uint8_t>(d * 0x5a);
}

class CheckingSink : public StreamSink {
 public:
  CheckingSink(const TcpSession& s, bool pure, uint64_t depth) : s_(s), pure_(pure), depth_(depth) {}

  // A new session in the same slot (port reuse): offsets start again from 0.
  void Restart() {
    next_[0] = next_[1] = 0;
    ended_[0] = ended_[1] = false;
  }

  void OnData(StreamDirection dir, std::span<const uint8_t> bytes, uint64_t offset) override {
    const int d = static_cast<int>(dir);
    FUZZ_CHECK(!ended_[d]);
    FUZZ_CHECK(offset == next_[d]);
    FUZZ_CHECK(!bytes.empty());
    FUZZ_CHECK(depth_ == 0 || offset + bytes.size() <= depth_);
    if (pure_) {
      // During the call the stream's next sequence number is that of `offset`.
      const uint32_t seq = s_.stream(dir).next_seq();
      for (size_t i = 0; i < bytes.size(); ++i) {
        FUZZ_CHECK(bytes[i] == Canonical(d, seq + static_cast<uint32_t>(i)));
      }
    }
    next_[d] = offset + bytes.size();
  }
  void OnGap(StreamDirection dir, uint64_t offset, uint64_t length) override {
    const int d = static_cast<int>(dir);
    FUZZ_CHECK(!ended_[d]);
    FUZZ_CHECK(offset == next_[d]);
    FUZZ_CHECK(length > 0);
    FUZZ_CHECK(depth_ == 0 || offset + length <= depth_);
    next_[d] = offset + length;
  }
  void OnEnd(StreamDirection dir, EndReason) override {
    const int d = static_cast<int>(dir);
    FUZZ_CHECK(!ended_[d]);
    ended_[d] = true;
  }
  void OnEvent(StreamDirection, StreamEvent e) override {
    if (pure_) FUZZ_CHECK(e != StreamEvent::kReassemblyOverlapDifferentData);
  }

 private:
  const TcpSession& s_;
  bool pure_;
  uint64_t depth_;
  uint64_t next_[2] = {0, 0};
  bool ended_[2] = {false, false};
};

uint32_t Read32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

constexpr size_t kHeader = 10;  // config (2), client ISN (4), server ISN (4)
constexpr size_t kOp = 7;       // ctl, flags, seq delta (2), ack delta (2), length
constexpr size_t kMaxOps = 4096;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kHeader) return 0;
  const uint8_t c0 = data[0];
  const uint8_t c1 = data[1];
  ReassemblyConfig cfg;
  cfg.overlap_policy = (c0 & 1) ? OverlapPolicy::kLast : OverlapPolicy::kFirst;
  cfg.midstream = (c0 & 2) != 0;
  cfg.chunk_size = (c0 & 4) ? 64 : 2048;
  cfg.stream_depth = (c0 & 8) ? 3000 : (1u << 20);
  cfg.memcap = (c0 & 16) ? cfg.chunk_size * 8ull : (64ull << 20);
  cfg.session_memcap = (c0 & 32) ? cfg.chunk_size * 4ull : (2ull << 20);
  cfg.max_ooo_segments = (c1 & 1) ? 4 : 1024;
  cfg.overlap_check_bytes = (c1 & 2) ? 0 : (c1 & 4) ? 100 : (64u << 10);
  cfg.window_slack = (c1 & 8) ? 0 : (64u << 10);
  FUZZ_CHECK(cfg.Validate().ok());
  const bool handshake = (c0 & 64) != 0;
  const uint32_t isn[2] = {Read32(data + 2), Read32(data + 6)};

  const uint8_t* ops = data + kHeader;
  const size_t nops = std::min((size - kHeader) / kOp, kMaxOps);
  bool pure = true;
  for (size_t i = 0; i < nops; ++i) {
    if (ops[i * kOp] & 0x40) pure = false;
  }

  ReassemblyMemory mem(cfg);
  StreamContext ctx{&cfg, &mem, {}};
  TcpSession session(ctx);
  CheckingSink sink(session, pure, cfg.stream_depth);
  std::vector<uint8_t> payload(255 * 8);

  uint32_t cursor[2] = {isn[0] + 1, isn[1] + 1};  // next new sequence number per direction
  auto send = [&](int d, uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len, bool variant,
                  uint16_t window, bool wscale, uint8_t shift) {
    // Data on a SYN starts after the SYN's own sequence number.
    const uint32_t data_seq = seq + ((flags & tcp_flag::kSyn) ? 1 : 0);
    for (uint32_t i = 0; i < len; ++i) {
      payload[i] = Canonical(d, data_seq + i) ^ (variant ? 0x55 : 0);
    }
    Packet p;
    p.decoded = true;
    p.ip_version = 4;
    p.ip_proto = 6;
    p.l4 = payload.data();
    p.tcp.seq = seq;
    p.tcp.ack = ack;
    p.tcp.flags = flags;
    p.tcp.window = window;
    p.tcp.has_wscale = wscale;
    p.tcp.wscale = shift;
    p.payload = len > 0 ? payload.data() : nullptr;
    p.payload_len = len;
    StreamVerdict v = session.OnPacket(p, d == 0 ? StreamDirection::kToServer
                                                 : StreamDirection::kToClient, sink);
    FUZZ_CHECK(session.ooo_bytes() <= cfg.session_memcap);
    FUZZ_CHECK(mem.used_bytes() <= cfg.memcap);
    if (v.has(stream_verdict::kReuse)) {
      session.Flush(sink);
      session.Reset();
      FUZZ_CHECK(mem.chunks_in_use() == 0);
      sink.Restart();
    }
  };
  if (handshake) {
    send(0, isn[0], 0, tcp_flag::kSyn, 0, false, 65535, true, 7);
    send(1, isn[1], isn[0] + 1, tcp_flag::kSyn | tcp_flag::kAck, 0, false, 65535, true, 7);
    send(0, isn[0] + 1, isn[1] + 1, tcp_flag::kAck, 0, false, 65535, false, 0);
  }
  for (size_t i = 0; i < nops; ++i) {
    const uint8_t* op = ops + i * kOp;
    const int d = op[0] & 1;
    const bool variant = (op[0] & 0x40) != 0;
    uint32_t len = op[6];
    if (op[0] & 0x80) len *= 8;
    const uint8_t flags = op[1];
    const auto seq_delta = static_cast<int16_t>(op[2] | op[3] << 8);
    const auto ack_delta = static_cast<int16_t>(op[4] | op[5] << 8);
    uint32_t seq = cursor[d] + static_cast<uint32_t>(static_cast<int32_t>(seq_delta));
    if (flags & tcp_flag::kSyn) seq = isn[d] + ((op[0] & 0x20) ? seq_delta : 0);
    const uint32_t ack = cursor[1 - d] + static_cast<uint32_t>(static_cast<int32_t>(ack_delta));
    const uint16_t window = static_cast<uint16_t>(0xFFFFu >> ((op[0] >> 1) & 7));
    send(d, seq, ack, flags, len, variant, window, (op[4] & 1) != 0, op[5] & 15);
    const uint32_t end = seq + len + ((flags & (tcp_flag::kSyn | tcp_flag::kFin)) ? 1 : 0);
    if (static_cast<int32_t>(end - cursor[d]) > 0) cursor[d] = end;
  }
  session.Flush(sink);
  FUZZ_CHECK(session.ooo_bytes() == 0);
  session.Reset();
  FUZZ_CHECK(mem.chunks_in_use() == 0);
  return 0;
}
