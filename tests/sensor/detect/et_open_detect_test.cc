// Loads the real ET Open rule sets into the detection engine: how many compile, the grouping,
// the fast pattern lengths, and a few scans (skips when ../shared/corpus is absent).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "rules/signature/classification_config.h"
#include "sensor/detect/load_report.h"
#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

const char* kRuleDir = "../shared/corpus/rules/";

std::unique_ptr<DetectEngine> LoadEt(const std::string& file, double* load_s) {
  std::string path = std::string(kRuleDir) + file;
  if (!std::filesystem::exists(path)) return nullptr;
  auto cls = rules::ClassificationConfig::LoadFile(std::string(kRuleDir) + "et-open-2018/classification.config");
  rules::RuleVariables vars = rules::RuleVariables::SuricataDefaults();  // outlives the loader
  rules::RuleLoader loader(vars);
  rules::RuleSet set;
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(loader.LoadFile(path, &set).ok());
  *load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  size_t loaded = set.rules.size();
  auto e = DetectEngine::Build(std::move(set), {}, cls.ok() ? &*cls : nullptr, nullptr);
  EXPECT_TRUE(e.ok());
  if (!e.ok()) return nullptr;
  std::printf("%s: %zu rules loaded by the parser in %.2f s\n%s", file.c_str(), loaded, *load_s,
              (*e)->stats().ToString().c_str());
  return std::move(*e);
}

void CheckEngine(const DetectEngine& e) {
  const DetectStats& s = e.stats();
  // Floors measured when written; a large drop means a regression in the engine's coverage.
  EXPECT_GT(s.rules_compiled, s.rules_in * 8 / 10);
  EXPECT_GT(s.databases, 4u);
  EXPECT_LT(s.always_check_rules, s.rules_compiled / 5);
  // Short fast patterns are rare because longer contents are preferred.
  size_t short_fp = 0, total = 0;
  for (auto [len, n] : s.fast_pattern_lengths) {
    total += n;
    if (len <= 3) short_fp += n;
  }
  EXPECT_LT(short_fp, total / 10);

  DetectThread t(e);
  ASSERT_TRUE(t.ok());
  auto p = MakePacket(6, "192.168.1.10", 49152, "203.0.113.5", 80, "");
  const char* req =
      "GET /x/bot.exe HTTP/1.1\r\nHost: a.example\r\n"
      "User-Agent: Wget/1.12\r\n\r\n";
  BufferSet b;
  b.Set(BufferId::kPacket, std::string_view(req));
  b.Set(BufferId::kHttpUri, std::string_view("/x/bot.exe"));
  b.Set(BufferId::kHttpMethod, std::string_view("GET"));
  b.Set(BufferId::kHttpUserAgent, std::string_view("Wget/1.12"));
  b.Set(BufferId::kHttpHost, std::string_view("a.example"));
  b.Set(BufferId::kHttpHeader, std::string_view("Host: a.example\r\nUser-Agent: Wget/1.12\r\n"));
  FlowDetectState flow;
  AlertQueue q;
  InspectInput in{.packet = &p->pkt, .buffers = &b, .flow = &flow, .to_server = true,
                  .established = true, .app_proto = "http"};
  t.Inspect(in, &q);
  std::printf("HTTP request: %zu alerts, %llu candidates checked\n", q.alerts().size(),
              static_cast<unsigned long long>(t.local(DetectCounters::kRulesChecked)));
  for (const Alert& a : q.alerts()) std::printf("  %u %.*s\n", a.sid, static_cast<int>(a.msg.size()), a.msg.data());
  EXPECT_GT(t.local(DetectCounters::kRulesChecked), 0u);
  EXPECT_GT(t.local(DetectCounters::kPrefilterHits), 0u);
  EXPECT_EQ(t.local(DetectCounters::kScanErrors), 0u);
  // "ET INFO Wget Request for Executable" is in both sets.
  bool wget = false;
  for (const Alert& a : q.alerts()) wget |= a.sid == 2027076;
  EXPECT_TRUE(wget);
}

TEST(EtOpen, Current) {
  double load_s = 0;
  auto e = LoadEt("et-open.rules", &load_s);
  if (!e) GTEST_SKIP() << "corpus not present";
  CheckEngine(*e);
  LoadReport r = MakeLoadReport(*e);
  std::printf("%s", r.ToString(10).c_str());
  // Issue 4/5: at least 95% of the active rules compile. Measured 24,812 of 24,827 (99.94%)
  // once transforms, base64, xbits, flowint, app-layer-protocol and stream_size were added;
  // the floor sits just below that so a regression shows.
  EXPECT_GE(r.compiled_fraction(), 0.998);
  EXPECT_GT(e->stats().transform_chains, 0u);  // ET's 1,082 dotprefix rules
}

TEST(EtOpen, Set2018) {
  double load_s = 0;
  auto e = LoadEt("et-open-2018/et-open-2018.rules", &load_s);
  if (!e) GTEST_SKIP() << "corpus not present";
  CheckEngine(*e);
  LoadReport r = MakeLoadReport(*e);
  std::printf("%s", r.ToString(10).c_str());
  // Issue 4: at least 99% of the 2018 set. Measured 18,210 of 18,220 (99.95%).
  EXPECT_GE(r.compiled_fraction(), 0.998);
}

}  // namespace
}  // namespace vigil::sensor::testing
