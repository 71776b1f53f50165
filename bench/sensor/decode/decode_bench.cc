// Decoder throughput (packets/s and bytes/s on one core):
//   BM_DecodeCorpus            every frame of ../shared/corpus/pcaps/*.pcap, loaded into memory
//   BM_DecodeSyntheticTcp/N    Ethernet + IPv4 + TCP frames of N bytes (64 and 1500), checksums
//                              verified (arg 2 = 1) or not (-k none, arg 2 = 0)
// Run from the repo root: ./build/bin/decode_bench
#include <benchmark/benchmark.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/counters.h"
#include "sensor/decode/decoder.h"
#include "tests/sensor/decode/frame_builder.h"

namespace vigil::sensor {
namespace {

namespace fs = std::filesystem;

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};

// Frames stored back to back in one buffer, as a capture ring holds them.
struct FrameSet {
  std::vector<uint8_t> bytes;
  struct Frame {
    size_t offset;
    uint32_t len;
    int datalink;
  };
  std::vector<Frame> frames;
  uint64_t total_bytes = 0;

  void Add(const uint8_t* data, uint32_t len, int dlt) {
    frames.push_back({bytes.size(), len, dlt});
    bytes.insert(bytes.end(), data, data + len);
    total_bytes += len;
  }
};

FrameSet LoadCorpus() {
  FrameSet set;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("../shared/corpus/pcaps", ec)) {
    if (e.path().extension() == ".pcap") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    char err[PCAP_ERRBUF_SIZE] = {};
    std::unique_ptr<pcap_t, PcapCloser> pcap(pcap_open_offline(f.c_str(), err));
    if (!pcap) continue;
    const int dlt = pcap_datalink(pcap.get());
    pcap_pkthdr* hdr;
    const u_char* data;
    while (pcap_next_ex(pcap.get(), &hdr, &data) == 1) set.Add(data, hdr->caplen, dlt);
  }
  return set;
}

FrameSet SyntheticTcp(size_t frame_size) {
  FrameSet set;
  const size_t headers = 14 + 20 + 20;
  const size_t payload = frame_size > headers ? frame_size - headers : 0;
  for (uint16_t i = 0; i < 256; ++i) {
    test::Bytes f = test::Eth(
        0x0800, test::Ipv4("10.0.0.1", "10.0.0.2", 6,
                           test::Tcp(static_cast<uint16_t>(10000 + i), 443, tcp_flag::kAck, {},
                                     test::Bytes(payload, static_cast<uint8_t>(i)))));
    f.resize(std::max(f.size(), frame_size), 0);  // 64: Ethernet padding after a 50-byte packet
    set.Add(f.data(), static_cast<uint32_t>(f.size()), link_type::kEthernet);
  }
  return set;
}

void RunDecode(benchmark::State& state, const FrameSet& set, const DecoderConfig& cfg) {
  if (set.frames.empty()) {
    state.SkipWithError("no frames (corpus missing? run from the repo root)");
    return;
  }
  CounterRegistry reg;
  DecoderCounters ids = *RegisterDecoderCounters(reg);
  Decoder dec(cfg, ids, reg.NewBlock("bench"));
  Packet p;
  uint64_t decoded = 0;
  for (auto _ : state) {
    for (const auto& fr : set.frames) {
      p.data = set.bytes.data() + fr.offset;
      p.caplen = fr.len;
      p.wirelen = fr.len;
      p.datalink = fr.datalink;
      decoded += dec.Decode(p) ? 1 : 0;
      benchmark::DoNotOptimize(p.l4);
    }
  }
  benchmark::DoNotOptimize(decoded);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * set.frames.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * set.total_bytes));
  state.counters["ns/pkt"] = benchmark::Counter(
      static_cast<double>(state.iterations() * set.frames.size()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_DecodeCorpus(benchmark::State& state) {
  static const FrameSet set = LoadCorpus();
  DecoderConfig cfg;
  cfg.checksums = state.range(0) ? ChecksumMode::kAll : ChecksumMode::kNone;
  RunDecode(state, set, cfg);
}
BENCHMARK(BM_DecodeCorpus)->Arg(1)->Arg(0);

void BM_DecodeSyntheticTcp(benchmark::State& state) {
  const FrameSet set = SyntheticTcp(static_cast<size_t>(state.range(0)));
  DecoderConfig cfg;
  cfg.checksums = state.range(1) ? ChecksumMode::kAll : ChecksumMode::kNone;
  RunDecode(state, set, cfg);
}
BENCHMARK(BM_DecodeSyntheticTcp)->Args({64, 1})->Args({64, 0})->Args({1500, 1})->Args({1500, 0});

}  // namespace
}  // namespace vigil::sensor

BENCHMARK_MAIN();
