// Transform figures: TransformChain::Apply per chain on typical buffer sizes, and DNS query
// inspection with the current ET Open set (1,082 dotprefix rules prefiltered on the transformed
// dns.query) — inspections per second with the per-inspection transform cache.
// Run from the repo root: build-x/bin/transform_bench [--rules=FILE] [benchmark flags].
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "rules/signature/rule_loader.h"
#include "sensor/detect/detect_engine.h"
#include "sensor/detect/detect_thread.h"
#include "sensor/detect/load_report.h"
#include "sensor/detect/transform_chain.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;
using rules::TransformKind;

std::string g_rules = "../shared/corpus/rules/et-open.rules";
std::unique_ptr<DetectEngine> g_engine;

std::string Header(size_t n) {
  std::string h;
  while (h.size() < n) h += "Accept-Language: en-US,en;q=0.9\r\nUser-Agent: Mozilla/5.0 (X11)\r\n";
  h.resize(n);
  return h;
}

void BM_Chain(benchmark::State& state, std::vector<rules::Transform> ts, size_t size) {
  auto chain = TransformChain::Compile(rules::BufferId::kHttpHeader, ts);
  if (!chain.ok()) {
    state.SkipWithError(chain.error().message.c_str());
    return;
  }
  PcreScratch pcre(3500, 1500);
  TransformScratch s(&pcre);
  std::vector<uint8_t> out;
  std::string in = Header(size);
  std::span<const uint8_t> span(reinterpret_cast<const uint8_t*>(in.data()), in.size());
  for (auto _ : state) {
    chain->Apply(span, s, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

void BM_DnsQueries(benchmark::State& state) {
  static const char* kNames[] = {
      "www.google.com", "mail.example.org", "update.microsoft.com", "cdn.jsdelivr.net",
      "a.b.c.d.example.net", "api.github.com", "ocsp.digicert.com", "xyz.duckdns.org",
      "files.000webhostapp.com", "login.microsoftonline.com", "time.windows.com", "pastebin.com",
      "raw.githubusercontent.com", "x1y2z3.top", "telemetry.example.co.uk", "ns1.ngrok.io"};
  DetectThread t(*g_engine);
  AlertQueue q;
  BufferSet b;
  FlowDetectState flow;
  Packet p;
  p.decoded = true;
  p.ip_version = 4;
  p.src = IpAddress::V4(0x0a000001);
  p.dst = IpAddress::V4(0x08080808);
  p.ip_proto = 17;
  p.sport = 53000;
  p.dport = 53;
  uint64_t alerts = 0, n = 0;
  for (auto _ : state) {
    for (const char* name : kNames) {
      b.Clear();
      b.Set(rules::BufferId::kDnsQuery, std::string_view(name));
      InspectInput in{.packet = &p, .buffers = &b, .flow = &flow, .to_server = true,
                      .established = true, .app_proto = "dns"};
      alerts += t.Inspect(in, &q);
      ++n;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(n));
  state.counters["alerts"] = static_cast<double>(alerts);
  state.counters["transforms_per_query"] =
      static_cast<double>(t.local(DetectCounters::kTransforms)) / static_cast<double>(n);
  state.counters["checks_per_query"] =
      static_cast<double>(t.local(DetectCounters::kRulesChecked)) / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--rules=", 0) == 0) g_rules = a.substr(8);
    else rest.push_back(argv[i]);
  }
  int rc = static_cast<int>(rest.size());
  benchmark::Initialize(&rc, rest.data());
  using K = TransformKind;
  auto reg = [](const char* name, std::vector<rules::Transform> ts, size_t size) {
    benchmark::RegisterBenchmark(name, [ts, size](benchmark::State& s) { BM_Chain(s, ts, size); });
  };
  reg("dotprefix/32", {{K::kDotPrefix, ""}}, 32);
  reg("to_lowercase/1024", {{K::kToLowercase, ""}}, 1024);
  reg("url_decode+to_lowercase/1024", {{K::kUrlDecode, ""}, {K::kToLowercase, ""}}, 1024);
  reg("compress_whitespace/1024", {{K::kCompressWhitespace, ""}}, 1024);
  reg("header_lowercase/1024", {{K::kHeaderLowercase, ""}}, 1024);
  reg("to_sha256/1024", {{K::kToSha256, ""}}, 1024);
  reg("to_md5/64", {{K::kToMd5, ""}}, 64);
  reg("pcrexform/1024", {{K::kPcreXform, "User-Agent: ([^\\r]+)"}}, 1024);
  reg("from_base64/1024", {{K::kFromBase64, "mode rfc2045"}}, 1024);
  rules::RuleVariables vars = rules::RuleVariables::SuricataDefaults();
  rules::RuleLoader loader(vars);
  rules::RuleSet set;
  if (loader.LoadFile(g_rules, &set).ok()) {
    auto e = DetectEngine::Build(std::move(set), {}, nullptr, nullptr);
    if (e.ok()) {
      g_engine = std::move(*e);
      std::printf("%s", MakeLoadReport(*g_engine).ToString(10).c_str());
      benchmark::RegisterBenchmark("dns_query_inspect_et_open", BM_DnsQueries);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
