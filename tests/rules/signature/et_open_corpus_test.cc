// Loads the real Emerging Threats Open rule sets from ../shared/corpus/rules/ and checks that
// Vigil parses them as Suricata does: every rule either loads or is skipped for an unsupported
// keyword; none fails with a syntax error. The floors below are the fractions measured when this
// test was written (see rules/signature/README.md); a drop means a parser regression.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "rules/signature/classification_config.h"
#include "rules/signature/rule_loader.h"

namespace vigil::rules {
namespace {

struct Measured {
  RuleSet set;
  double seconds = 0;
};

Measured Load(const std::string& path, const ClassificationConfig* classes) {
  RuleVariables vars = RuleVariables::SuricataDefaults();
  RuleLoaderConfig cfg;
  cfg.parser.classifications = classes;
  RuleLoader loader(vars, cfg);
  Measured m;
  auto t0 = std::chrono::steady_clock::now();
  Status st = loader.LoadFile(path, &m.set);
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().ToString());
  return m;
}

// The buffer of each rule's fast pattern: the explicit fast_pattern, else the longest
// non-negated content (a simplified version of the engine's choice). Counts rules per buffer.
std::map<BufferId, size_t> FastPatternBuffers(const RuleSet& set, size_t* with_pattern) {
  std::map<BufferId, size_t> out;
  *with_pattern = 0;
  for (const Rule& r : set.rules) {
    BufferId best_buffer = BufferId::kPacket;
    const ContentMatch* best = r.ExplicitFastPattern(&best_buffer);
    if (best == nullptr) {
      for (const BufferMatches& b : r.buffers) {
        b.ForEachContent([&](const ContentMatch& c) {
          if (!c.negated && (best == nullptr || c.pattern.size() > best->pattern.size())) {
            best = &c;
            best_buffer = b.buffer;
          }
        });
      }
    }
    if (best == nullptr) continue;
    ++*with_pattern;
    ++out[best_buffer];
  }
  return out;
}

void Report(const std::string& name, const Measured& m) {
  std::printf("== %s: %.3f s\n%s", name.c_str(), m.seconds, m.set.summary.ToString().c_str());
  size_t with_pattern = 0;
  auto per_buffer = FastPatternBuffers(m.set, &with_pattern);
  std::printf("  rules with a fast pattern: %zu; by buffer:", with_pattern);
  for (const auto& [buffer, count] : per_buffer) {
    if (count >= 100) std::printf(" %s=%zu", std::string(BufferName(buffer)).c_str(), count);
  }
  std::printf("\n");
  int shown = 0;
  for (const LoadDiagnostic& d : m.set.diagnostics) {
    if (d.kind == DiagnosticKind::kError && shown++ < 20) std::printf("  %s\n", d.ToString().c_str());
  }
}

double Fraction(const LoadSummary& s) {
  return s.rules_seen == 0 ? 0.0 : static_cast<double>(s.loaded) / static_cast<double>(s.rules_seen);
}

const char* kEtOpen = "../shared/corpus/rules/et-open.rules";
const char* kEt2018 = "../shared/corpus/rules/et-open-2018/et-open-2018.rules";
const char* kEt2018Classes = "../shared/corpus/rules/et-open-2018/classification.config";

TEST(EtOpenCorpus, Current) {
  if (!std::filesystem::exists(kEtOpen)) GTEST_SKIP() << "missing " << kEtOpen << " (run from the repo root)";
  Measured m = Load(kEtOpen, nullptr);
  Report("et-open.rules", m);
  const LoadSummary& s = m.set.summary;
  EXPECT_EQ(s.rules_seen, 24827u) << "the file holds 24,827 active rules";
  EXPECT_EQ(s.errors, 0u) << "no rule may fail with a syntax error";
  EXPECT_EQ(s.loaded + s.skipped, s.rules_seen);
  // Measured: 24,822 of 24,827 (99.98%); the 5 skips are asn1 (4) and ftpbounce (1).
  EXPECT_GE(Fraction(s), 0.999);
  // Load time is printed above, not asserted: speed is measured in bench/, not by unit tests.
  EXPECT_EQ(s.duplicate_sids, 0u);
}

TEST(EtOpenCorpus, Legacy2018) {
  if (!std::filesystem::exists(kEt2018)) GTEST_SKIP() << "missing " << kEt2018;
  auto classes = ClassificationConfig::LoadFile(kEt2018Classes);
  ASSERT_TRUE(classes.ok()) << classes.error().ToString();
  Measured m = Load(kEt2018, &*classes);
  Report("et-open-2018.rules", m);
  const LoadSummary& s = m.set.summary;
  EXPECT_EQ(s.rules_seen, 18220u);
  // Two rules of the 2018 set are genuinely malformed and Suricata rejects them too:
  //   sid 2002945  pcre:/Java/\d\.\d/Vi"   (opening quote missing: '"' becomes a flag)
  //   sid 2016867  two threshold keywords in one rule
  // Every other rule must load or be skipped for an unsupported keyword.
  std::vector<uint32_t> error_sids;
  for (const LoadDiagnostic& d : m.set.diagnostics) {
    if (d.kind == DiagnosticKind::kError) error_sids.push_back(d.sid);
  }
  EXPECT_EQ(error_sids, (std::vector<uint32_t>{2002945, 2016867}));
  EXPECT_EQ(s.loaded + s.skipped + s.errors, s.rules_seen);
  // Measured: 18,213 of 18,220 (99.96%); 5 skips (asn1 4, ftpbounce 1) and the 2 errors.
  EXPECT_GE(Fraction(s), 0.999);
}

}  // namespace
}  // namespace vigil::rules

namespace vigil::rules {
namespace {

// suricata-verify's test.rules files exercise every corner of the language, including rules
// that are meant to fail; this prints what Vigil makes of them and guards against crashes and
// wholesale regressions.
TEST(SuricataVerifyCorpus, AllTestRules) {
  const std::filesystem::path root = "../shared/corpus/suricata-verify/tests";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "missing " << root;
  RuleVariables vars = RuleVariables::SuricataDefaults();
  RuleLoader loader(vars);
  RuleSet set;
  size_t files = 0;
  for (const auto& dir : std::filesystem::directory_iterator(root)) {
    std::filesystem::path p = dir.path() / "test.rules";
    if (!std::filesystem::exists(p)) continue;
    ++files;
    EXPECT_TRUE(loader.LoadFile(p.string(), &set).ok()) << p;
  }
  std::printf("== suricata-verify: %zu files\n%s", files, set.summary.ToString().c_str());
  for (const LoadDiagnostic& d : set.diagnostics) {
    if (d.kind == DiagnosticKind::kError) std::printf("  %s\n", d.ToString().c_str());
  }
  EXPECT_GT(files, 100u);
  EXPECT_EQ(set.summary.loaded + set.summary.skipped + (set.summary.errors), set.summary.rules_seen);
}

}  // namespace
}  // namespace vigil::rules
