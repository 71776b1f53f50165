// RunShell: runs a shell command line for a test, stdout and stderr together, and returns its
// exit status (-1 when it did not exit normally or could not start) with the output.
//
//   const ShellOutput o = RunShell(vigil + " rules check --help");
//   EXPECT_EQ(o.status, 0) << o.text;
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace vigil::test_support {

struct ShellOutput {
  int status = -1;
  std::string text;  // stdout and stderr together
};

inline ShellOutput RunShell(const std::string& command) {
  ShellOutput out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.text.append(buf, n);
  const int st = ::pclose(p);
  out.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

}  // namespace vigil::test_support
