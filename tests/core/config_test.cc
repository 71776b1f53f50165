#include "core/config.h"
#include "core/time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace vigil {
namespace {

ConfigSchema TestSchema() {
  ConfigSchema s;
  s.Size("flow.memcap", "128mb", "memory for flows", 1024)
      .Int("flow.hash-size", 65536, 1024, 1 << 24, "hash buckets")
      .Duration("flow.timeouts.tcp.established", "600s", "idle TCP flow timeout")
      .Duration("flow.timeouts.udp", "30s", "idle UDP flow timeout", 1'000'000'000)
      .Bool("stream.checksum-validation", true, "drop segments with bad checksums")
      .Choice("runmode", "workers", {"workers", "single"}, "threading model")
      .String("sensor.id", "", "this sensor's name")
      .List("capture.interfaces", {"eth0"}, "interfaces to capture on")
      .Map("vars.address-groups", "named address lists");
  return s;
}

Result<Config> Load(const std::string& yaml, std::vector<std::string> sets = {}) {
  return Config::LoadString(yaml, "sensor.yaml", TestSchema(), sets);
}

std::string ErrorOf(const std::string& yaml, std::vector<std::string> sets = {}) {
  auto r = Load(yaml, std::move(sets));
  EXPECT_FALSE(r.ok()) << yaml;
  return r.ok() ? "" : r.error().message;
}

TEST(Config, DefaultsApplyToAnEmptyFile) {
  auto cfg = Load("");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(*cfg->GetSize("flow.memcap"), 128 << 20);
  EXPECT_EQ(*cfg->GetInt("flow.hash-size"), 65536);
  EXPECT_EQ(*cfg->GetDurationNanos("flow.timeouts.tcp.established"), 600 * kNanosPerSecond);
  EXPECT_TRUE(*cfg->GetBool("stream.checksum-validation"));
  EXPECT_EQ(*cfg->GetString("runmode"), "workers");
  EXPECT_EQ(*cfg->GetList("capture.interfaces"), ConfigList{"eth0"});
  EXPECT_TRUE(cfg->GetMap("vars.address-groups")->empty());
  EXPECT_FALSE(cfg->IsSet("flow.memcap"));
}

TEST(Config, ReadsEveryType) {
  auto cfg = Load(R"(%YAML 1.1
---
flow:
  memcap: 1 GiB
  hash-size: 4096
  timeouts:
    tcp:
      established: 5m
    udp: 100
stream:
  checksum-validation: no
runmode: single
sensor:
  id: "moh-dc1-s01"
capture:
  interfaces: [eth1, eth2]
vars:
  address-groups:
    HOME_NET: "[192.168.0.0/16,10.0.0.0/8]"
    EXTERNAL_NET: "!$HOME_NET"
)");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(*cfg->GetSize("flow.memcap"), int64_t{1} << 30);
  EXPECT_EQ(*cfg->GetInt("flow.hash-size"), 4096);
  EXPECT_EQ(*cfg->GetDurationNanos("flow.timeouts.tcp.established"), 300 * kNanosPerSecond);
  EXPECT_EQ(*cfg->GetDurationNanos("flow.timeouts.udp"), 100 * kNanosPerSecond);
  EXPECT_FALSE(*cfg->GetBool("stream.checksum-validation"));
  EXPECT_EQ(*cfg->GetString("runmode"), "single");
  EXPECT_EQ(*cfg->GetString("sensor.id"), "moh-dc1-s01");
  EXPECT_EQ(*cfg->GetList("capture.interfaces"), (ConfigList{"eth1", "eth2"}));
  ConfigMap groups = *cfg->GetMap("vars.address-groups");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].first, "HOME_NET");
  EXPECT_EQ(groups[1].second, "!$HOME_NET");
  EXPECT_TRUE(cfg->IsSet("flow.memcap"));
}

TEST(Config, SizeAndDurationSyntax) {
  EXPECT_EQ(*ParseConfigSize("64mb"), 64 << 20);
  EXPECT_EQ(*ParseConfigSize("1 MiB"), 1 << 20);
  EXPECT_EQ(*ParseConfigSize("1gb"), 1 << 30);
  EXPECT_EQ(*ParseConfigSize("1.5kb"), 1536);
  EXPECT_EQ(*ParseConfigSize("4096"), 4096);
  EXPECT_EQ(*ParseConfigSize("2TB"), int64_t{2} << 40);
  EXPECT_FALSE(ParseConfigSize("lots").ok());
  EXPECT_FALSE(ParseConfigSize("-5mb").ok());
  EXPECT_FALSE(ParseConfigSize("10 parsecs").ok());
  EXPECT_FALSE(ParseConfigSize("99999999999999tb").ok());  // overflow
  EXPECT_EQ(*ParseConfigDuration("60s"), 60 * kNanosPerSecond);
  EXPECT_EQ(*ParseConfigDuration("5m"), 300 * kNanosPerSecond);
  EXPECT_EQ(*ParseConfigDuration("100ms"), 100 * kNanosPerMilli);
  EXPECT_EQ(*ParseConfigDuration("2h"), 7200 * kNanosPerSecond);
  EXPECT_EQ(*ParseConfigDuration("30"), 30 * kNanosPerSecond);
  EXPECT_EQ(*ParseConfigDuration("0.5s"), 500 * kNanosPerMilli);
  EXPECT_FALSE(ParseConfigDuration("soon").ok());
  EXPECT_FALSE(ParseConfigDuration("5 fortnights").ok());
  EXPECT_TRUE(*ParseConfigBool("Yes"));
  EXPECT_FALSE(*ParseConfigBool("off"));
  EXPECT_FALSE(ParseConfigBool("maybe").ok());
}

TEST(Config, UnknownKeyNamesLineAndSuggests) {
  std::string e = ErrorOf("flow:\n  hash-size: 100000\n  memcapp: 64mb\n");
  EXPECT_EQ(e, "sensor.yaml:3:3: flow.memcapp: unknown key; did you mean 'flow.memcap'?");
  e = ErrorOf("flw:\n  memcap: 64mb\n");
  EXPECT_EQ(e, "sensor.yaml:1:1: flw: unknown key; did you mean 'flow'?");
  e = ErrorOf("completely-different: 1\n");
  EXPECT_EQ(e, "sensor.yaml:1:1: completely-different: unknown key");
}

TEST(Config, BadSizeNamesFileLineColumnAndKey) {
  std::string e = ErrorOf("# comment\nflow:\n  hash-size: 4096\n  memcap: lots\n");
  EXPECT_EQ(e, "sensor.yaml:4:11: flow.memcap: expected a size like '64mb', got 'lots'");
}

TEST(Config, WrongTypesAndRanges) {
  EXPECT_EQ(ErrorOf("flow:\n  hash-size: many\n"),
            "sensor.yaml:2:14: flow.hash-size: expected an integer, got 'many'");
  EXPECT_EQ(ErrorOf("flow:\n  hash-size: 10\n"),
            "sensor.yaml:2:14: flow.hash-size: expected an integer between 1024 and 16777216, "
            "got '10'");
  EXPECT_EQ(ErrorOf("flow:\n  memcap: 10\n"),
            "sensor.yaml:2:11: flow.memcap: expected a size of at least 1kb, got '10'");
  EXPECT_EQ(ErrorOf("flow:\n  timeouts:\n    udp: 10ms\n"),
            "sensor.yaml:3:10: flow.timeouts.udp: expected a duration of at least 1s, got '10ms'");
  EXPECT_EQ(ErrorOf("flow:\n  timeouts:\n    udp: whenever\n"),
            "sensor.yaml:3:10: flow.timeouts.udp: expected a duration like '60s', got 'whenever'");
  EXPECT_EQ(ErrorOf("stream:\n  checksum-validation: perhaps\n"),
            "sensor.yaml:2:24: stream.checksum-validation: expected a boolean (yes/no, "
            "true/false, on/off), got 'perhaps'");
  EXPECT_EQ(ErrorOf("runmode: autofp\n"),
            "sensor.yaml:1:10: runmode: expected one of 'workers', 'single', got 'autofp'");
  EXPECT_EQ(ErrorOf("flow:\n  memcap:\n    a: 1\n"),
            "sensor.yaml:3:5: flow.memcap: expected a size like '64mb', got a mapping");
  EXPECT_EQ(ErrorOf("flow: 5\n"), "sensor.yaml:1:7: flow: expected a mapping of settings, got '5'");
  EXPECT_EQ(ErrorOf("capture:\n  interfaces: [eth0, [x]]\n"),
            "sensor.yaml:2:22: capture.interfaces: expected a list of plain values, got a list");
  EXPECT_EQ(ErrorOf("- a\n- b\n"),
            "sensor.yaml:1:1: expected a mapping of settings at the top level, got a list");
}

TEST(Config, DuplicateKeyIsAnError) {
  std::string e = ErrorOf("runmode: single\nrunmode: workers\n");
  EXPECT_NE(e.find("runmode: set twice"), std::string::npos) << e;
}

TEST(Config, YamlSyntaxErrorHasLine) {
  std::string e = ErrorOf("flow:\n  memcap: 64mb\n   hash-size: [1, 2\n");
  EXPECT_EQ(e.rfind("sensor.yaml:3:", 0), 0u) << e;
  EXPECT_NE(e.find("YAML syntax error"), std::string::npos) << e;
  e = ErrorOf("a: \"unterminated\n");
  EXPECT_EQ(e.rfind("sensor.yaml:", 0), 0u) << e;
}

TEST(Config, SetOverridesFileAndDefaults) {
  auto cfg = Load("flow:\n  memcap: 64mb\n",
                  {"flow.memcap=256mb", "runmode=single", "capture.interfaces=eth3, eth4",
                   "vars.address-groups.HOME_NET=[10.0.0.0/8]", "flow.timeouts.udp=45s"});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(*cfg->GetSize("flow.memcap"), 256 << 20);
  EXPECT_EQ(*cfg->GetString("runmode"), "single");
  EXPECT_EQ(*cfg->GetList("capture.interfaces"), (ConfigList{"eth3", "eth4"}));
  EXPECT_EQ(*cfg->GetDurationNanos("flow.timeouts.udp"), 45 * kNanosPerSecond);
  ConfigMap m = *cfg->GetMap("vars.address-groups");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0], (std::pair<std::string, std::string>{"HOME_NET", "[10.0.0.0/8]"}));
  auto list = Load("", {"capture.interfaces=[a, b, c]"});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->GetList("capture.interfaces")->size(), 3u);
}

TEST(Config, BadSetIsNamed) {
  EXPECT_EQ(ErrorOf("", {"flow.memcap=lots"}),
            "--set flow.memcap: expected a size like '64mb', got 'lots'");
  EXPECT_EQ(ErrorOf("", {"flow.memcapp=1mb"}),
            "--set flow.memcapp: unknown key; did you mean 'flow.memcap'?");
  EXPECT_EQ(ErrorOf("", {"flow.memcap"}), "--set 'flow.memcap': expected key=value");
  EXPECT_EQ(ErrorOf("", {"=5"}), "--set '=5': expected key=value");
  EXPECT_EQ(ErrorOf("", {"runmode.x=1"}), "--set runmode.x: unknown key; did you mean 'runmode'?");
  EXPECT_NE(ErrorOf("", {"vars.address-groups=x"}).find("one entry at a time"), std::string::npos);
}

TEST(Config, GettersRejectUndeclaredKeysAndWrongTypes) {
  auto cfg = Load("");
  ASSERT_TRUE(cfg.ok());
  EXPECT_FALSE(cfg->GetInt("nope").ok());
  EXPECT_FALSE(cfg->GetInt("flow.memcap").ok());  // a size, not an int
  EXPECT_EQ(cfg->GetBool("flow.memcap").error().code, ErrorCode::kInternal);
}

TEST(Config, SchemaDeclarationErrors) {
  ConfigSchema dup;
  dup.Int("a.b", 1, 0, 10, "x").Int("a.b", 1, 0, 10, "x");
  EXPECT_FALSE(dup.status().ok());
  ConfigSchema nested;
  nested.Int("a", 1, 0, 10, "x").Int("a.b", 1, 0, 10, "x");
  EXPECT_FALSE(nested.status().ok());
  ConfigSchema bad_default;
  bad_default.Size("m", "lots", "x");
  EXPECT_FALSE(bad_default.status().ok());
  EXPECT_FALSE(Config::LoadString("", "t", bad_default).ok());
  ConfigSchema merged = TestSchema();
  merged.Merge(TestSchema());
  EXPECT_FALSE(merged.status().ok());
}

TEST(Config, DumpListsEffectiveValuesAndOrigins) {
  auto cfg = Load("flow:\n  memcap: 256mb\nvars:\n  address-groups:\n    HOME_NET: any\n",
                  {"runmode=single"});
  ASSERT_TRUE(cfg.ok());
  std::string d = cfg->Dump();
  EXPECT_NE(d.find("flow.memcap = 256mb  # sensor.yaml:2:3\n"), std::string::npos) << d;
  EXPECT_NE(d.find("flow.hash-size = 65536  # default\n"), std::string::npos) << d;
  EXPECT_NE(d.find("runmode = single  # --set\n"), std::string::npos) << d;
  EXPECT_NE(d.find("vars.address-groups.HOME_NET = any  # sensor.yaml:5:5\n"), std::string::npos)
      << d;
  EXPECT_NE(d.find("capture.interfaces = [eth0]  # default\n"), std::string::npos) << d;
}

TEST(Config, LoadFileReadsAndNamesTheFile) {
  std::string path = ::testing::TempDir() + "vigil_config_test.yaml";
  {
    std::ofstream out(path);
    out << "flow:\n  memcap: nope\n";
  }
  auto r = Config::LoadFile(path, TestSchema());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, path + ":2:11: flow.memcap: expected a size like '64mb', got 'nope'");
  std::remove(path.c_str());
  auto missing = Config::LoadFile(path, TestSchema());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(Config, SizeLimitIsEnforced) {
  ConfigLoadLimits limits{.max_bytes = 10};
  auto r = Config::LoadString("runmode: single\n", "t.yaml", TestSchema(), {}, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimit);
}

}  // namespace
}  // namespace vigil
