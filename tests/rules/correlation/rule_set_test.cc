// Loading rule files: multi-document files, references, and the error messages analysts see.
#include <gtest/gtest.h>

#include <filesystem>

#include "rules/correlation/rule_set.h"

namespace vigil {
namespace {

std::string BuildError(const std::string& yaml) {
  RuleSetBuilder b;
  b.AddText("bad.yml", yaml);
  auto rs = b.Build();
  return rs.ok() ? std::string() : rs.error().message;
}

const std::string kFlow = R"(title: flow
name: flow
logsource: {product: vigil, category: flow}
detection:
  sel: {proto: TCP}
  condition: sel
)";

TEST(RuleSet, LoadsMultiDocumentFilesAndIndexesByEventType) {
  RuleSetBuilder b;
  b.AddText("a.yml", kFlow + R"(---
title: dns
name: dns
logsource: {category: dns}
detection: {sel: {dns.type: query}, condition: sel}
---
title: anything
name: any_sensor
detection: {sel: {sensor_id: s1}, condition: sel}
---
title: unused
name: unused
logsource: {category: tls}
detection: {sel: {tls.sni: x}, condition: sel}
---
title: c
correlation: {type: temporal, rules: [flow, dns, any_sensor], group-by: [src_ip], timespan: 1m}
)");
  auto rs = b.Build();
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  EXPECT_EQ(rs->detections().size(), 4u);
  EXPECT_EQ(rs->correlations().size(), 1u);
  auto ids = [](std::span<const uint32_t> s) { return std::vector<uint32_t>(s.begin(), s.end()); };
  EXPECT_EQ(ids(rs->DetectionsFor("flow")), (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(ids(rs->DetectionsFor("dns")), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(ids(rs->DetectionsFor("tls")), (std::vector<uint32_t>{2}));  // "unused" is not indexed
  EXPECT_EQ(ids(rs->DetectionsFor("http")), (std::vector<uint32_t>{2}));
  EXPECT_EQ(rs->correlations()[0].sources.size(), 3u);
  EXPECT_EQ(rs->correlations()[0].sources[0].group_paths[0].text(), "src_ip");
}

TEST(RuleSetErrors, UnknownModifierHasFileLineColumn) {
  const std::string e = BuildError(R"(title: x
name: x
detection:
  sel:
    dns.rrname|contain: foo
  condition: sel
)");
  EXPECT_NE(e.find("bad.yml:5:5: unknown field modifier 'contain'"), std::string::npos) << e;
}

TEST(RuleSetErrors, UnknownRuleReference) {
  const std::string e = BuildError(kFlow + R"(---
title: c
correlation:
  type: event_count
  rules:
    - flow
    - flwo
  group-by: [src_ip]
  timespan: 1m
  condition: {gte: 2}
)");
  EXPECT_NE(e.find("bad.yml:13:7: unknown rule reference 'flwo'"), std::string::npos) << e;
}

TEST(RuleSetErrors, BadTimespan) {
  const std::string e = BuildError(kFlow + R"(---
title: c
correlation:
  type: event_count
  rules: [flow]
  timespan: 5 minutes
  condition: {gte: 2}
)");
  EXPECT_NE(e.find("bad.yml:12:13: 'timespan': bad timespan '5 minutes'"), std::string::npos) << e;
}

TEST(RuleSetErrors, CycleInChaining) {
  const std::string e = BuildError(kFlow + R"(---
title: a
name: a
correlation: {type: temporal, rules: [flow, b], group-by: [src_ip], timespan: 1m}
---
title: b
name: b
correlation: {type: temporal, rules: [flow, a], group-by: [src_ip], timespan: 1m}
)");
  EXPECT_NE(e.find("cycle in correlation chaining: 'a' -> 'b' -> 'a'"), std::string::npos) << e;
  EXPECT_NE(e.find("bad.yml:8:1:"), std::string::npos) << e;
}

TEST(RuleSetErrors, ConditionSyntaxWithPosition) {
  const std::string e = BuildError(R"(title: x
detection:
  sel: {a: 1}
  condition: sel and or sel
)");
  EXPECT_NE(e.find("bad.yml:4:14: condition syntax error at position 9 ('or')"), std::string::npos) << e;
}

TEST(RuleSetErrors, ManyKindsAllReportedAtOnce) {
  const std::string e = BuildError(R"(title: a
logsource: {product: windows}
detection: {sel: {a: 1}, condition: sel}
---
title: b
logsource: {category: flows}
detection: {sel: {a: 1}, condition: sel}
---
title: c
correlation: {type: event_cnt, rules: [x], timespan: 1m}
---
title: d
correlation: {type: event_count, rules: [x], timespan: 1m, condition: {lt: 5}}
---
title: e
correlation: {type: value_count, rules: [x], timespan: 1m, condition: {gte: 5}}
---
title: f
correlation: {type: absence, rules: [x], timespan: 1m}
---
title: g
correlation: {type: event_count, rules: [x], timespan: 1m, condition: {gte: 5}, colour: red}
---
- just a list
---
title: h
detection: {sel: [a, b], condition: sel}
---
title: i
level: severe
detection: {sel: {a: 1}, condition: sel}
)");
  for (const char* want : {"bad.yml:2:22: unknown logsource product 'windows'",
                           "bad.yml:6:12: unknown logsource category 'flows'",
                           "bad.yml:10:21: unknown correlation type 'event_cnt'",
                           "bad.yml:13:71: the condition needs a lower bound",
                           "bad.yml:16:71: value_count needs 'field'",
                           "bad.yml:19:14: absence takes exactly two rules",
                           "bad.yml:22:81: unknown correlation key 'colour'",
                           "bad.yml:24:1: a rule document must be a mapping",
                           "bad.yml:27:19: selection 'sel': keyword lists are not supported",
                           "bad.yml:30:8: unknown level 'severe'"}) {
    EXPECT_NE(e.find(want), std::string::npos) << want << "\n---\n" << e;
  }
}

TEST(RuleSetErrors, YamlSyntaxAndDuplicates) {
  EXPECT_NE(BuildError("title: [unclosed\n").find("bad.yml:2:1: YAML syntax error"), std::string::npos)
      << BuildError("title: [unclosed\n");
  const std::string e = BuildError(kFlow + "---\n" + kFlow);
  EXPECT_NE(e.find("bad.yml:8:1: duplicate rule name or id 'flow' (first defined at bad.yml:1:1)"), std::string::npos) << e;
}

TEST(RuleSetErrors, MalformedDocumentMarkerDoesNotHang) {
  // yaml-cpp 0.7's LoadAll loops forever on this (found by fuzzing); we split documents ourselves.
  EXPECT_NE(BuildError(kFlow + "--- ,a\n").find("bad.yml:7:"), std::string::npos) << BuildError(kFlow + "--- ,a\n");
  // Comments and directives before the first marker belong to the first document.
  RuleSetBuilder b;
  b.AddText("ok.yml", "# comment\n%YAML 1.2\n---\n" + kFlow + "...\n---\n# trailing\n");
  EXPECT_TRUE(b.Build().ok());
}

TEST(RuleSetErrors, AliasesMustNameReferencedRules) {
  const std::string e = BuildError(kFlow + R"(---
title: c
correlation:
  type: event_count
  rules: [flow]
  group-by: [host]
  timespan: 1m
  condition: {gte: 2}
  aliases:
    host: {flow: src_ip, other_rule: dest_ip}
)");
  EXPECT_NE(e.find("alias 'host' names rule 'other_rule', which this correlation does not reference"), std::string::npos) << e;
}

TEST(DefaultRules, AllLoadTogether) {
  RuleSetBuilder b;
  size_t files = 0;
  // Provincial rules and the national tier's (which a national correlator loads alone).
  for (const char* dir : {"rules/correlation/default", "rules/correlation/national"}) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".yml") continue;
      ASSERT_TRUE(b.AddFile(entry.path().string()));
      ++files;
    }
  }
  EXPECT_EQ(files, 8u);
  auto rs = b.Build();
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  EXPECT_GE(rs->correlations().size(), 9u);
  for (const auto& c : rs->correlations()) {
    EXPECT_FALSE(c.id.empty()) << c.title;
    EXPECT_FALSE(c.name.empty()) << c.title;
  }
}

}  // namespace
}  // namespace vigil
