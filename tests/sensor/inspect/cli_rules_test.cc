// vigil-sensor's rule options as the conformance runner drives them: -S, -s, -T, -k none,
// --runmode single, -l; load summary on stderr; missing rule file → exit 1.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "inspect_test_util.h"

namespace vigil::sensor::inspect_test {
namespace {

CommandResult Sensor(const std::string& args) {
  return RunCommand((BinaryDir() / "bin" / "vigil-sensor").string() + " " + args);
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

class CliRules : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(BinaryDir() / "bin" / "vigil-sensor")) {
      GTEST_FAIL() << "vigil-sensor not built";
    }
    pcap_ = dir_ / "http.pcap";
    PcapBuilder pcap(pcap_);
    TcpConn c(pcap, "10.0.0.5", "198.51.100.7", 40000, 80);
    c.Handshake();
    c.ToServer("GET /admin HTTP/1.1\r\nHost: a.example\r\n\r\n");
    c.ToClient("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    c.Close();
    WriteFile(dir_ / "a.rules",
              "alert http any any -> any any (msg:\"a\"; http.uri; content:\"/admin\"; sid:1;)\n"
              "alert tcp any any -> any any (msg:\"broken\"; content:\"x\"; bogus_kw; sid:2;)\n");
    WriteFile(dir_ / "b.rules",
              "alert http any any -> any any (msg:\"b\"; http.host; content:\"a.example\"; sid:3;)\n");
  }
  TempDir dir_;
  std::string pcap_;
};

TEST_F(CliRules, DashSLoadsOnlyTheGivenFilesAndSkipsBadRules) {
  const std::string out = dir_ / "out";
  std::filesystem::create_directory(out);
  CommandResult r = Sensor("-r " + pcap_ + " -l " + out + " -S " + (dir_ / "a.rules") +
                 " -k none --runmode single -q");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("2 seen, 1 compiled"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bogus_kw"), std::string::npos) << "skip reason printed\n" << r.out;
  const std::string eve = ReadAll(out + "/eve.json");
  EXPECT_NE(eve.find("\"signature_id\":1,"), std::string::npos) << eve;
  EXPECT_EQ(eve.find("\"signature_id\":3,"), std::string::npos);
}

TEST_F(CliRules, ConfigRuleFilesWithDefaultPathAndLowercaseSAdds) {
  const std::string cfg = dir_ / "s.yaml";
  WriteFile(cfg, "default-rule-path: " + dir_.path().string() + "\nrule-files:\n  - a.rules\n");
  const std::string out = dir_ / "out2";
  std::filesystem::create_directory(out);
  CommandResult r = Sensor("-c " + cfg + " -r " + pcap_ + " -l " + out + " -s " + (dir_ / "b.rules") +
                 " -k none --runmode single -q");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("2 file(s)"), std::string::npos) << r.out;
  const std::string eve = ReadAll(out + "/eve.json");
  EXPECT_NE(eve.find("\"signature_id\":1,"), std::string::npos) << eve;
  EXPECT_NE(eve.find("\"signature_id\":3,"), std::string::npos) << eve;
  // -S replaces the config's list.
  CommandResult only = Sensor("-T -c " + cfg + " -S " + (dir_ / "b.rules"));
  ASSERT_EQ(only.rc, 0) << only.out;
  EXPECT_NE(only.out.find("1 file(s)"), std::string::npos) << only.out;
}

TEST_F(CliRules, MissingRuleFileExitsOne) {
  CommandResult r = Sensor("-r " + pcap_ + " -l " + dir_.path().string() + " -S " + (dir_ / "nope.rules"));
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_NE(r.out.find("nope.rules"), std::string::npos) << r.out;
  CommandResult t = Sensor("-T -S " + (dir_ / "nope.rules"));
  EXPECT_EQ(t.rc, 1) << t.out;
}

TEST_F(CliRules, TestModeCompilesRules) {
  CommandResult r = Sensor("-T -S " + (dir_ / "a.rules") + " --set vars.address-groups.HOME_NET=[10.0.0.0/8]");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("1 compiled"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("is valid"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace vigil::sensor::inspect_test
