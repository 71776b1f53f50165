// Daemon: a program started in the background for an end-to-end test (fork + execv, no shell),
// in its own process group, stdout and stderr to files. Stop() sends SIGTERM and waits for the
// exit; Wait() waits for it to end by itself; both kill the group with SIGKILL past their time
// limit. The destructor kills whatever still runs, so a failed assertion leaves no process.
//
//   auto d = Daemon::Start({bin + "/vigil-correlator", "-c", cfg}, dir + "/stdout", dir + "/stderr");
//   ASSERT_TRUE(d.ok()) << d.error().message;
//   ...
//   EXPECT_EQ((*d)->Stop(std::chrono::seconds(30)), 0);
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigil::e2e {

class Daemon {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Daemon>> Start(const std::vector<std::string>& argv,
                                                             const std::string& stdout_path,
                                                             const std::string& stderr_path);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Exit status: the exit code, 128 + signal when a signal ended it, -1 when it had to be
  // killed at the limit (or waiting failed).
  int Wait(std::chrono::milliseconds limit);
  int Stop(std::chrono::milliseconds limit);  // SIGTERM, then Wait
  bool running();
  pid_t pid() const { return pid_; }

 private:
  explicit Daemon(pid_t pid) : pid_(pid) {}
  void Kill();

  pid_t pid_;
  bool reaped_ = false;
  int status_ = -1;
};

// Polls `path` until a line contains `needle` (returns that line), the daemon ends, or the
// limit passes (an error saying which).
Result<std::string> WaitForLine(Daemon& d, const std::string& path, const std::string& needle,
                                std::chrono::milliseconds limit);

}  // namespace vigil::e2e
