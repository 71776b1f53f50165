// The examples of the Sigma correlation rules specification (v2), run on events built to match
// them, give the results the specification describes. The rules are the spec's, except that
// `logsource` names our EVE event types (product: windows is not an EVE source).
#include <gtest/gtest.h>

#include "tests/correlator/engine/engine_test_util.h"

namespace vigil::testing {
namespace {

// "Failed Logins Followed by Successful Login", the spec's complete example (four documents).
const std::string kBruteForce = R"(
title: Correlation - Multiple Failed Logins Followed by Successful Login
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
status: experimental
description: Detects multiple failed logins by a single user followed by a successful login of that user
author: Florian Roth (Nextron Systems)
date: 2023-06-16
correlation:
    type: temporal_ordered
    rules:
        - multiple_failed_login
        - successful_login
    group-by:
        - User
    timespan: 10m
falsepositives:
    - Unlikely
level: high
---
title: Multiple failed logons
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
description: Detects multiple failed logins within a certain amount of time
name: multiple_failed_login
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - User
    timespan: 10m
    condition:
        gte: 10
---
title: Single failed login
id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
name: failed_login
logsource:
    product: vigil
    category: alert
detection:
    selection:
        EventID:
            - 529
            - 4625
    condition: selection
---
title: Successful login
id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
description: Detects a successful login
name: successful_login
logsource:
    product: vigil
    category: alert
detection:
    selection:
        EventID:
            - 528
            - 4624
    condition: selection
)";

FlatEvent Login(int64_t t, uint64_t id, double event_id, const std::string& user) {
  return Ev("alert", t, id, {{"User", user}}, {{"EventID", event_id}});
}

TEST(SigmaSpec, FailedLoginsFollowedBySuccess) {
  auto rules = Rules(kBruteForce);
  std::vector<FlatEvent> ev;
  uint64_t id = 0;
  for (int i = 0; i < 10; ++i) ev.push_back(Login(i * 10 * kSec, ++id, i % 2 ? 529 : 4625, "alice"));
  ev.push_back(Login(200 * kSec, ++id, 4624, "alice"));
  auto out = RunAll(rules, ev);
  ASSERT_EQ(Titles(out), (std::vector<std::string>{"Multiple failed logons",
                                                   "Correlation - Multiple Failed Logins Followed by Successful Login"}));
  EXPECT_EQ(out[0].count, 10u);
  EXPECT_EQ(out[1].level, "high");
  EXPECT_EQ(out[1].rule_id, "b180ead8-d58f-40b2-ae54-c8940995b9b6");
  EXPECT_EQ(out[1].group, (std::vector<std::pair<std::string, std::string>>{{"User", "alice"}}));
}

TEST(SigmaSpec, NineFailuresAreNotEnough) {
  auto rules = Rules(kBruteForce);
  std::vector<FlatEvent> ev;
  for (int i = 0; i < 9; ++i) ev.push_back(Login(i * kSec, i + 1, 4625, "bob"));
  ev.push_back(Login(60 * kSec, 20, 4624, "bob"));
  EXPECT_TRUE(RunAll(rules, ev).empty());
}

TEST(SigmaSpec, SuccessBeforeFailuresOrOtherUserDoesNotCount) {
  auto rules = Rules(kBruteForce);
  std::vector<FlatEvent> ev;
  ev.push_back(Login(0, 1, 4624, "carol"));
  for (int i = 0; i < 10; ++i) ev.push_back(Login((i + 1) * kSec, i + 2, 4625, "carol"));
  ev.push_back(Login(30 * kSec, 30, 4624, "dave"));  // someone else logs in
  auto out = RunAll(rules, ev);
  EXPECT_EQ(Titles(out), (std::vector<std::string>{"Multiple failed logons"}));
}

TEST(SigmaSpec, SuccessLaterThanTheTimespan) {
  auto rules = Rules(kBruteForce);
  std::vector<FlatEvent> ev;
  for (int i = 0; i < 10; ++i) ev.push_back(Login(i * kSec, i + 1, 4625, "erin"));
  // The event_count alert is at 9 s; 10 minutes and 1 ms after it the success is too late.
  ev.push_back(Login(9 * kSec + 600 * kSec + kMs, 20, 4624, "erin"));
  EXPECT_EQ(Titles(RunAll(rules, ev)), (std::vector<std::string>{"Multiple failed logons"}));
}

// "Many failed logins": >= 100 failed logins to a host in an hour (event_count example).
TEST(SigmaSpec, EventCountExample) {
  auto rules = Rules(R"(
title: failed logon
id: 5638f7c0-ac70-491d-8465-2a65075e0d86
logsource: {product: vigil, category: alert}
detection: {selection: {EventID: 4625}, condition: selection}
---
title: Many failed logins
id: 0e95725d-7320-415d-80f7-004da920fc11
correlation:
    type: event_count
    rules:
        - 5638f7c0-ac70-491d-8465-2a65075e0d86
    group-by:
        - ComputerName
    timespan: 1h
    condition:
        gte: 100
)");
  std::vector<FlatEvent> ev;
  for (int i = 0; i < 99; ++i) ev.push_back(Ev("alert", i * 30 * kSec, i + 1, {{"ComputerName", "srv1"}}, {{"EventID", 4625}}));
  EXPECT_TRUE(RunAll(rules, ev).empty());
  ev.push_back(Ev("alert", 3599 * kSec, 100, {{"ComputerName", "srv1"}}, {{"EventID", 4625}}));
  auto out = RunAll(rules, ev);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].count, 100u);
}

// "Failed login": >= 100 different users per source and destination in a day (value_count).
TEST(SigmaSpec, ValueCountExample) {
  auto rules = Rules(R"(
title: failed logon
id: 5638f7c0-ac70-491d-8465-2a65075e0d86
logsource: {product: vigil, category: alert}
detection: {selection: {EventID: 4625}, condition: selection}
---
title: Failed login
id: 0e95725d-7320-415d-80f7-004da920fc12
correlation:
    type: value_count
    rules:
        - 5638f7c0-ac70-491d-8465-2a65075e0d86
    group-by:
        - ComputerName
        - WorkstationName
    timespan: 1d
    condition:
        field: User
        gte: 100
)");
  std::vector<FlatEvent> ev;
  for (int i = 0; i < 150; ++i) {
    // 99 distinct users, repeated: never 100.
    ev.push_back(Ev("alert", i * 60 * kSec, i + 1,
                    {{"ComputerName", "srv1"}, {"WorkstationName", "ws7"}, {"User", "u" + std::to_string(i % 99)}},
                    {{"EventID", 4625}}));
  }
  EXPECT_TRUE(RunAll(rules, ev).empty());
  ev.push_back(Ev("alert", 150 * 60 * kSec, 999, {{"ComputerName", "srv1"}, {"WorkstationName", "ws7"}, {"User", "root"}},
                  {{"EventID", 4625}}));
  auto out = RunAll(rules, ev);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].value, 100);
}

// Recon commands a, b, c in any order within 5 minutes on one system by one user (temporal).
TEST(SigmaSpec, TemporalExample) {
  std::string yaml;
  for (const char* n : {"a", "b", "c"}) {
    yaml += std::string("title: recon ") + n + "\nname: recon_cmd_" + n +
            "\nlogsource: {category: alert}\ndetection: {sel: {cmd: " + n + "}, condition: sel}\n---\n";
  }
  yaml += R"(
title: recon
correlation:
    type: temporal
    rules:
        - recon_cmd_a
        - recon_cmd_b
        - recon_cmd_c
    group-by:
        - ComputerName
        - User
    timespan: 5m
)";
  auto rules = Rules(yaml);
  auto cmd = [](int64_t t, uint64_t id, const char* c, const char* user) {
    return Ev("alert", t, id, {{"cmd", c}, {"ComputerName", "pc1"}, {"User", user}});
  };
  EXPECT_EQ(RunAll(rules, {cmd(0, 1, "c", "u"), cmd(60 * kSec, 2, "a", "u"), cmd(300 * kSec, 3, "b", "u")}).size(), 1u);
  EXPECT_TRUE(RunAll(rules, {cmd(0, 1, "c", "u"), cmd(60 * kSec, 2, "a", "u"), cmd(300 * kSec + kMs, 3, "b", "u")}).empty());
  EXPECT_TRUE(RunAll(rules, {cmd(0, 1, "c", "u"), cmd(60 * kSec, 2, "a", "u"), cmd(90 * kSec, 3, "b", "v")}).empty());
}

}  // namespace
}  // namespace vigil::testing
