// Cost of indicator matching with 100,000 indicators (50,000 addresses and networks, 50,000
// domains): ns per lookup of an address (a flow's endpoint) and of a DNS/HTTP/TLS name, through
// the worker's IntelView as the packet path does it (generation check + IndicatorSet probes),
// with mostly misses (real traffic) and with hits; the empty-store cost (intel configured, no
// bundle yet); and the time to rebuild and swap the set when a bundle arrives.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "rules/bundle/indicator.h"
#include "sensor/intel/intel_store.h"

namespace {

using vigil::IpAddress;
using vigil::rules::Indicator;
using vigil::rules::IndicatorType;

constexpr size_t kIndicators = 100'000;

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::string V4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

std::vector<Indicator> MakeIndicators() {
  std::vector<Indicator> out;
  std::string text;
  for (size_t i = 0; i < kIndicators / 2; ++i) {
    const uint32_t a = static_cast<uint32_t>(Mix(i));
    if (i % 10 == 0) {
      const int prefix = i % 30 == 0 ? 16 : (i % 20 == 0 ? 20 : 24);
      const uint32_t net = a & (~0u << (32 - prefix));
      text += fmt::format("cidr {}/{}\n", V4(net), prefix);
    } else if (i % 10 == 1) {
      text += fmt::format("ip 2001:db8:{:x}::{:x}\n", a >> 16, a & 0xffff);
    } else {
      text += "ip " + V4(a) + "\n";
    }
    text += fmt::format("domain bad{}.example{}.com\n", Mix(i + 7) % 1'000'000'000, i % 97);
  }
  auto parsed = vigil::rules::ParseIndicators(text);
  return std::move(parsed.indicators);
}

struct Fixture {
  vigil::sensor::IntelStore store;
  std::vector<IpAddress> miss_ips, hit_ips;
  std::vector<std::string> miss_names, hit_names;
  Fixture() {
    auto inds = MakeIndicators();
    for (size_t i = 0; i < 4096; ++i) {
      miss_ips.push_back(*IpAddress::Parse(V4(static_cast<uint32_t>(Mix(i + 10'000'000)))));
      miss_names.push_back(fmt::format("www.site{}.example.org", Mix(i) % 100'000));
    }
    for (const Indicator& ind : inds) {
      if (ind.type == IndicatorType::kIp && hit_ips.size() < 4096 && !ind.address.is_v6()) {
        hit_ips.push_back(ind.address);
      }
      if (ind.type == IndicatorType::kDomain && hit_names.size() < 4096) {
        hit_names.push_back("cdn.Www." + ind.value);  // a subdomain, mixed case
      }
    }
    store.Apply("bench", 1, "", std::move(inds));
  }
};

Fixture& F() {
  static Fixture f;
  return f;
}

// One lookup per iteration through the worker's view, as the packet path does it.
template <typename Keys, typename Match>
void Lookups(benchmark::State& state, const Keys& keys, Match match) {
  Fixture& f = F();
  vigil::sensor::IntelView view(f.store);
  size_t i = 0, found = 0;
  for (auto _ : state) found += match(view.Get()->set, keys[i++ & 4095]) != nullptr;
  benchmark::DoNotOptimize(found);
  state.counters["hit_rate"] = static_cast<double>(found) / static_cast<double>(state.iterations());
  state.counters["indicators"] = static_cast<double>(f.store.Current()->set.size());
}

void BM_IpLookup(benchmark::State& state, bool hits) {
  Lookups(state, hits ? F().hit_ips : F().miss_ips,
          [](const vigil::rules::IndicatorSet& s, const IpAddress& a) { return s.MatchIp(a); });
}
BENCHMARK_CAPTURE(BM_IpLookup, miss, false);
BENCHMARK_CAPTURE(BM_IpLookup, hit, true);

void BM_DomainLookup(benchmark::State& state, bool hits) {
  Lookups(state, hits ? F().hit_names : F().miss_names,
          [](const vigil::rules::IndicatorSet& s, const std::string& n) { return s.MatchDomain(n); });
}
BENCHMARK_CAPTURE(BM_DomainLookup, miss, false);
BENCHMARK_CAPTURE(BM_DomainLookup, hit, true);

// Intel configured but no bundle received yet: what every flow and event pays.
void BM_EmptyStore(benchmark::State& state) {
  vigil::sensor::IntelStore empty;
  vigil::sensor::IntelView view(empty);
  size_t n = 0;
  for (auto _ : state) n += view.Get() != nullptr;
  benchmark::DoNotOptimize(n);
}
BENCHMARK(BM_EmptyStore);

// A bundle of 100k indicators arrives: build the new set and swap it in (control thread).
void BM_ApplyBundle(benchmark::State& state) {
  const auto inds = MakeIndicators();
  vigil::sensor::IntelStore store;
  for (auto _ : state) store.Apply("bench", 1, "", inds);
  state.counters["indicators"] = static_cast<double>(inds.size());
}
BENCHMARK(BM_ApplyBundle)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
