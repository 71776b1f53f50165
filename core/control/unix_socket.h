// UnixSocket: the local (AF_UNIX stream) sockets of the control channel, as move-only RAII
// handles. The listener side binds a filesystem path (refusing to steal it from a live daemon,
// replacing a stale socket file left by a crash); the client side connects with a deadline.
//
//   VIGIL_TRY(UniqueFd listener, ListenUnix("/run/vigil/vigil-sensor-eth1.sock", 0660));
//   VIGIL_TRY(UniqueFd conn, ConnectUnix(path, 2000));
//
// Nothing here knows the request format (control_request.h) or what is served (control_server.h).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::control {

// An owned file descriptor; closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// Longest path a sockaddr_un holds (without the terminating NUL).
constexpr size_t kMaxUnixPathBytes = 107;

// Binds and listens on `path` with the given file mode. If the path holds a socket that nobody
// answers on (a daemon that crashed), it is replaced; a socket that answers is an error naming
// the path ("another process serves ..."); a path that is not a socket is never removed.
[[nodiscard]] Result<UniqueFd> ListenUnix(const std::string& path, unsigned mode);

// Connects to `path`, waiting at most timeout_ms. "not running" errors (no such file, connection
// refused) are kUnavailable; a path that is too long or not a socket is kInvalidArgument.
[[nodiscard]] Result<UniqueFd> ConnectUnix(const std::string& path, int timeout_ms);

// Waits until fd is readable (POLLIN) or writable (POLLOUT) or the deadline (MonotonicNanos)
// passes. false on timeout or error.
bool WaitFd(int fd, short events, int64_t deadline_ns);

// Sends all of `data` before the deadline (MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE).
[[nodiscard]] Status SendAll(int fd, std::string_view data, int64_t deadline_ns);

}  // namespace vigil::control
