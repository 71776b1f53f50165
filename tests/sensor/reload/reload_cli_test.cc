// vigil-sensor reloads its rules on SIGHUP while it reads a FIFO that a test thread keeps
// feeding: the new rules go live (log line, stats event), capture never stops, and every packet
// written raised the alert of the rule both sets share.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/sensor/reload/reload_test_util.h"

extern char** environ;

namespace vigil::sensor {
namespace {

using reload_test::FifoReplay;
using reload_test::TempDir;
using reload_test::WriteFile;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Polls `done` every 10 ms up to `limit`: a separate process gives no other signal to wait on.
template <typename F>
bool PollUntil(F done, std::chrono::seconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::string Rules(int gen) {
  return "alert udp any any -> any 9999 (msg:\"always\"; content:\"VIGILMARK\"; sid:1;)\n"
         "alert udp any any -> any 9999 (msg:\"generation\"; content:\"VIGILMARK\"; sid:" +
         std::to_string(1000 + gen) + ";)\n";
}


// vigil-sensor reading `replay`'s FIFO with `rules`, stderr to a file; the replay is stopped
// and the process reaped (killed if it did not end) however the test ends.
class SensorProcess {
 public:
  SensorProcess(const TempDir& dir, FifoReplay& replay, const std::string& rules,
                const std::string& extra)
      : replay_(replay), err_(dir / "stderr.log") {
    const std::string cmd = "exec " + pipeline_test::SensorBinary().string() + " -r " +
                            replay.path() + " -S " + rules + " -l " + dir.path().string() +
                            " -k none -q " + extra + " 2> " + err_;
    const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
    started_ = posix_spawn(&pid_, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv),
                           environ) == 0;
    if (started_) replay_.Start();
  }
  ~SensorProcess() {
    replay_.Stop();
    replay_.Join();
    if (started_ && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status_, 0);
    }
  }
  bool started() const { return started_; }
  pid_t pid() const { return pid_; }
  std::string err() const { return ReadAll(err_); }
  bool Logged(std::string_view what, std::chrono::seconds limit) const {
    return PollUntil([&] { return err().find(what) != std::string::npos; }, limit);
  }
  // Ends the replay (EOF) and waits for the sensor to exit; true when it exited with 0.
  bool FinishOk(std::chrono::seconds limit) {
    replay_.Stop();
    replay_.Join();
    if (!PollUntil(
            [&] {
              reaped_ = ::waitpid(pid_, &status_, WNOHANG) == pid_;
              return reaped_;
            },
            limit)) {
      return false;
    }
    return WIFEXITED(status_) && WEXITSTATUS(status_) == 0;
  }

 private:
  FifoReplay& replay_;
  std::string err_;
  pid_t pid_ = 0;
  bool started_ = false;
  bool reaped_ = false;
  int status_ = -1;
};

TEST(ReloadCliTest, SighupReloadsTheRulesWithoutStoppingCapture) {
  ASSERT_TRUE(std::filesystem::exists(pipeline_test::SensorBinary()));
  TempDir dir;
  const std::string rules = dir / "local.rules";
  WriteFile(rules, Rules(1));
  FifoReplay replay(dir / "in.pcap");
  SensorProcess sensor(dir, replay, rules,
                       "--runmode workers --threads 2 --set stats.interval=1s");
  ASSERT_TRUE(sensor.started());
  const auto kLimit = std::chrono::seconds(20);
  ASSERT_TRUE(sensor.Logged("generation 1 live", kLimit)) << sensor.err();
  ASSERT_TRUE(PollUntil([&] { return replay.packets() >= 2000; }, kLimit));
  WriteFile(rules, Rules(2));
  ASSERT_EQ(::kill(sensor.pid(), SIGHUP), 0);
  ASSERT_TRUE(sensor.Logged("generation 2 live", kLimit)) << sensor.err();
  const uint64_t after_reload = replay.packets();
  ASSERT_TRUE(PollUntil([&] { return replay.packets() >= after_reload + 2000; }, kLimit));
  ASSERT_TRUE(sensor.FinishOk(kLimit)) << sensor.err();
  const uint64_t written = replay.packets();

  std::map<uint64_t, uint64_t> alerts;
  simdjson::dom::parser parser;
  simdjson::dom::element last_stats;
  std::string last_stats_line;
  std::ifstream eve(dir / "eve.json");
  for (std::string line; std::getline(eve, line);) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
    std::string_view type;
    if (doc["event_type"].get(type) != simdjson::SUCCESS) continue;
    uint64_t sid = 0;
    if (type == "alert" && doc["alert"]["signature_id"].get(sid) == simdjson::SUCCESS) ++alerts[sid];
    if (type == "stats") last_stats_line = line;
  }
  EXPECT_EQ(alerts[1], written);             // capture never stopped, no packet lost
  EXPECT_GT(alerts[1001], 0u);               // the start's rules alerted
  EXPECT_GE(alerts[1002], 2000u);            // and the reloaded ones took over
  EXPECT_EQ(alerts[1001] + alerts[1002], written);

  // The final stats event names the live rule set.
  ASSERT_FALSE(last_stats_line.empty());
  simdjson::dom::element stats;
  ASSERT_EQ(parser.parse(last_stats_line).get(stats), simdjson::SUCCESS);
  uint64_t generation = 0, reloads = 0, failures = 9, rule_count = 0, packets = 0;
  std::string_view version, sha;
  EXPECT_EQ(stats["stats"]["detect"]["ruleset"]["generation"].get(generation), simdjson::SUCCESS);
  EXPECT_EQ(stats["stats"]["detect"]["ruleset"]["reloads"].get(reloads), simdjson::SUCCESS);
  EXPECT_EQ(stats["stats"]["detect"]["ruleset"]["reload_failures"].get(failures),
            simdjson::SUCCESS);
  EXPECT_EQ(stats["stats"]["detect"]["ruleset"]["rules"].get(rule_count), simdjson::SUCCESS);
  EXPECT_EQ(stats["stats"]["detect"]["ruleset"]["version"].get(version), simdjson::SUCCESS);
  EXPECT_EQ(stats["stats"]["detect"]["ruleset"]["sha256"].get(sha), simdjson::SUCCESS);
  EXPECT_EQ(stats["stats"]["capture"]["packets"].get(packets), simdjson::SUCCESS);
  EXPECT_EQ(generation, 2u);
  EXPECT_EQ(reloads, 1u);
  EXPECT_EQ(failures, 0u);
  EXPECT_EQ(rule_count, 2u);
  EXPECT_EQ(version, "files");
  EXPECT_EQ(sha.size(), 64u);
  EXPECT_EQ(packets, written);
}

TEST(ReloadCliTest, SighupWithABrokenRuleFileKeepsTheOldRules) {
  ASSERT_TRUE(std::filesystem::exists(pipeline_test::SensorBinary()));
  TempDir dir;
  const std::string rules = dir / "local.rules";
  WriteFile(rules, Rules(1));
  FifoReplay replay(dir / "in.pcap");
  SensorProcess sensor(dir, replay, rules, "--runmode single");
  ASSERT_TRUE(sensor.started());
  const auto kLimit = std::chrono::seconds(20);
  ASSERT_TRUE(sensor.Logged("generation 1 live", kLimit)) << sensor.err();
  std::filesystem::remove(rules);
  ASSERT_EQ(::kill(sensor.pid(), SIGHUP), 0);
  ASSERT_TRUE(sensor.Logged("reload failed, generation 1 stays live", kLimit)) << sensor.err();
  const uint64_t after = replay.packets();
  ASSERT_TRUE(PollUntil([&] { return replay.packets() >= after + 500; }, kLimit));
  ASSERT_TRUE(sensor.FinishOk(kLimit)) << sensor.err();
  const std::string eve = ReadAll(dir / "eve.json");
  size_t n = 0;
  for (size_t at = eve.find("\"signature_id\":1001"); at != std::string::npos;
       at = eve.find("\"signature_id\":1001", at + 1)) {
    ++n;
  }
  EXPECT_EQ(n, replay.packets());  // the old rules kept alerting on every packet
  EXPECT_NE(eve.find("\"reload_failures\":1"), std::string::npos);
}

}  // namespace
}  // namespace vigil::sensor
