// Reading suricata-verify test directories and translating their settings to the sensor contract.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/conformance/conformance_test_util.h"
#include "tools/verify/sensor_command.h"
#include "tools/verify/suite.h"
#include "tools/verify/test_case.h"

namespace vigil::verify {
namespace {

using testing::TempDir;

const SuricataVersion kNine{9, 0, 0};

bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

TEST(LoadTestCase, FindsPcapRulesArgsAndChecks) {
  TempDir t("load");
  t.Write("tests/a/input.pcap", "x");
  t.Write("tests/a/test.rules", "alert ip any any -> any any (sid:1;)\n");
  t.Write("tests/a/test.yaml", R"(
requires:
  min-version: 7
  features: [HAVE_LUA]
args:
  - -k none --set stream.midstream=true
checks:
  - filter:
      count: 1
      match: {event_type: alert, alert.signature_id: 1}
)");
  auto tc = LoadTestCase(t.path() / "tests/a", "a", kNine);
  ASSERT_TRUE(tc.ok()) << tc.error().message;
  EXPECT_EQ(tc->pcap.filename(), "input.pcap");
  ASSERT_EQ(tc->rule_files.size(), 1u);
  EXPECT_EQ(tc->args, (std::vector<std::string>{"-k", "none", "--set", "stream.midstream=true"}));
  EXPECT_EQ(tc->checks.filters.size(), 1u);
  EXPECT_FALSE(tc->requirements.Unsatisfied(kNine).has_value());
  EXPECT_EQ(tc->requirements.unchecked().size(), 1u);
}

TEST(LoadTestCase, PcapAndRulesFromElsewhereAndIpsByName) {
  TempDir t("elsewhere");
  t.Write("tests/other/input.pcap", "x");
  t.Write("tests/other/test.rules", "alert ip any any -> any any (sid:1;)\n");
  t.Write("tests/b-ips/test.yaml",
          "pcap: ../other/input.pcap\nrules: ../other/test.rules\nargs: [--simulate-ips]\nchecks: []\n");
  auto tc = LoadTestCase(t.path() / "tests/b-ips", "b-ips", kNine);
  ASSERT_TRUE(tc.ok()) << tc.error().message;
  EXPECT_EQ(tc->pcap, (t.path() / "tests/other/input.pcap").lexically_normal());
  ASSERT_EQ(tc->rule_files.size(), 1u);
  EXPECT_EQ(std::count(tc->args.begin(), tc->args.end(), "--simulate-ips"), 1);  // once, not twice
}

TEST(LoadTestCase, InlineRules) {
  TempDir t("inline");
  t.Write("tests/c/input.pcap", "x");
  t.Write("tests/c/test.yaml", "rules: |\n  alert ip any any -> any any (sid:1;)\nchecks: []\n");
  auto tc = LoadTestCase(t.path() / "tests/c", "c", kNine);
  ASSERT_TRUE(tc.ok()) << tc.error().message;
  EXPECT_TRUE(tc->rule_files.empty());
  EXPECT_NE(tc->inline_rules.find("sid:1"), std::string::npos);
}

TEST(LoadTestCase, ErrorsInsteadOfCrashing) {
  TempDir t("bad");
  t.Write("tests/m/input.pcap", "x");
  t.Write("tests/m/test.yaml", "checks: [\n  - filter: {count: 1\n");
  auto m = LoadTestCase(t.path() / "tests/m", "m", kNine);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("malformed test.yaml"), std::string::npos);

  t.Write("tests/n/test.yaml", "checks: []\n");  // no pcap
  EXPECT_FALSE(LoadTestCase(t.path() / "tests/n", "n", kNine).ok());

  t.Write("tests/o/1.pcap", "x");
  t.Write("tests/o/2.pcap", "x");
  t.Write("tests/o/test.yaml", "checks: []\n");
  EXPECT_FALSE(LoadTestCase(t.path() / "tests/o", "o", kNine).ok());

  t.Write("tests/p/input.pcap", "x");
  t.Write("tests/p/test.yaml", "- just\n- a list\n");
  EXPECT_FALSE(LoadTestCase(t.path() / "tests/p", "p", kNine).ok());

  t.Write("tests/q/input.pcap", "x");
  t.Write("tests/q/test.yaml", "args: -k none\nchecks: []\n");  // args must be a list
  EXPECT_FALSE(LoadTestCase(t.path() / "tests/q", "q", kNine).ok());
}

TEST(TranslateTestConfig, MapsTheContractAndRecordsTheRest) {
  TempDir t("translate");
  const auto dir = t.path() / "tests/x";
  t.Write("tests/x/threshold.config", "suppress gen_id 1, sig_id 1\n");
  t.Write("tests/x/suricata.yaml", R"(%YAML 1.1
---
vars:
  address-groups:
    HOME_NET: "[192.0.2.0/24]"
  port-groups:
    SIP_PORTS: [5060, 5061]
stream:
  inline: auto
  midstream: yes
app-layer:
  protocols: {}
outputs: []
)");
  const auto tr = TranslateTestConfig({"-k", "none", "--simulate-ips", "--set", "stream.inline=false", "--set",
                                       "app-layer.protocols.sip.enabled=yes", "--runmode=single", "-v", "--set",
                                       "reference-config-file=${TEST_DIR}/ref.config"},
                                      dir, t.path() / "out");
  EXPECT_TRUE(tr.checksum_none);
  EXPECT_TRUE(Has(tr.sets, "vars.address-groups.HOME_NET=[192.0.2.0/24]"));
  EXPECT_TRUE(Has(tr.sets, "vars.port-groups.SIP_PORTS=[5060, 5061]"));
  EXPECT_TRUE(Has(tr.sets, "stream.midstream=true"));
  EXPECT_TRUE(Has(tr.sets, "reference-config-file=" + (dir / "ref.config").string()));
  EXPECT_TRUE(Has(tr.sets, "threshold-file=" + (dir / "threshold.config").string()));
  // --simulate-ips first, the test's explicit stream.inline after it (later wins).
  const auto ips = std::find(tr.sets.begin(), tr.sets.end(), "stream.inline=true");
  const auto explicit_inline = std::find(tr.sets.begin(), tr.sets.end(), "stream.inline=false");
  ASSERT_NE(ips, tr.sets.end());
  ASSERT_NE(explicit_inline, tr.sets.end());
  EXPECT_LT(ips, explicit_inline);
  for (const std::string& s : tr.sets) EXPECT_TRUE(IsContractConfigKey(s.substr(0, s.find('=')))) << s;
  EXPECT_TRUE(Has(tr.notes, "ignored arg --set app-layer.protocols.sip.enabled=yes"));
  EXPECT_TRUE(Has(tr.notes, "ignored arg -v"));
  EXPECT_TRUE(Has(tr.notes, "ignored suricata.yaml app-layer"));
  ASSERT_EQ(tr.address_vars.size(), 1u);
  EXPECT_EQ(tr.address_vars[0].first, "HOME_NET");
}

TEST(TranslateTestConfig, ExceptionPoliciesAndIpsMode) {
  TempDir t("policies");
  const auto dir = t.path() / "tests/e";
  t.Write("tests/e/suricata.yaml", R"(%YAML 1.1
---
exception-policy: bypass
stream:
  midstream-policy: pass-flow
  reassembly:
    memcap-policy: drop-flow
flow:
  memcap-policy: drop-packet
app-layer:
  error-policy: ignore
stats:
  exception-policy:
    per-app-proto-errors: true
)");
  const auto tr = TranslateTestConfig({"--simulate-ips", "--set", "defrag.memcap-policy=reject"}, dir, t.path() / "out");
  for (const char* want : {"simulate-ips=true", "stream.inline=true", "exception-policy=bypass",
                           "stream.midstream-policy=pass-flow", "stream.reassembly.memcap-policy=drop-flow",
                           "flow.memcap-policy=drop-packet", "app-layer.error-policy=ignore",
                           "defrag.memcap-policy=reject"}) {
    EXPECT_TRUE(Has(tr.sets, want)) << want;
  }
  for (const std::string& s : tr.sets) EXPECT_TRUE(IsContractConfigKey(s.substr(0, s.find('=')))) << s;
}

TEST(SensorCommand, FollowsTheContract) {
  SensorCommand c;
  c.sensor = "/bin/vigil-sensor";
  c.pcap = "/p/in.pcap";
  c.log_dir = "/o";
  c.rule_files = {"/r/a.rules", "/r/b.rules"};
  c.checksum_none = true;
  c.sets = {"stream.midstream=true"};
  EXPECT_EQ(c.Argv(), (std::vector<std::string>{"/bin/vigil-sensor", "-r", "/p/in.pcap", "-l", "/o", "-S",
                                                "/r/a.rules", "-S", "/r/b.rules", "-k", "none", "--set",
                                                "stream.midstream=true", "--runmode", "single"}));
}

TEST(DiscoverTests, WalksNestedTestsAndFilters) {
  TempDir t("discover");
  t.Write("suite/tests/a/test.yaml", "checks: []\n");
  t.Write("suite/tests/group/b/test.yaml", "checks: []\n");
  t.Write("suite/tests/group/b/sub/test.yaml", "checks: []\n");  // inside a test: not walked
  t.Write("suite/tests/group/c/test.yaml", "checks: []\n");
  auto all = DiscoverTests({(t.path() / "suite").string()}, "");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name, "a");
  EXPECT_EQ((*all)[1].name, "group/b");
  EXPECT_EQ((*all)[2].name, "group/c");
  auto filtered = DiscoverTests({(t.path() / "suite").string()}, "group/c");
  ASSERT_TRUE(filtered.ok());
  ASSERT_EQ(filtered->size(), 1u);
  auto one = DiscoverTests({(t.path() / "suite/tests/group/b").string()}, "");
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].name, "group/b");
  EXPECT_FALSE(DiscoverTests({(t.path() / "nope").string()}, "").ok());
}

}  // namespace
}  // namespace vigil::verify
