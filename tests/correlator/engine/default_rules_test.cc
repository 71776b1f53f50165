// The default rules shipped in rules/correlation/default (provincial tier) and
// rules/correlation/national (national tier) fire on the behaviour they describe.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/correlator/engine/engine_test_util.h"

namespace vigil::testing {
namespace {

std::shared_ptr<const RuleSet> DefaultRules(const char* dir = "rules/correlation/default") {
  RuleSetBuilder b;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yml") b.AddFile(entry.path().string());
  }
  auto rs = b.Build();
  EXPECT_TRUE(rs.ok()) << (rs.ok() ? "" : rs.error().message);
  return rs.ok() ? std::make_shared<const RuleSet>(std::move(*rs)) : nullptr;
}

std::vector<std::string> Names(const std::vector<CorrelationAlert>& out) {
  std::vector<std::string> n;
  for (const auto& a : out) n.push_back(a.rule_name);
  return n;
}

FlatEvent Flow(int64_t t, uint64_t id, const std::string& src, const std::string& dst, double port) {
  return Ev("flow", t, id, {{"proto", "TCP"}, {"src_ip", src}, {"dest_ip", dst}}, {{"dest_port", port}});
}

TEST(DefaultRules, PortScan) {
  auto rules = DefaultRules();
  std::vector<FlatEvent> ev;
  for (int p = 0; p < 60; ++p) ev.push_back(Flow(p * 500 * kMs, p + 1, "198.51.100.7", "203.0.113.5", 1000 + p));
  EXPECT_EQ(Names(RunAll(rules, ev)), (std::vector<std::string>{"vigil_port_scan"}));
}

TEST(DefaultRules, Beaconing) {
  auto rules = DefaultRules();
  std::vector<FlatEvent> ev;
  for (int i = 0; i < 10; ++i) ev.push_back(Flow(i * 300 * kSec + (i % 2) * 5 * kSec, i + 1, "10.0.0.8", "203.0.113.66", 443));
  EXPECT_EQ(Names(RunAll(rules, ev)), (std::vector<std::string>{"vigil_c2_beaconing"}));
}

TEST(DefaultRules, DnsTunnelling) {
  auto rules = DefaultRules();
  std::vector<FlatEvent> ev;
  for (int i = 0; i < 60; ++i) {
    std::string label = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8" + std::to_string(1000 + i);
    ev.push_back(Ev("dns", i * kSec, i + 1, {{"src_ip", "10.0.0.9"}, {"dns.type", "query"}, {"dns.rrname", label + ".t.example.net"}}));
  }
  // Short names never count.
  ev.push_back(Ev("dns", 61 * kSec, 99, {{"src_ip", "10.0.0.10"}, {"dns.type", "query"}, {"dns.rrname", "www.example.net"}}));
  EXPECT_EQ(Names(RunAll(rules, ev)), (std::vector<std::string>{"vigil_dns_tunnelling"}));
}

TEST(DefaultRules, BruteForceThenSuccess) {
  auto rules = DefaultRules();
  std::vector<FlatEvent> ev;
  for (int i = 0; i < 12; ++i) {
    ev.push_back(Ev("alert", i * 5 * kSec, i + 1,
                    {{"src_ip", "198.51.100.20"}, {"dest_ip", "10.0.0.22"}, {"alert.signature", "ET SCAN SSH Brute Force attempt"}},
                    {{"alert.severity", 3}}));
  }
  ev.push_back(Ev("alert", 90 * kSec, 50,
                  {{"src_ip", "198.51.100.20"}, {"dest_ip", "10.0.0.22"}, {"alert.signature", "LOCAL SSH accepted password after failures"}},
                  {{"alert.severity", 3}}));
  EXPECT_EQ(Names(RunAll(rules, ev)),
            (std::vector<std::string>{"vigil_auth_failures_burst", "vigil_brute_force_success"}));
}

TEST(DefaultRules, AlertedHostScansInward) {
  auto rules = DefaultRules();
  std::vector<FlatEvent> ev;
  ev.push_back(Ev("alert", 0, 1, {{"src_ip", "203.0.113.99"}, {"dest_ip", "10.20.0.5"}, {"alert.signature", "ET EXPLOIT x"}},
                  {{"alert.severity", 1}}));
  for (int h = 0; h < 25; ++h) ev.push_back(Flow((60 + h) * kSec, h + 10, "10.20.0.5", "10.20.1." + std::to_string(h), 445));
  EXPECT_EQ(Names(RunAll(rules, ev)), (std::vector<std::string>{"vigil_internal_sweep", "vigil_alert_then_scan"}));
}

TEST(DefaultRules, SourceSeenBySeveralSensors) {
  auto rules = DefaultRules();
  std::vector<FlatEvent> ev;
  for (int s = 0; s < 3; ++s) {
    ev.push_back(Ev("alert", s * 60 * kSec, s + 1,
                    {{"src_ip", "198.51.100.77"}, {"sensor_id", "sensor-" + std::to_string(s)}, {"alert.signature", "x"}},
                    {{"alert.severity", 3}}));
  }
  EXPECT_EQ(Names(RunAll(rules, ev)), (std::vector<std::string>{"vigil_multi_sensor_source"}));
}

TEST(DefaultRules, ProvincialRulesIgnoreProvinceCorrelations) {
  auto rules = DefaultRules();
  std::vector<FlatEvent> ev;
  for (int p = 0; p < 3; ++p) {
    ev.push_back(Ev("correlation", p * 3600 * kSec, p + 1,
                    {{"src_ip", "198.51.100.200"}, {"province", "province-" + std::to_string(p)}}));
  }
  EXPECT_TRUE(RunAll(rules, ev).empty());
}

TEST(DefaultRules, NationalSameSourceInSeveralProvinces) {
  auto rules = DefaultRules("rules/correlation/national");
  std::vector<FlatEvent> ev;
  for (int p = 0; p < 3; ++p) {
    ev.push_back(Ev("correlation", p * 3600 * kSec, p + 1,
                    {{"src_ip", "198.51.100.200"}, {"province", "province-" + std::to_string(p)},
                     {"correlation.rule_name", "vigil_port_scan"}}));
  }
  auto out = RunAll(rules, ev);
  ASSERT_EQ(Names(out), (std::vector<std::string>{"vigil_national_multi_province"}));
  EXPECT_EQ(out[0].level, "critical");
  EXPECT_EQ(out[0].risk, 95);
}

}  // namespace
}  // namespace vigil::testing
