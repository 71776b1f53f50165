#include "core/log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace vigil {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "vigil_log_test_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".log";
    std::remove(path_.c_str());
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
};

TEST_F(LogTest, WritesFormattedTimestampedLinesToFile) {
  ManualClock clock(Timestamp::FromSeconds(1795453200));  // 2026-11-23T17:00:00Z
  {
    auto log = Logger::Open({.level = LogLevel::kInfo, .path = path_}, &clock);
    ASSERT_TRUE(log.ok()) << log.error().message;
    (*log)->Info("sensor", "loaded {} rules from {}", 31021, "et.rules");
    (*log)->Debug("sensor", "dropped: below the level {}", 1);
    clock.Advance(1500);  // 1.5 us
    (*log)->Error("capture", "interface {} is down\nretrying", "eth0");
  }
  EXPECT_EQ(ReadAll(path_),
            "2026-11-23T17:00:00.000000+0000 [info] sensor: loaded 31021 rules from et.rules\n"
            "2026-11-23T17:00:00.000001+0000 [error] capture: interface eth0 is down | retrying\n");
}

TEST_F(LogTest, LevelCanChangeAtRunTime) {
  auto log = Logger::Open({.level = LogLevel::kWarning, .path = path_});
  ASSERT_TRUE(log.ok());
  Logger& l = **log;
  l.Notice("c", "hidden");
  EXPECT_FALSE(l.Enabled(LogLevel::kInfo));
  l.set_level(LogLevel::kDebug);
  EXPECT_EQ(l.level(), LogLevel::kDebug);
  l.Debug("c", "shown {}", 1);
  l.Warning("c", "also");
  std::string text = ReadAll(path_);
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find("[debug] c: shown 1\n"), std::string::npos);
  EXPECT_NE(text.find("[warning] c: also\n"), std::string::npos);
}

TEST_F(LogTest, ConcurrentWritersNeverInterleaveLines) {
  auto log = Logger::Open({.level = LogLevel::kInfo, .path = path_});
  ASSERT_TRUE(log.ok());
  constexpr int kThreads = 4, kLines = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLines; ++i) (*log)->Info("worker", "thread {} line {} {}", t, i, std::string(50, 'x'));
    });
  }
  for (auto& th : threads) th.join();
  std::istringstream in(ReadAll(path_));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    EXPECT_NE(line.find("[info] worker: thread "), std::string::npos) << line;
    EXPECT_EQ(line.substr(line.size() - 50), std::string(50, 'x'));
  }
  EXPECT_EQ(n, kThreads * kLines);
}

TEST_F(LogTest, OpenFailsWithReason) {
  auto log = Logger::Open({.path = "/nonexistent-dir/x/y.log"});
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, ErrorCode::kIo);
  EXPECT_NE(log.error().message.find("/nonexistent-dir/x/y.log"), std::string::npos);
}

TEST(LogLevel, ParseAndName) {
  EXPECT_EQ(*ParseLogLevel("WARN"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("notice"), LogLevel::kNotice);
  EXPECT_FALSE(ParseLogLevel("loud").ok());
  EXPECT_EQ(LogLevelName(LogLevel::kDebug), "debug");
}

}  // namespace
}  // namespace vigil
