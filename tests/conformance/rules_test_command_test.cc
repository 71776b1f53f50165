// `vigil rules test` (tools/vigil/rules_test_command.cc) through the real `vigil` binary with a
// stand-in sensor: the alert table, --expect pass/fail and the exit statuses 0, 1 and 2; and the
// alert table on its own.
#include <gtest/gtest.h>

#include "tests/support/run_command.h"
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>

#include "tests/conformance/conformance_test_util.h"
#include "tools/verify/alert_table.h"
#include "tools/verify/filter_check.h"

namespace vigil::verify {
namespace {

using testing::kFakeSensor;
using testing::TempDir;

using Output = vigil::test_support::ShellOutput;
using vigil::test_support::RunShell;

class RulesTestCommand : public ::testing::Test {
 protected:
  RulesTestCommand() : dir_("rules_test_cmd") {
    const char* bin = std::getenv("VIGIL_BINARY_DIR");
    vigil_ = std::string(bin != nullptr ? bin : "build") + "/bin/vigil";
    sensor_ = dir_.Write("fake-sensor", kFakeSensor).string();
    chmod(sensor_.c_str(), 0755);
    pcap_ = dir_.Write("input.pcap", "x").string();
    crash_ = dir_.Write("crash.pcap", "x").string();
    rules_ = dir_.Write("my.rules",
                        "alert tcp any any -> any any (msg:\"fire one\"; sid:11;)\n"
                        "alert tcp any any -> any any (msg:\"quiet\"; sid:12;)\n")
                 .string();
  }
  std::string Command(const std::string& pcap, const std::string& extra) const {
    return vigil_ + " rules test --sensor " + sensor_ + " --pcap " + pcap + " --rules " + rules_ + " " + extra;
  }
  TempDir dir_;
  std::string vigil_, sensor_, pcap_, crash_, rules_;
};

TEST_F(RulesTestCommand, PrintsTheAlerts) {
  const Output o = RunShell(Command(pcap_, "-k none"));
  EXPECT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("10.0.0.1:1234 -> 10.0.0.2:80"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("11"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("1 alert"), std::string::npos) << o.text;
}

TEST_F(RulesTestCommand, ExpectationsPassAndFail) {
  const std::string good = dir_.Write("good.yaml", "checks:\n  - filter:\n      count: 1\n      match:\n"
                                                   "        event_type: alert\n        alert.signature_id: 11\n"
                                                   "  - filter:\n      count: 0\n      match:\n"
                                                   "        alert.signature_id: 12\n").string();
  const Output pass = RunShell(Command(pcap_, "--expect " + good));
  EXPECT_EQ(pass.status, 0) << pass.text;
  EXPECT_NE(pass.text.find("2 of 2 checks passed"), std::string::npos) << pass.text;

  const std::string bad = dir_.Write("bad.yaml", "checks:\n  - filter:\n      count: 1\n      match:\n"
                                                 "        event_type: alert\n        alert.signature_id: 12\n").string();
  const Output fail = RunShell(Command(pcap_, "--expect " + bad));
  EXPECT_EQ(fail.status, 1) << fail.text;
  EXPECT_NE(fail.text.find("FAIL check 1 (expected count 1 got 0"), std::string::npos) << fail.text;

  const std::string broken = dir_.Write("broken.yaml", "checks:\n  - filter: {match: {}}\n").string();
  EXPECT_EQ(RunShell(Command(pcap_, "--expect " + broken)).status, 2);
}

TEST_F(RulesTestCommand, SensorFailureIsExitTwo) {
  const Output o = RunShell(Command(crash_, ""));
  EXPECT_EQ(o.status, 2) << o.text;
  EXPECT_NE(o.text.find("signal 11"), std::string::npos) << o.text;
}

TEST(AlertTable, ReadsAlertsOnly) {
  TempDir t("alert_table");
  const auto eve = t.Write("eve.json",
                           "{\"event_type\":\"flow\"}\n"
                           "{\"event_type\":\"alert\",\"pcap_cnt\":3,\"src_ip\":\"2001:db8::1\",\"src_port\":53,"
                           "\"dest_ip\":\"10.0.0.1\",\"dest_port\":999,\"alert\":{\"signature_id\":9,\"signature\":\"m\"}}\n"
                           "not json\n");
  auto rows = ReadAlerts(eve.string());
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(rows->malformed_lines, 1u);
  EXPECT_EQ(rows->rows[0].pcap_cnt, 3);
  EXPECT_EQ(rows->rows[0].sid, 9);
  EXPECT_EQ(rows->rows[0].src, "[2001:db8::1]:53");
  const std::string table = FormatAlertTable(rows->rows);
  EXPECT_NE(table.find("[2001:db8::1]:53 -> 10.0.0.1:999"), std::string::npos) << table;
  EXPECT_FALSE(ReadAlerts((t.path() / "missing.json").string()).ok());
}

TEST(LoadChecksFile, NeedsAChecksList) {
  TempDir t("checks_file");
  EXPECT_TRUE(LoadChecksFile(t.Write("a.yaml", "checks:\n  - filter: {count: 0, match: {}}\n").string()).ok());
  EXPECT_FALSE(LoadChecksFile(t.Write("b.yaml", "nothing: here\n").string()).ok());
  EXPECT_FALSE(LoadChecksFile(t.Write("c.yaml", "checks: [\n").string()).ok());
  EXPECT_FALSE(LoadChecksFile((t.path() / "none.yaml").string()).ok());
}

}  // namespace
}  // namespace vigil::verify
