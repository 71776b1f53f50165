// The vigil-sensor command line, run as a process ($VIGIL_BINARY_DIR/bin/vigil-sensor): help,
// unknown flags with a hint, -T on good and bad configs, missing inputs, and a real offline run
// writing LOGDIR/eve.json with the summary on stdout.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vigil::sensor
