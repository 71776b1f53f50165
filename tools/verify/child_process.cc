#include "tools/verify/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil::verify {

namespace {

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

double Since(const timespec& start) {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec - start.tv_sec) + static_cast<double>(now.tv_nsec - start.tv_nsec) / 1e9;
}

void Decode(int status, ChildResult* r) {
  if (WIFEXITED(status)) r->exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r->signal = WTERMSIG(status);
}

}  // namespace

ChildResult RunChildProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
                            const std::string& stderr_path, std::chrono::milliseconds timeout) {
  ChildResult r;
  if (argv.empty()) {
    r.error = "empty command";
    return r;
  }
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  UniqueFd out(open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  UniqueFd err(open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (out.get() < 0 || err.get() < 0) {
    r.error = std::string("cannot create output files: ") + std::strerror(errno);
    return r;
  }
  timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  const pid_t pid = fork();
  if (pid < 0) {
    r.error = std::string("fork: ") + std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out.get(), STDOUT_FILENO);
    dup2(err.get(), STDERR_FILENO);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also from here, so the group exists before any kill
  r.started = true;
  int status = 0;
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  const double limit = static_cast<double>(timeout.count()) / 1000.0;
  bool done = false;
  while (!done) {
    const double left = limit - Since(start);
    if (left <= 0) break;
    if (pidfd.get() >= 0) {
      pollfd p{pidfd.get(), POLLIN, 0};
      const int n = poll(&p, 1, static_cast<int>(left * 1000) + 1);
      if (n < 0 && errno != EINTR) break;
      if (n > 0 && waitpid(pid, &status, WNOHANG) == pid) done = true;
    } else {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        done = true;
      } else {
        timespec nap{0, 5 * 1000 * 1000};
        nanosleep(&nap, nullptr);
      }
    }
  }
  if (!done) {
    r.timed_out = true;
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  Decode(status, &r);
  r.seconds = Since(start);
  return r;
}

}  // namespace vigil::verify
