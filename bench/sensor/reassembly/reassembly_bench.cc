// Throughput of TCP reassembly: in-order and out-of-order segment streams through TcpSession,
// delivered to a sink that only sums bytes. Reports bytes/s (and Gbit/s) and segments/s.
//
//   build-<x>/bin/reassembly_bench --benchmark_min_time=2s
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "sensor/decode/packet.h"
#include "sensor/reassembly/reassembly_config.h"
#include "sensor/reassembly/reassembly_memory.h"
#include "sensor/reassembly/stream_context.h"
#include "sensor/reassembly/tcp_session.h"

namespace {

using namespace vigil::sensor;

constexpr uint32_t kMss = 1448;

class CountingSink : public StreamSink {
 public:
  void OnData(StreamDirection, std::span<const uint8_t> b, uint64_t) override {
    bytes += b.size();
    last ^= b[b.size() - 1];
  }
  void OnGap(StreamDirection, uint64_t, uint64_t) override { ++gaps; }
  void OnEnd(StreamDirection, EndReason) override {}
  uint64_t bytes = 0;
  uint64_t gaps = 0;
  uint8_t last = 0;
};

struct Bench {
  explicit Bench(const ReassemblyConfig& c, size_t sessions = 1)
      : cfg(c), mem(cfg), ctx{&cfg, &mem, {}}, s(std::make_unique<TcpSession[]>(sessions)),
        n(sessions), payload(kMss * 2) {
    for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 7);
    for (size_t i = 0; i < n; ++i) {
      s[i].Bind(ctx);
      Handshake(i);
    }
  }
  StreamVerdict Send(size_t i, StreamDirection d, uint32_t seq, uint32_t ack, uint8_t flags,
                     uint32_t len) {
    Packet p;
    p.decoded = true;
    p.ip_proto = 6;
    p.l4 = payload.data();
    p.tcp.seq = seq;
    p.tcp.ack = ack;
    p.tcp.flags = flags;
    p.tcp.window = 65535;
    p.tcp.has_wscale = (flags & tcp_flag::kSyn) != 0;
    p.tcp.wscale = 7;
    p.payload = len ? payload.data() : nullptr;
    p.payload_len = len;
    return s[i].OnPacket(p, d, sink);
  }
  void Handshake(size_t i) {
    Send(i, StreamDirection::kToServer, kCisn, 0, tcp_flag::kSyn, 0);
    Send(i, StreamDirection::kToClient, kSisn, kCisn + 1, tcp_flag::kSyn | tcp_flag::kAck, 0);
    Send(i, StreamDirection::kToServer, kCisn + 1, kSisn + 1, tcp_flag::kAck, 0);
  }
  static constexpr uint32_t kCisn = 0xFFF00000u;  // wraps during long runs
  static constexpr uint32_t kSisn = 1000;

  ReassemblyConfig cfg;
  ReassemblyMemory mem;
  StreamContext ctx;
  std::unique_ptr<TcpSession[]> s;
  size_t n;
  std::vector<uint8_t> payload;
  CountingSink sink;
};

ReassemblyConfig BenchConfig(bool overlap_check) {
  ReassemblyConfig c;
  c.stream_depth = 0;  // measure reassembly itself, not the depth cut-off
  c.overlap_check_bytes = overlap_check ? c.overlap_check_bytes : 0;
  return c;
}

void Report(benchmark::State& state, uint64_t segments, uint64_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(segments));
  state.counters["Gbit/s"] =
      benchmark::Counter(static_cast<double>(bytes) * 8 / 1e9, benchmark::Counter::kIsRate);
}

// In-order MSS-sized segments; the receiver ACKs every second segment (delayed ACK).
void BM_InOrder(benchmark::State& state) {
  Bench b(BenchConfig(state.range(0) != 0));
  uint32_t seq = Bench::kCisn + 1;
  uint64_t segs = 0;
  for (auto _ : state) {
    b.Send(0, StreamDirection::kToServer, seq, Bench::kSisn + 1, tcp_flag::kAck, kMss);
    seq += kMss;
    if (++segs % 2 == 0) {
      b.Send(0, StreamDirection::kToClient, Bench::kSisn + 1, seq, tcp_flag::kAck, 0);
    }
  }
  benchmark::DoNotOptimize(b.sink.last);
  if (b.sink.bytes != segs * kMss) state.SkipWithError("bytes lost");
  Report(state, segs, b.sink.bytes);
}
BENCHMARK(BM_InOrder)->Arg(1)->Arg(0)->ArgName("overlap_check");

// Blocks of 8 segments where the first arrives last: 7 are buffered, then all are delivered.
void BM_OutOfOrder(benchmark::State& state) {
  Bench b(BenchConfig(state.range(0) != 0));
  constexpr uint32_t kBlock = 8;
  uint32_t base = Bench::kCisn + 1;
  uint64_t segs = 0;
  for (auto _ : state) {
    for (uint32_t k = 1; k <= kBlock; ++k) {
      uint32_t i = k % kBlock;  // 1..7, then 0
      b.Send(0, StreamDirection::kToServer, base + i * kMss, Bench::kSisn + 1, tcp_flag::kAck,
             kMss);
    }
    base += kBlock * kMss;
    b.Send(0, StreamDirection::kToClient, Bench::kSisn + 1, base, tcp_flag::kAck, 0);
    segs += kBlock;
  }
  benchmark::DoNotOptimize(b.sink.last);
  if (b.sink.bytes != segs * kMss || b.sink.gaps != 0) state.SkipWithError("bytes lost");
  Report(state, segs, b.sink.bytes);
}
BENCHMARK(BM_OutOfOrder)->Arg(1)->Arg(0)->ArgName("overlap_check");

// Every segment sent twice (retransmission storm): the second copy is compared and dropped.
void BM_Retransmitted(benchmark::State& state) {
  Bench b(BenchConfig(true));
  uint32_t seq = Bench::kCisn + 1;
  uint64_t segs = 0;
  for (auto _ : state) {
    b.Send(0, StreamDirection::kToServer, seq, Bench::kSisn + 1, tcp_flag::kAck, kMss);
    b.Send(0, StreamDirection::kToServer, seq, Bench::kSisn + 1, tcp_flag::kAck, kMss);
    seq += kMss;
    segs += 2;
    if (segs % 4 == 0) b.Send(0, StreamDirection::kToClient, Bench::kSisn + 1, seq, tcp_flag::kAck, 0);
  }
  benchmark::DoNotOptimize(b.sink.last);
  Report(state, segs, segs * kMss);
}
BENCHMARK(BM_Retransmitted);

// In-order traffic spread round-robin over many sessions (cache misses as in a busy worker).
void BM_InOrderManySessions(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  Bench b(BenchConfig(true), n);
  std::vector<uint32_t> seq(n, Bench::kCisn + 1);
  uint64_t segs = 0;
  size_t i = 0;
  for (auto _ : state) {
    b.Send(i, StreamDirection::kToServer, seq[i], Bench::kSisn + 1, tcp_flag::kAck, kMss);
    seq[i] += kMss;
    b.Send(i, StreamDirection::kToClient, Bench::kSisn + 1, seq[i], tcp_flag::kAck, 0);
    ++segs;
    if (++i == n) i = 0;
  }
  benchmark::DoNotOptimize(b.sink.last);
  Report(state, segs, b.sink.bytes);
}
BENCHMARK(BM_InOrderManySessions)->Arg(10000);

}  // namespace

BENCHMARK_MAIN();
