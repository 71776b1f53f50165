// Events per second through CorrelationEngine::Process with the default rules and with 50
// rules, on a synthetic EVE mix (60 % flow, 15 % dns, 10 % http, 15 % alert) from 5,000
// sources to 2,000 destinations. Events are prebuilt FlatEvents, so this measures matching,
// windows and alerts, not JSON parsing. Run from the repo root (it reads the default rules).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "correlator/engine/correlation_engine.h"
#include "correlator/engine/flat_event.h"

namespace vigil {
namespace {

constexpr int64_t kSec = 1'000'000'000;

std::vector<FlatEvent> MakeEvents(size_t n) {
  std::mt19937_64 rng(42);
  std::vector<FlatEvent> ev;
  ev.reserve(n);
  int64_t t = 1'700'000'000LL * kSec;
  static const char* kSigs[] = {"ET SCAN Nmap", "ET EXPLOIT Apache", "ET SCAN SSH Brute Force attempt",
                                "ET POLICY curl", "LOCAL accepted password"};
  for (size_t i = 0; i < n; ++i) {
    t += 10'000 + static_cast<int64_t>(rng() % 20'000);  // ~66k events per second of event time
    FlatEvent e;
    const std::string src = "10." + std::to_string(rng() % 20) + "." + std::to_string(rng() % 250) + ".1";
    const std::string dst = "192.0." + std::to_string(rng() % 8) + "." + std::to_string(rng() % 250);
    e.SetTime(Timestamp{t}).SetId(i + 1).Set("src_ip", src).Set("dest_ip", dst)
        .Set("src_port", static_cast<double>(1024 + rng() % 60000)).Set("sensor_id", "sensor-" + std::to_string(rng() % 4));
    const unsigned kind = rng() % 100;
    if (kind < 60) {
      e.SetType("flow").Set("proto", rng() % 5 ? "TCP" : "UDP").Set("dest_port", static_cast<double>(rng() % 1024))
          .Set("flow.bytes_toserver", static_cast<double>(rng() % 100000)).Set("flow.pkts_toserver", static_cast<double>(rng() % 100))
          .Set("flow.state", "closed").Set("app_proto", "tls");
    } else if (kind < 75) {
      std::string name = (rng() % 50 ? "www" : "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0" + std::to_string(rng())) +
                         std::string(".example") + std::to_string(rng() % 100) + ".com";
      e.SetType("dns").Set("proto", "UDP").Set("dest_port", 53.0).Set("dns.type", "query").Set("dns.rrname", name)
          .Set("dns.rrtype", "A");
    } else if (kind < 85) {
      e.SetType("http").Set("proto", "TCP").Set("dest_port", 80.0).Set("http.hostname", "site" + std::to_string(rng() % 50))
          .Set("http.url", rng() % 20 ? "/index.html" : "/wp-admin/install.php?x=../../etc/passwd")
          .Set("http.http_method", rng() % 4 ? "GET" : "POST").Set("http.status", static_cast<double>(rng() % 10 ? 200 : 500));
    } else {
      e.SetType("alert").Set("proto", "TCP").Set("dest_port", 80.0).Set("app_proto", rng() % 2 ? "http" : "tls")
          .Set("alert.signature_id", static_cast<double>(2000000 + rng() % 50)).Set("alert.signature", kSigs[rng() % 5])
          .Set("alert.severity", static_cast<double>(1 + rng() % 3)).Set("alert.category", "Web Application Attack");
    }
    ev.push_back(std::move(e));
  }
  return ev;
}

void AddDefaults(RuleSetBuilder& b) {
  for (const auto& entry : std::filesystem::directory_iterator("rules/correlation/default")) {
    if (entry.path().extension() == ".yml") b.AddFile(entry.path().string());
  }
}

// 41 more correlation rules (each with its own detection rule) spread over the event types,
// making 50 with the 9 default correlations. Like real local rules, each detection is
// selective (a port, a domain, a URL pattern, a signature id: ~0.1-5 % of its event type);
// the default rules are the broad ones (every flow, every alert).
std::string ExtraRules(int n) {
  static const char* kTypes[] = {"flow", "dns", "http", "alert"};
  std::string y;
  for (int i = 0; i < n; ++i) {
    const std::string type = kTypes[i % 4];
    std::string sel, corr;
    switch (i % 4) {
      case 0:
        sel = "{dest_port: [" + std::to_string(i * 7 % 1024) + ", " + std::to_string(i * 13 % 1024) + "], proto: TCP}";
        corr = "{type: value_count, rules: [d" + std::to_string(i) + "], group-by: [src_ip], timespan: 1m, condition: {field: dest_ip, gte: 500}}";
        break;
      case 1:
        sel = "{dns.rrname|endswith: '.example" + std::to_string(i) + ".com'}";
        corr = "{type: event_count, rules: [d" + std::to_string(i) + "], group-by: [src_ip], timespan: 5m, condition: {gte: 1000}}";
        break;
      case 2:
        sel = "{http.url|contains: ['../', 'passwd', 'wp-admin" + std::to_string(i) + "']}";
        corr = "{type: value_count, rules: [d" + std::to_string(i) + "], group-by: [src_ip], timespan: 10m, condition: {field: http.hostname, gte: 100}}";
        break;
      default:
        sel = "{alert.signature_id: " + std::to_string(2000000 + i) + "}";
        corr = "{type: event_count, rules: [d" + std::to_string(i) + "], group-by: [src_ip, dest_ip], timespan: 1h, condition: {gte: 500}}";
        break;
    }
    y += "title: d" + std::to_string(i) + "\nname: d" + std::to_string(i) + "\nlogsource: {category: " + type +
         "}\ndetection: {sel: " + sel + ", condition: sel}\n---\ntitle: c" + std::to_string(i) + "\ncorrelation: " + corr +
         "\n---\n";
  }
  return y;
}

std::shared_ptr<const RuleSet> Build(int extra) {
  RuleSetBuilder b;
  AddDefaults(b);
  if (extra > 0) b.AddText("extra.yml", ExtraRules(extra));
  auto rs = b.Build();
  if (!rs.ok()) {
    fprintf(stderr, "%s\n", rs.error().message.c_str());
    std::abort();
  }
  return std::make_shared<const RuleSet>(std::move(*rs));
}

void RunBench(benchmark::State& state, int extra) {
  auto rules = Build(extra);
  static const std::vector<FlatEvent> events = MakeEvents(1'000'000);
  std::vector<CorrelationAlert> out;
  uint64_t alerts = 0;
  size_t processed = 0;
  for (auto _ : state) {
    CorrelationEngine engine(rules, EngineConfig{});
    for (const auto& e : events) engine.Process(e, out);
    engine.Flush(out);
    alerts += out.size();
    out.clear();
    processed += events.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(processed));
  state.counters["correlation_rules"] = static_cast<double>(rules->correlations().size());
  state.counters["alerts_per_run"] = static_cast<double>(alerts) / static_cast<double>(state.iterations());
}

void BM_DefaultRules(benchmark::State& state) { RunBench(state, 0); }
void BM_FiftyRules(benchmark::State& state) { RunBench(state, 41); }
BENCHMARK(BM_DefaultRules)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FiftyRules)->Unit(benchmark::kMillisecond);

// Checkpoint size and time after 1M events under 50 rules.
void BM_Checkpoint(benchmark::State& state) {
  auto rules = Build(41);
  static const std::vector<FlatEvent> events = MakeEvents(1'000'000);
  CorrelationEngine engine(rules, EngineConfig{});
  std::vector<CorrelationAlert> out;
  for (const auto& e : events) engine.Process(e, out);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string cp = engine.Checkpoint();
    bytes = cp.size();
    benchmark::DoNotOptimize(cp.data());
  }
  state.counters["checkpoint_bytes"] = static_cast<double>(bytes);
  state.counters["groups"] = static_cast<double>(engine.group_count());
}
BENCHMARK(BM_Checkpoint)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vigil

BENCHMARK_MAIN();
