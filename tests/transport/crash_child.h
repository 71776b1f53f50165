// Crash tests: run part of a test in a child process that dies by SIGKILL, then check in the
// parent that the on-disk state survived. The child is this same test binary re-executed with
// a gtest filter selecting a "child" test and an environment variable telling it where to work;
// re-executing (rather than only forking) gives the child a clean process with RocksDB's and
// ZeroMQ's threads of its own.
#pragma once

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace vigil::testing {

// Runs `/proc/self/exe --gtest_filter=<filter>` with VIGIL_CRASH_DIR=<dir>; returns the signal
// that ended it (0 if it exited normally).
inline int RunCrashChild(const std::string& filter, const std::string& dir) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("VIGIL_CRASH_DIR", dir.c_str(), 1);
    std::string f = "--gtest_filter=" + filter;
    char* argv[] = {const_cast<char*>("child"), f.data(), nullptr};
    ::execv("/proc/self/exe", argv);
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

// Starts the same child as RunCrashChild but does not wait: the caller kills it (KillChild)
// while it runs, e.g. a receiver killed in the middle of a stream.
inline pid_t SpawnCrashChild(const std::string& filter, const std::string& dir) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("VIGIL_CRASH_DIR", dir.c_str(), 1);
    std::string f = "--gtest_filter=" + filter;
    char* argv[] = {const_cast<char*>("child"), f.data(), nullptr};
    ::execv("/proc/self/exe", argv);
    ::_exit(127);
  }
  return pid;
}

// SIGKILLs a spawned child and reaps it; returns the signal that ended it (0: it had exited).
inline int KillChild(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

// In a child test: the directory to work in, or nullptr when running as a normal test.
inline const char* CrashDir() { return std::getenv("VIGIL_CRASH_DIR"); }

// Dies without any cleanup: no destructors, no RocksDB close, no flush.
[[noreturn]] inline void DieNow() {
  ::kill(::getpid(), SIGKILL);
  for (;;) ::pause();
}

}  // namespace vigil::testing
