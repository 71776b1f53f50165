// Dataset figures: loading a 1M-entry string set from its csv text (base64 lines, as Suricata's
// datasets-1m test does), and lookups in it (hits and misses, 1 and 2 threads sharing the set:
// reads take the set's shared lock). Also ip-set lookups with 4-byte ip.src keys.
// Run from the repo root: build-x/bin/dataset_bench [benchmark flags].
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "rules/signature/dataset_option.h"
#include "sensor/detect/dataset_loader.h"
#include "sensor/detect/dataset_match.h"
#include "sensor/detect/dataset_store.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;

constexpr size_t kEntries = 1'000'000;

std::string Key(size_t i) { return "Mozilla/5.0 agent-" + std::to_string(i * 7919); }

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

const std::string& CsvText() {
  static const std::string text = [] {
    std::string t;
    for (size_t i = 0; i < kEntries; ++i) t += Base64(Key(i)) + "\n";
    return t;
  }();
  return text;
}

rules::DatasetMatch Spec(const char* v) { return *rules::ParseDataset(v); }

Dataset& BigSet() {
  static std::unique_ptr<Dataset> set = [] {
    auto s = std::make_unique<Dataset>("ua", rules::DatasetType::kString, 1ull << 30, kEntries);
    if (!LoadDatasetText(s.get(), Spec("isset,ua,type string"), CsvText(), "bench").ok()) std::abort();
    return s;
  }();
  return *set;
}

void BM_LoadCsv1M(benchmark::State& state) {
  const std::string& text = CsvText();
  for (auto _ : state) {
    Dataset s("ua", rules::DatasetType::kString, 1ull << 30, kEntries);
    if (!LoadDatasetText(&s, Spec("isset,ua,type string"), text, "bench").ok()) state.SkipWithError("load");
    benchmark::DoNotOptimize(s.size());
  }
  state.SetItemsProcessed(state.iterations() * kEntries);
}
BENCHMARK(BM_LoadCsv1M)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_IssetString(benchmark::State& state) {
  Dataset& set = BigSet();
  const bool hit = state.range(0) != 0;
  std::vector<std::string> keys;
  for (size_t i = 0; i < 4096; ++i) keys.push_back(hit ? Key(i * 211 % kEntries) : Key(i) + "-miss");
  rules::DatasetMatch m = Spec("isset,ua,type string");
  size_t i = 0, matched = 0;
  for (auto _ : state) {
    const std::string& k = keys[i++ & 4095];
    matched += MatchDataset(m, &set, {reinterpret_cast<const uint8_t*>(k.data()), k.size()}, nullptr);
  }
  benchmark::DoNotOptimize(matched);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IssetString)->Arg(1)->Arg(0)->Threads(1)->Threads(2)->UseRealTime();

void BM_IssetIp(benchmark::State& state) {
  static std::unique_ptr<Dataset> set = [] {
    auto s = std::make_unique<Dataset>("ip", rules::DatasetType::kIp, 1ull << 30, 65536);
    for (uint32_t i = 0; i < 65536; ++i) {
      const std::string a = "10." + std::to_string(i >> 8) + "." + std::to_string(i & 255) + ".1";
      s->Insert(*ParseDatasetValue(rules::DatasetType::kIp, a, false), "");
    }
    return s;
  }();
  rules::DatasetMatch m = Spec("isset,ip,type ip");
  uint32_t i = 0;
  size_t matched = 0;
  for (auto _ : state) {
    const uint8_t addr[4] = {10, uint8_t(i >> 8), uint8_t(i), uint8_t(1 + (i & 1))};  // half hit
    matched += MatchDataset(m, set.get(), addr, nullptr);
    ++i;
  }
  benchmark::DoNotOptimize(matched);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IssetIp);

}  // namespace

BENCHMARK_MAIN();
