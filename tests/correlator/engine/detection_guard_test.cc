// DetectionGuards: which rules get a guard (Condition::RequiredSelections, single-alternative
// selections, no regex), and that a guard never skips a rule that matches.
#include "correlator/engine/detection_guard.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/correlator/engine/engine_test_util.h"

namespace vigil {
namespace {

using testing::Ev;

std::string Rule(const std::string& name, const std::string& detection) {
  return "title: " + name + "\nname: " + name + "\nlogsource: {category: flow}\ndetection: " + detection + "\n---\n";
}

// Guarded: 0 (one selection), 2 (sel and not filter), 4 (all of), 7 (numeric range).
// Not guarded: 1 (or), 3 (1 of two), 5 (two alternatives), 6 (regex only), 8 (not).
const std::string kRules =
    Rule("r0", "{sel: {dest_port: [1000, 1100], proto: TCP}, condition: sel}") +
    Rule("r1", "{a: {dest_port: 22}, b: {proto: UDP}, condition: a or b}") +
    Rule("r2", "{sel: {proto: tcp}, filter: {src_ip|cidr: 10.0.0.0/8}, condition: sel and not filter}") +
    Rule("r3", "{sel_a: {dest_port: 22}, sel_b: {dest_port: 23}, condition: 1 of sel_*}") +
    Rule("r4", "{sel_a: {dest_port|gte: 1000}, sel_b: {dest_port|lt: 2000}, condition: all of sel_*}") +
    Rule("r5", "{sel: [{dest_port: 22}, {proto: UDP}], condition: sel}") +
    Rule("r6", "{sel: {app|re: '^ht+p$'}, condition: sel}") +
    Rule("r7", "{sel: {flow.bytes|gt: 1500}, condition: sel}") +
    Rule("r8", "{sel: {proto: TCP}, condition: not sel}");

TEST(DetectionGuardTest, GuardsRulesWithARequiredSingleAlternativeSelection) {
  auto rules = testing::Rules(kRules);
  ASSERT_TRUE(rules);
  DetectionGuards g(*rules);
  EXPECT_EQ(g.guarded(), 4u);
  MatchScratch scratch;
  g.NewEvent();
  const FlatEvent ev = Ev("flow", 0, 1, {{"proto", "UDP"}, {"src_ip", "192.0.2.1"}}, {{"dest_port", 443}});
  // r0 (dest_port not 1000/1100), r2 (proto not tcp), r4 (dest_port < 1000) and r7 (no
  // flow.bytes) cannot match; the unguarded ones are always evaluated.
  const std::vector<bool> may = {false, true, false, true, false, true, true, false, true};
  for (uint32_t d = 0; d < rules->detections().size(); ++d) {
    EXPECT_EQ(g.MayMatch(d, ev, scratch), may[d]) << rules->detections()[d].name;
  }
}

TEST(DetectionGuardTest, NeverSkipsAMatchingRule) {
  auto rules = testing::Rules(kRules);
  ASSERT_TRUE(rules);
  DetectionGuards g(*rules);
  MatchScratch scratch;
  size_t skipped = 0;
  const char* protos[] = {"TCP", "tcp", "UDP", "icmp"};
  const char* srcs[] = {"10.1.2.3", "192.0.2.1"};
  for (int port : {22, 23, 443, 1000, 1100, 1500, 2500}) {
    for (const char* proto : protos) {
      for (const char* src : srcs) {
        for (double bytes : {-1.0, 100.0, 2000.0}) {
          for (bool port_as_text : {false, true}) {
            FlatEvent ev = Ev("flow", 0, 1, {{"proto", proto}, {"src_ip", src}, {"app", "http"}});
            if (port_as_text) ev.Set("dest_port", std::to_string(port));  // "443" matches 443 too
            else ev.Set("dest_port", static_cast<double>(port));
            if (bytes >= 0) ev.Set("flow.bytes", bytes);
            g.NewEvent();
            for (uint32_t d = 0; d < rules->detections().size(); ++d) {
              const bool match = rules->detections()[d].Matches(ev, scratch);
              const bool may = g.MayMatch(d, ev, scratch);
              if (match) {
                EXPECT_TRUE(may) << rules->detections()[d].name << " port " << port << " proto " << proto;
              }
              skipped += may ? 0 : 1;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(skipped, 0u);
}

TEST(DetectionGuardTest, LookupsAreSharedWithinAnEventOnly) {
  auto rules = testing::Rules(kRules);
  ASSERT_TRUE(rules);
  DetectionGuards g(*rules);
  MatchScratch scratch;
  g.NewEvent();
  EXPECT_TRUE(g.MayMatch(0, Ev("flow", 0, 1, {{"proto", "TCP"}}, {{"dest_port", 1000}}), scratch));
  // Without NewEvent the first event's dest_port is still used...
  EXPECT_TRUE(g.MayMatch(0, Ev("flow", 0, 2, {{"proto", "TCP"}}, {{"dest_port", 443}}), scratch));
  // ... and after it the new one's.
  g.NewEvent();
  EXPECT_FALSE(g.MayMatch(0, Ev("flow", 0, 2, {{"proto", "TCP"}}, {{"dest_port", 443}}), scratch));
}

}  // namespace
}  // namespace vigil
