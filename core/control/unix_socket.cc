#include "core/control/unix_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/time.h"

namespace vigil::control {
namespace {

Error Errno(ErrorCode code, std::string_view what, const std::string& path, int err) {
  return Error(code, fmt::format("{} {}: {}", what, path, std::strerror(err)));
}

Result<sockaddr_un> Address(const std::string& path) {
  if (path.empty()) return Error(ErrorCode::kInvalidArgument, "control socket path is empty");
  if (path.size() > kMaxUnixPathBytes) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("control socket path {} is too long ({} bytes, at most {})", path,
                             path.size(), kMaxUnixPathBytes));
  }
  if (path.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, "control socket path contains a NUL byte");
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

Result<UniqueFd> NewSocket() {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Error(ErrorCode::kIo, fmt::format("socket(AF_UNIX): {}", std::strerror(errno)));
  return fd;
}

// Whether some process accepts connections on path right now.
bool SomeoneListens(const sockaddr_un& addr) {
  auto fd = NewSocket();
  if (!fd) return false;
  return ::connect(fd->get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) reset(o.release());
  return *this;
}

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Result<UniqueFd> ListenUnix(const std::string& path, unsigned mode) {
  VIGIL_TRY(const sockaddr_un addr, Address(path));
  VIGIL_TRY(UniqueFd fd, NewSocket());
  const auto* sa = reinterpret_cast<const sockaddr*>(&addr);
  if (::bind(fd.get(), sa, sizeof(addr)) != 0) {
    if (errno != EADDRINUSE) return Errno(ErrorCode::kIo, "cannot bind control socket", path, errno);
    struct stat st{};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("cannot bind control socket {}: the path exists and is not a socket", path));
    }
    if (SomeoneListens(addr)) {
      return Error(ErrorCode::kUnavailable,
                   fmt::format("another process serves the control socket {} (a second daemon with "
                               "the same control.socket?)", path));
    }
    ::unlink(path.c_str());  // stale: left by a daemon that did not stop cleanly
    if (::bind(fd.get(), sa, sizeof(addr)) != 0) {
      return Errno(ErrorCode::kIo, "cannot bind control socket", path, errno);
    }
  }
  if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return Errno(ErrorCode::kIo, "cannot chmod control socket", path, err);
  }
  if (::listen(fd.get(), 16) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return Errno(ErrorCode::kIo, "cannot listen on control socket", path, err);
  }
  if (::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return Errno(ErrorCode::kIo, "fcntl on control socket", path, err);
  }
  return fd;
}

Result<UniqueFd> ConnectUnix(const std::string& path, int timeout_ms) {
  VIGIL_TRY(const sockaddr_un addr, Address(path));
  VIGIL_TRY(UniqueFd fd, NewSocket());
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ECONNREFUSED) {
      return Errno(ErrorCode::kUnavailable, "no daemon answers on", path, err);
    }
    if (err == EACCES || err == EPERM) return Errno(ErrorCode::kPermission, "cannot connect to", path, err);
    if (err == ENOTSOCK) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("{} is not a socket", path));
    }
    if (err != EINPROGRESS && err != EAGAIN) return Errno(ErrorCode::kIo, "cannot connect to", path, err);
    const int64_t deadline = MonotonicNanos() + int64_t{timeout_ms} * kNanosPerMilli;
    if (!WaitFd(fd.get(), POLLOUT, deadline)) {
      return Error(ErrorCode::kUnavailable,
                   fmt::format("no answer from {} within {} ms (daemon busy or stuck?)", path, timeout_ms));
    }
    int soerr = 0;
    socklen_t len = sizeof(soerr);
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &soerr, &len);
    if (soerr != 0) return Errno(ErrorCode::kUnavailable, "no daemon answers on", path, soerr);
  }
  return fd;
}

bool WaitFd(int fd, short events, int64_t deadline_ns) {
  for (;;) {
    const int64_t left = deadline_ns - MonotonicNanos();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>((left + kNanosPerMilli - 1) / kNanosPerMilli));
    if (n > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
    if (n < 0 && errno != EINTR) return false;
  }
}

Status SendAll(int fd, std::string_view data, int64_t deadline_ns) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitFd(fd, POLLOUT, deadline_ns)) return Error(ErrorCode::kUnavailable, "send timed out");
      continue;
    }
    return Error(ErrorCode::kIo, fmt::format("send: {}", std::strerror(errno)));
  }
  return Ok();
}

}  // namespace vigil::control
