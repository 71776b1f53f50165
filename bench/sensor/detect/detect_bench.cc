// Detection engine figures on the ET Open 2018 set:
//   - rule parse time, engine build time cold (empty cache) and cached, VmRSS after load;
//   - Hyperscan prefilter rate (scan of each packet's pkt_data with its groups' databases only)
//     and full detect rate (prefilter + verification + alerts) over the TCP/UDP payloads of the
//     corpus pcaps, read with libpcap and decoded minimally here (Ethernet/VLAN, IPv4, TCP/UDP).
// Payloads are inspected per packet (tcp_stream_inspected = false), the worst case for
// pkt_data rules. Run from the repo root: build-x/bin/detect_bench [--rules=F] [--pcap_dir=D].
#include <benchmark/benchmark.h>
#include <pcap/pcap.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "rules/signature/classification_config.h"
#include "rules/signature/rule_loader.h"
#include "sensor/detect/detect_engine.h"
#include "sensor/detect/detect_thread.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;

struct Sample {
  Packet pkt;
  std::vector<uint8_t> bytes;  // the IP packet's payload copy
  bool to_server = true;
};

std::string g_rules = "../shared/corpus/rules/et-open-2018/et-open-2018.rules";
std::string g_pcaps = "../shared/corpus/pcaps";
std::unique_ptr<DetectEngine> g_engine;
std::vector<std::unique_ptr<Sample>> g_samples;
uint64_t g_bytes = 0;

long VmRssKb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

double Secs(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Minimal decode: Ethernet (+VLAN) / IPv4 / TCP|UDP with payload. Bounds-checked.
void Decode(const uint8_t* d, uint32_t len, int dlt, Timestamp ts) {
  uint32_t off = 0;
  uint16_t et = 0;
  if (dlt == DLT_EN10MB) {
    if (len < 14) return;
    et = static_cast<uint16_t>(d[12] << 8 | d[13]);
    off = 14;
    while ((et == 0x8100 || et == 0x88a8) && len >= off + 4) {
      et = static_cast<uint16_t>(d[off + 2] << 8 | d[off + 3]);
      off += 4;
    }
    if (et != 0x0800) return;
  } else if (dlt != DLT_RAW) {
    return;
  }
  if (len < off + 20 || (d[off] >> 4) != 4) return;
  uint32_t ihl = (d[off] & 15u) * 4;
  uint32_t tot = static_cast<uint32_t>(d[off + 2] << 8 | d[off + 3]);
  if (ihl < 20 || tot < ihl || len < off + tot) return;
  if ((d[off + 6] & 0x3f) || d[off + 7]) return;  // fragments
  uint8_t proto = d[off + 9];
  const uint8_t* l4 = d + off + ihl;
  uint32_t l4len = tot - ihl;
  uint32_t hl = 0;
  if (proto == 6) {
    if (l4len < 20) return;
    hl = (l4[12] >> 4) * 4u;
  } else if (proto == 17) {
    hl = 8;
  } else {
    return;
  }
  if (hl < 8 || l4len < hl || l4len == hl) return;
  auto s = std::make_unique<Sample>();
  s->bytes.assign(l4 + hl, l4 + l4len);
  Packet& p = s->pkt;
  p.decoded = true;
  p.ip_version = 4;
  p.src = IpAddress::V4(d + off + 12);
  p.dst = IpAddress::V4(d + off + 16);
  p.ip_proto = proto;
  p.ttl = d[off + 8];
  p.sport = static_cast<uint16_t>(l4[0] << 8 | l4[1]);
  p.dport = static_cast<uint16_t>(l4[2] << 8 | l4[3]);
  p.l4 = l4;  // not dereferenced by the engine beyond the fields copied below
  p.l4_len = l4len;
  if (proto == 6) p.tcp.flags = l4[13];
  p.ts = ts;
  s->to_server = p.dport < p.sport;  // the lower port is usually the server's
  p.l4 = s->bytes.data();  // the frame buffer goes away; point at memory we own
  p.payload = s->bytes.data();
  p.payload_len = static_cast<uint32_t>(s->bytes.size());
  g_bytes += s->bytes.size();
  g_samples.push_back(std::move(s));
}

void LoadPcaps() {
  if (!std::filesystem::exists(g_pcaps)) return;
  for (const auto& f : std::filesystem::directory_iterator(g_pcaps)) {
    if (f.path().extension() != ".pcap") continue;
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* h = pcap_open_offline(f.path().c_str(), err);
    if (!h) continue;
    int dlt = pcap_datalink(h);
    pcap_pkthdr* hdr;
    const u_char* data;
    while (pcap_next_ex(h, &hdr, &data) == 1)
      Decode(data, hdr->caplen, dlt, Timestamp::FromTimeval(hdr->ts.tv_sec, hdr->ts.tv_usec));
    pcap_close(h);
  }
}

std::unique_ptr<DetectEngine> Build(const std::string& cache_dir, double* parse_s, double* build_s) {
  auto cls = rules::ClassificationConfig::LoadFile(
      std::filesystem::path(g_rules).parent_path().string() + "/classification.config");
  rules::RuleVariables vars = rules::RuleVariables::SuricataDefaults();
  rules::RuleLoader loader(vars);
  rules::RuleSet set;
  auto t0 = std::chrono::steady_clock::now();
  if (!loader.LoadFile(g_rules, &set).ok()) return nullptr;
  *parse_s = Secs(t0);
  DetectConfig cfg;
  cfg.cache_dir = cache_dir;
  t0 = std::chrono::steady_clock::now();
  auto e = DetectEngine::Build(std::move(set), cfg, cls.ok() ? &*cls : nullptr, nullptr);
  *build_s = Secs(t0);
  if (!e.ok()) return nullptr;
  return std::move(*e);
}

void BM_Prefilter(benchmark::State& state) {
  const DetectEngine& e = *g_engine;
  auto scratch = e.scratch_prototype().Clone();
  uint64_t hits = 0;
  for (auto _ : state) {
    for (const auto& s : g_samples) {
      const Packet& p = s->pkt;
      const auto& gs = e.groups_for(p.ip_proto == 6 ? kTransportTcp : kTransportUdp, s->to_server);
      uint32_t gids[3] = {gs.dport.empty() ? 0u : gs.dport[p.dport],
                          gs.sport.empty() ? 0u : gs.sport[p.sport], gs.any};
      for (uint32_t g : gids) {
        if (!g) continue;
        for (const auto& db : e.groups()[g - 1].dbs) {
          if (db.buffer != rules::BufferId::kPacket) continue;
          db.db.Scan(p.payload_span(), *scratch, [&](unsigned, unsigned long long) { ++hits; });
        }
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
  state.counters["hits_per_pass"] = static_cast<double>(hits) / static_cast<double>(state.iterations());
  state.counters["Gbit/s"] = benchmark::Counter(static_cast<double>(state.iterations() * g_bytes * 8) / 1e9,
                                                benchmark::Counter::kIsRate);
}

void BM_Detect(benchmark::State& state) {
  DetectThread t(*g_engine);
  AlertQueue q;
  BufferSet b;
  FlowDetectState flow;
  uint64_t alerts = 0;
  for (auto _ : state) {
    for (const auto& s : g_samples) {
      b.Clear();
      b.Set(rules::BufferId::kPacket, s->pkt.payload_span());
      InspectInput in{.packet = &s->pkt, .buffers = &b, .flow = &flow, .to_server = s->to_server,
                      .established = true};
      flow.pass = false;
      alerts += t.Inspect(in, &q);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
  double it = static_cast<double>(state.iterations());
  state.counters["alerts_per_pass"] = static_cast<double>(alerts) / it;
  state.counters["checks_per_pkt"] = static_cast<double>(t.local(DetectCounters::kRulesChecked)) /
                                     (it * static_cast<double>(g_samples.size()));
  state.counters["Gbit/s"] = benchmark::Counter(static_cast<double>(state.iterations() * g_bytes * 8) / 1e9,
                                                benchmark::Counter::kIsRate);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--rules=", 0) == 0) g_rules = a.substr(8);
    else if (a.rfind("--pcap_dir=", 0) == 0) g_pcaps = a.substr(11);
    else rest.push_back(argv[i]);
  }
  int rc = static_cast<int>(rest.size());
  benchmark::Initialize(&rc, rest.data());
  long rss0 = VmRssKb();
  std::string cache = std::filesystem::temp_directory_path().string() + "/vigil_detect_bench_cache";
  std::filesystem::remove_all(cache);
  double parse_cold = 0, cold = 0, parse_warm = 0, warm = 0;
  {
    auto e = Build(cache, &parse_cold, &cold);
    if (!e) { std::fprintf(stderr, "cannot load %s\n", g_rules.c_str()); return 1; }
    std::printf("%s", e->stats().ToString().c_str());
  }
  g_engine = Build(cache, &parse_warm, &warm);
  if (!g_engine) return 1;
  long rss1 = VmRssKb();
  std::filesystem::remove_all(cache);
  std::printf("rules %s\nparse %.2f s; build cold %.2f s (parse+build %.2f s); build cached %.2f s "
              "(parse+build %.2f s, %zu cache hits)\nVmRSS before %ld KiB, after load %ld KiB "
              "(+%ld KiB)\n",
              g_rules.c_str(), parse_cold, cold, parse_cold + cold, warm, parse_warm + warm,
              g_engine->stats().cache_hits, rss0, rss1, rss1 - rss0);
  LoadPcaps();
  std::printf("payload samples: %zu packets, %llu bytes from %s\n", g_samples.size(),
              static_cast<unsigned long long>(g_bytes), g_pcaps.c_str());
  if (g_samples.empty()) return 0;
  benchmark::RegisterBenchmark("prefilter_pkt_data", BM_Prefilter)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("detect_full", BM_Detect)->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
