// The vigil-sensor command line, run as a process ($VIGIL_BINARY_DIR/bin/vigil-sensor): help,
// unknown flags with a hint, -T on good and bad configs, missing inputs, and a real offline run
// writing LOGDIR/eve.json with the summary on stdout.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "tests/sensor/pipeline/pipeline_test_util.h"

namespace vigil::sensor {
namespace {

using namespace pipeline_test;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(SensorBinary())) GTEST_SKIP() << "not built: " << SensorBinary();
  }
  CommandResult Sensor(const std::string& args) {
    return RunCommand(ShellQuote(SensorBinary().string()) + " " + args + " </dev/null");
  }
};

TEST_F(Cli, HelpListsTheSuricataStyleOptions) {
  auto r = Sensor("--help");
  EXPECT_EQ(r.rc, 0);
  for (const char* opt : {"-c", "-r", "-i", "-l", "-k", "--set", "--runmode", "--threads", "-T",
                          "--sensor-id", "--province"}) {
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("-S"), std::string::npos) << "rule options came with detection (sensor/inspect)";
}

TEST_F(Cli, UnknownFlagIsAnErrorWithAHint) {
  auto r = Sensor("-r x.pcap --thread 2");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_NE(r.out.find("--thread"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("did you mean --threads"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--help"), std::string::npos) << r.out;
}

TEST_F(Cli, TestConfigAcceptsTheExampleAndRejectsMistakesWithFileAndLine) {
  const std::string example = (SourceDir() / "sensor" / "vigil-sensor.yaml").string();
  auto good = Sensor("-T -c " + ShellQuote(example));
  EXPECT_EQ(good.rc, 0) << good.out;
  TempDir dir;
  const std::string bad = dir / "bad.yaml";
  {
    std::ofstream f(bad);
    f << "flow:\n  memcap: 64mb\n  hash-sise: 1024\n";
  }
  auto r = Sensor("-T -c " + ShellQuote(bad));
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_NE(r.out.find("bad.yaml:3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("flow.hash-size"), std::string::npos) << "did-you-mean hint: " << r.out;
  auto set = Sensor("-T --set stream.reassembly.depth=deep");
  EXPECT_EQ(set.rc, 1) << set.out;
  EXPECT_NE(set.out.find("stream.reassembly.depth"), std::string::npos) << set.out;
}

TEST_F(Cli, MissingInputsAreClearErrors) {
  TempDir dir;
  auto r = Sensor("-r " + ShellQuote(dir / "nope.pcap") + " -l " + ShellQuote(dir.path()));
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_NE(r.out.find("nope.pcap"), std::string::npos) << r.out;
  auto nothing = Sensor("-l " + ShellQuote(dir.path()));
  EXPECT_EQ(nothing.rc, 2) << nothing.out;
  EXPECT_NE(nothing.out.find("-r"), std::string::npos) << nothing.out;
  auto nodir = Sensor("-r " + ShellQuote(CorpusPcaps().at(0)) + " -l " +
                      ShellQuote(dir / "missing-dir"));
  EXPECT_EQ(nodir.rc, 1) << nodir.out;
  EXPECT_NE(nodir.out.find("missing-dir"), std::string::npos) << nodir.out;
}

TEST_F(Cli, OfflineRunWritesEveAndPrintsTheSummary) {
  TempDir dir;
  const auto pcaps = CorpusPcaps();
  ASSERT_FALSE(pcaps.empty());
  auto r = Sensor("-r " + ShellQuote(pcaps[0]) + " -l " + ShellQuote(dir.path()) +
                  " --runmode workers --threads 2 -k none --sensor-id cli-test --province east"
                  " --set stream.midstream=true");
  ASSERT_EQ(r.rc, 0) << r.out;
  for (const char* s : {"packets", "bytes", "drops", "flows", "anomalies", "gaps", "memcap"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  }
  auto lines = ReadLines(dir / "eve.json");
  ParsedEve eve = ParseEve(lines);
  EXPECT_EQ(eve.invalid, 0u);
  EXPECT_EQ(eve.missing_identity, 0u);
  EXPECT_GT(eve.types["flow"], 10u);
  EXPECT_GE(eve.types["stats"], 1u) << "a final stats event";
  for (const EveFlow& f : eve.flows) {
    EXPECT_EQ(f.sensor_id, "cli-test");
    EXPECT_EQ(f.province, "east");
    EXPECT_NE(f.flow_id, 0u);
    EXPECT_EQ(f.community_id.rfind("1:", 0), 0u);
  }
  // A directory as input reads every capture in it; a file in it that is not a capture
  // (SOURCE.md) is reported and skipped.
  TempDir out2;
  auto d = Sensor("-r " + ShellQuote(CorpusDir().string()) + " -l " + ShellQuote(out2.path()));
  EXPECT_EQ(d.rc, 0) << d.out;
  EXPECT_NE(d.out.find("SOURCE.md"), std::string::npos) << d.out;
  EXPECT_GT(ReadLines(out2 / "eve.json").size(), lines.size());
}

// Alert lines of a run, and how many carry `needle`.
size_t CountWith(const std::vector<std::string>& lines, const std::string& needle) {
  return static_cast<size_t>(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
    return l.find("\"event_type\":\"alert\"") != std::string::npos && l.find(needle) != std::string::npos;
  }));
}

TEST_F(Cli, IpsModeBlocksDropMatchesAndDropsTheFlowOfAnIpOnlyRule) {
  TempDir dir;
  constexpr uint32_t kC = 0x0a000001, kS = 0x0a000002;
  const std::string pcap = dir / "ips.pcap";
  ASSERT_TRUE(WritePcap(pcap, {TcpFrame(kC, kS, 40010, 80, 100, 0, tcp_flag::kSyn),
                               TcpFrame(kS, kC, 80, 40010, 500, 101, tcp_flag::kSyn | tcp_flag::kAck),
                               TcpFrame(kC, kS, 40010, 80, 101, 501, tcp_flag::kAck),
                               TcpFrame(kC, kS, 40010, 80, 101, 501, tcp_flag::kAck | tcp_flag::kPsh, "hello")}));
  const std::string rules = dir / "drop.rules";
  {
    std::ofstream f(rules);
    f << "drop ip 10.0.0.1 any -> any any (msg:\"ip only drop\"; sid:1;)\n";
  }
  const std::string base = "-r " + ShellQuote(pcap) + " -S " + ShellQuote(rules) + " --runmode single";
  TempDir ids_dir, ips_dir;
  auto ids = Sensor(base + " -l " + ShellQuote(ids_dir.path()));
  ASSERT_EQ(ids.rc, 0) << ids.out;
  const auto ids_lines = ReadLines(ids_dir / "eve.json");
  EXPECT_EQ(CountWith(ids_lines, "\"signature_id\":1,"), 3u);  // every client packet
  EXPECT_EQ(CountWith(ids_lines, "\"action\":\"allowed\""), 3u);
  auto ips = Sensor(base + " -l " + ShellQuote(ips_dir.path()) + " --set simulate-ips=true");
  ASSERT_EQ(ips.rc, 0) << ips.out;
  const auto ips_lines = ReadLines(ips_dir / "eve.json");
  EXPECT_EQ(CountWith(ips_lines, "\"signature_id\":1,"), 1u);  // the flow is dropped after it
  EXPECT_EQ(CountWith(ips_lines, "\"action\":\"blocked\""), 1u);
}

TEST_F(Cli, MidstreamPassFlowPolicyKeepsRulesOffTheFlow) {
  TempDir dir;
  constexpr uint32_t kC = 0x0a000001, kS = 0x0a000002;
  const std::string pcap = dir / "mid.pcap";
  ASSERT_TRUE(WritePcap(pcap, {TcpFrame(kC, kS, 40011, 80, 101, 501, tcp_flag::kAck | tcp_flag::kPsh, "abcdef"),
                               TcpFrame(kS, kC, 80, 40011, 501, 107, tcp_flag::kAck | tcp_flag::kPsh, "xyz")}));
  const std::string rules = dir / "c.rules";
  {
    std::ofstream f(rules);
    f << "alert tcp any any -> any any (msg:\"abc\"; content:\"abcdef\"; sid:7;)\n";
  }
  const std::string base = "-r " + ShellQuote(pcap) + " -S " + ShellQuote(rules) +
                           " --runmode single --set stream.midstream=true";
  TempDir on, off;
  auto r1 = Sensor(base + " -l " + ShellQuote(on.path()));
  ASSERT_EQ(r1.rc, 0) << r1.out;
  EXPECT_GE(CountWith(ReadLines(on / "eve.json"), "\"signature_id\":7,"), 1u);
  auto r2 = Sensor(base + " -l " + ShellQuote(off.path()) + " --set stream.midstream-policy=pass-flow");
  ASSERT_EQ(r2.rc, 0) << r2.out;
  EXPECT_EQ(CountWith(ReadLines(off / "eve.json"), "\"signature_id\":7,"), 0u);
  auto bad = Sensor(base + " -l " + ShellQuote(off.path()) + " --set stream.midstream-policy=bypass");
  EXPECT_NE(bad.rc, 0) << "bypass is not valid with midstream pick-up on: " << bad.out;
}

}  // namespace
}  // namespace vigil::sensor
