#include "tests/e2e/daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

namespace vigil::e2e {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(20);

int Decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

Result<std::unique_ptr<Daemon>> Daemon::Start(const std::vector<std::string>& argv,
                                              const std::string& stdout_path,
                                              const std::string& stderr_path) {
  if (argv.empty()) return Error(ErrorCode::kInvalidArgument, "daemon: empty command");
  if (::access(argv[0].c_str(), X_OK) != 0) {
    return Error(ErrorCode::kNotFound, "daemon: " + argv[0] + " is not an executable (built?)");
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return Error(ErrorCode::kIo, std::string("daemon: fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::setpgid(0, 0);
    const int out = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
    sigset_t none;  // gtest or the parent may have blocked signals; the daemon needs its own
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // both sides, so no race with the first kill
  return std::unique_ptr<Daemon>(new Daemon(pid));
}

Daemon::~Daemon() {
  if (!reaped_) Kill();
}

void Daemon::Kill() {
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  int st = 0;
  if (::waitpid(pid_, &st, 0) == pid_) status_ = Decode(st);
  reaped_ = true;
}

bool Daemon::running() {
  if (reaped_) return false;
  int st = 0;
  const pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    status_ = Decode(st);
    return false;
  }
  return r == 0;
}

int Daemon::Wait(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      Kill();
      return -1;
    }
    std::this_thread::sleep_for(kPoll);
  }
  return status_;
}

int Daemon::Stop(std::chrono::milliseconds limit) {
  if (!reaped_) ::kill(pid_, SIGTERM);
  return Wait(limit);
}

Result<std::string> WaitForLine(Daemon& d, const std::string& path, const std::string& needle,
                                std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find(needle) != std::string::npos) return line;
    }
    if (!d.running()) {
      return Error(ErrorCode::kUnavailable, "process ended before '" + needle + "' appeared in " + path);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error(ErrorCode::kUnavailable, "'" + needle + "' did not appear in " + path + " in time");
    }
    std::this_thread::sleep_for(kPoll);
  }
}

}  // namespace vigil::e2e
