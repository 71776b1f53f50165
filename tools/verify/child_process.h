// RunChildProcess: runs a program (no shell) with stdout and stderr sent to files, and waits
// for it up to a time limit; past the limit its whole process group is killed (SIGKILL).
//
//   auto r = RunChildProcess({"vigil-sensor", "-r", "x.pcap"}, "out/stdout", "out/stderr", 60s);
//   if (r.timed_out) ...; else if (r.signal) ...; else if (r.exit_code != 0) ...;
//
// Waiting uses a pidfd (poll with a timeout); where pidfd_open is unavailable it falls back to
// polling waitpid every few milliseconds. Safe to call from several threads at once.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace vigil::verify {

struct ChildResult {
  bool started = false;   // false: fork or exec failed (exit_code 127 for exec)
  int exit_code = -1;     // valid when the child exited normally
  int signal = 0;         // the signal that ended it, 0 if none
  bool timed_out = false;
  double seconds = 0;
  std::string error;      // why it did not start
};

ChildResult RunChildProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
                            const std::string& stderr_path, std::chrono::milliseconds timeout);

}  // namespace vigil::verify
