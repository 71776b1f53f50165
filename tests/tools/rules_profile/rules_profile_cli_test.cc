// `vigil rules profile` end to end on a capture built here: 300 UDP datagrams that reach both
// a cheap rule (one content) and an expensive one (the same content, then a backtracking pcre
// over a long payload). The expensive rule must rank first, both must show their counters, and
// --json / --top / a failing sensor behave as documented.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <string>
#include <vector>

#include "tests/sensor/inspect/inspect_test_util.h"

namespace vigil::sensor::inspect_test {
namespace {

class RulesProfileCli : public ::testing::Test {
 protected:
  void SetUp() override {
    pcap_ = dir_ / "in.pcap";
    {
      PcapBuilder b(pcap_);
      const auto c = *IpAddress::Parse("10.0.0.1");
      const auto s = *IpAddress::Parse("10.0.0.2");
      std::string payload = "hello " + std::string(600, 'a') + "!";
      std::vector<uint8_t> bytes(payload.begin(), payload.end());
      for (int i = 0; i < 300; ++i) b.Udp(c, s, static_cast<uint16_t>(20000 + i), 9999, bytes);
    }
    rules_ = dir_ / "profile.rules";
    WriteFile(rules_,
              "alert udp any any -> any 9999 (msg:\"cheap\"; content:\"hello\"; sid:101;)\n"
              "alert udp any any -> any 9999 (msg:\"costly\"; content:\"hello\"; "
              "pcre:\"/(a|aa|aaa)+[^a!]/\"; sid:102;)\n"
              "alert udp any any -> any 9999 (msg:\"never\"; content:\"absent-literal\"; sid:103;)\n");
  }
  CommandResult Profile(const std::string& extra) const {
    return RunCommand(ShellQuote((BinaryDir() / "bin" / "vigil").string()) + " rules profile --sensor " +
                      ShellQuote((BinaryDir() / "bin" / "vigil-sensor").string()) + " --pcap " +
                      ShellQuote(pcap_) + " --rules " + ShellQuote(rules_) + " -k none " + extra);
  }
  TempDir dir_;
  std::string pcap_, rules_;
};

TEST_F(RulesProfileCli, ExpensivePcreRuleRanksAboveTheCheapOne) {
  const CommandResult r = Profile("--json");
  ASSERT_EQ(r.rc, 0) << r.out;
  simdjson::dom::parser parser;
  std::vector<uint64_t> sids;
  uint64_t costly_ns = 0, cheap_ns = 0;
  for (size_t start = 0; start < r.out.size();) {
    size_t end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    const std::string line = r.out.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] != '{') continue;
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
    uint64_t sid = 0, checks = 0, hits = 0, matches = 0, ns = 0;
    ASSERT_EQ(e["sid"].get(sid), simdjson::SUCCESS);
    ASSERT_EQ(e["checks"].get(checks), simdjson::SUCCESS);
    ASSERT_EQ(e["prefilter_hits"].get(hits), simdjson::SUCCESS);
    ASSERT_EQ(e["matches"].get(matches), simdjson::SUCCESS);
    ASSERT_EQ(e["ns"].get(ns), simdjson::SUCCESS);
    sids.push_back(sid);
    EXPECT_EQ(checks, 300u) << sid;  // every datagram checked both rules once
    EXPECT_EQ(hits, 300u) << sid;
    if (sid == 101) {
      EXPECT_EQ(matches, 300u);
      cheap_ns = ns;
    }
    if (sid == 102) {
      EXPECT_EQ(matches, 0u);
      costly_ns = ns;
    }
  }
  // sid 103's literal never occurs: the prefilter never picks it, so it is not listed.
  ASSERT_EQ(sids.size(), 2u) << r.out;
  EXPECT_EQ(sids[0], 102u) << r.out;
  EXPECT_EQ(sids[1], 101u);
  EXPECT_GT(costly_ns, cheap_ns);
}

TEST_F(RulesProfileCli, TableListsTopRulesWithCounters) {
  const CommandResult r = Profile("--top 1");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("costly"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("cheap"), std::string::npos) << r.out;  // --top 1
  EXPECT_NE(r.out.find("2 rule(s) touched"), std::string::npos) << r.out;
}

TEST_F(RulesProfileCli, NoProfileExitsTwoWithTheReason) {
  // A capture the sensor reads nothing from: no rule is touched, no profile is written.
  WriteFile(dir_ / "broken.pcap", "not a capture");
  pcap_ = dir_ / "broken.pcap";
  const CommandResult r = Profile("");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_NE(r.out.find("vigil rules profile: "), std::string::npos) << r.out;
}

}  // namespace
}  // namespace vigil::sensor::inspect_test
