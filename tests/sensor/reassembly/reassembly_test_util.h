// Test helpers for sensor/reassembly: a sink that records and checks what a session delivers,
// and a fixture that builds TCP Packets by hand and feeds them to one TcpSession.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/counters.h"
#include "sensor/decode/packet.h"
#include "sensor/reassembly/reassembly_config.h"
#include "sensor/reassembly/reassembly_counters.h"
#include "sensor/reassembly/reassembly_memory.h"
#include "sensor/reassembly/stream_context.h"
#include "sensor/reassembly/stream_sink.h"
#include "sensor/reassembly/tcp_session.h"

namespace vigil::sensor::testing {

inline constexpr StreamDirection kC2S = StreamDirection::kToServer;
inline constexpr StreamDirection kS2C = StreamDirection::kToClient;

// Records every callback and checks the sink contract (contiguous offsets, nothing after end).
class RecordingSink : public StreamSink {
 public:
  struct Side {
    std::string data;           // delivered bytes only
    std::string with_gaps;      // delivered bytes, '?' for every gap byte
    uint64_t next = 0;          // next expected offset
    std::vector<std::pair<uint64_t, uint64_t>> gaps;  // (offset, length)
    int ends = 0;
    EndReason reason = EndReason::kFlush;
  };

  void OnData(StreamDirection dir, std::span<const uint8_t> bytes, uint64_t offset) override {
    Side& s = side(dir);
    EXPECT_EQ(s.ends, 0) << "data after end";
    EXPECT_EQ(offset, s.next) << "data not contiguous";
    EXPECT_FALSE(bytes.empty());
    s.data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    s.with_gaps.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    s.next = offset + bytes.size();
  }
  void OnGap(StreamDirection dir, uint64_t offset, uint64_t length) override {
    Side& s = side(dir);
    EXPECT_EQ(s.ends, 0) << "gap after end";
    EXPECT_EQ(offset, s.next) << "gap not contiguous";
    EXPECT_GT(length, 0u);
    s.gaps.emplace_back(offset, length);
    s.with_gaps.append(length, '?');
    s.next = offset + length;
  }
  void OnEnd(StreamDirection dir, EndReason reason) override {
    Side& s = side(dir);
    ++s.ends;
    s.reason = reason;
    EXPECT_EQ(s.ends, 1) << "ended twice";
  }
  void OnEvent(StreamDirection, StreamEvent e) override { events.push_back(e); }

  Side& side(StreamDirection d) { return sides[d == kC2S ? 0 : 1]; }
  void Clear() {
    sides[0] = Side();
    sides[1] = Side();
    events.clear();
  }
  bool saw(StreamEvent e) const {
    for (StreamEvent x : events) {
      if (x == e) return true;
    }
    return false;
  }

  Side sides[2];
  std::vector<StreamEvent> events;
};

class SessionFixture : public ::testing::Test {
 protected:
  SessionFixture() {
    auto r = RegisterReassemblyCounters(registry_);
    EXPECT_TRUE(r.ok());
    counters_ = *r;
    counters_.block = registry_.NewBlock("test");
  }

  // (Re)creates pool and session from cfg. Call after changing cfg.
  void Init() {
    ASSERT_TRUE(cfg.Validate().ok());
    session_.reset();
    mem_ = std::make_unique<ReassemblyMemory>(cfg);
    ctx_ = StreamContext{&cfg, mem_.get(), counters_};
    session_ = std::make_unique<TcpSession>(ctx_);
  }
  void SetUp() override { Init(); }

  Packet Make(uint32_t seq, uint32_t ack, uint8_t flags, std::string_view payload,
              uint16_t window) {
    payloads_.emplace_back(payload);
    const std::string& kept = payloads_.back();
    Packet p;
    p.decoded = true;
    p.ip_version = 4;
    p.ip_proto = 6;
    p.l4 = kDummyHeader;
    p.l4_len = 20 + static_cast<uint32_t>(kept.size());
    p.tcp.seq = seq;
    p.tcp.ack = ack;
    p.tcp.flags = flags;
    p.tcp.window = window;
    p.tcp.header_len = 20;
    p.payload = kept.empty() ? nullptr : reinterpret_cast<const uint8_t*>(kept.data());
    p.payload_len = static_cast<uint32_t>(kept.size());
    return p;
  }
  StreamVerdict Send(StreamDirection d, uint32_t seq, uint32_t ack, uint8_t flags,
                     std::string_view payload = {}, uint16_t window = 65535) {
    Packet p = Make(seq, ack, flags, payload, window);
    return session().OnPacket(p, d, sink);
  }
  StreamVerdict C(uint32_t seq, uint32_t ack, uint8_t flags, std::string_view payload = {}) {
    return Send(kC2S, seq, ack, flags, payload);
  }
  StreamVerdict S(uint32_t seq, uint32_t ack, uint8_t flags, std::string_view payload = {}) {
    return Send(kS2C, seq, ack, flags, payload);
  }
  // Three-way handshake; afterwards client data starts at cisn+1, server data at sisn+1.
  void Handshake(uint32_t cisn, uint32_t sisn) {
    using namespace tcp_flag;
    EXPECT_FALSE(C(cisn, 0, kSyn).has(stream_verdict::kInvalid));
    EXPECT_FALSE(S(sisn, cisn + 1, kSyn | kAck).has(stream_verdict::kInvalid));
    EXPECT_FALSE(C(cisn + 1, sisn + 1, kAck).has(stream_verdict::kInvalid));
    EXPECT_EQ(session().state(), TcpState::kEstablished);
  }

  TcpSession& session() { return *session_; }
  uint64_t Count(TcpCounter c) const { return counters_.Get(c); }
  uint64_t Count(StreamEvent e) const { return counters_.Get(e); }
  ReassemblyMemory& mem() { return *mem_; }

  ReassemblyConfig cfg;
  RecordingSink sink;

 private:
  static constexpr uint8_t kDummyHeader[20] = {};
  CounterRegistry registry_;
  ReassemblyCounters counters_;
  std::unique_ptr<ReassemblyMemory> mem_;
  StreamContext ctx_;
  std::unique_ptr<TcpSession> session_;
  std::deque<std::string> payloads_;
};

}  // namespace vigil::sensor::testing
