#include "core/control/control_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/control/unix_socket.h"
#include "core/time.h"

namespace vigil::control {

Result<std::string> QueryControl(const std::string& path, std::string_view request, int timeout_ms) {
  const int64_t deadline = MonotonicNanos() + int64_t{timeout_ms} * kNanosPerMilli;
  VIGIL_TRY(UniqueFd fd, ConnectUnix(path, timeout_ms));
  std::string line(request);
  line += '\n';
  if (auto st = SendAll(fd.get(), line, deadline); !st) {
    return Error(st.error().code, fmt::format("{}: {}", path, st.error().message));
  }
  ::shutdown(fd.get(), SHUT_WR);
  std::string reply;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd.get(), buf, sizeof(buf), 0);
    if (n > 0) {
      reply.append(buf, static_cast<size_t>(n));
      if (reply.size() > kMaxControlReplyBytes) {
        return Error(ErrorCode::kLimit, fmt::format("{}: reply longer than {} bytes", path, kMaxControlReplyBytes));
      }
    } else if (n == 0) {
      break;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!WaitFd(fd.get(), POLLIN, deadline)) {
        return Error(ErrorCode::kUnavailable,
                     fmt::format("{}: no reply within {} ms (daemon busy or stuck?)", path, timeout_ms));
      }
    } else {
      return Error(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
    }
  }
  if (reply.empty()) return Error(ErrorCode::kUnavailable, fmt::format("{}: empty reply", path));
  while (!reply.empty() && reply.back() == '\n') reply.pop_back();
  return reply;
}

}  // namespace vigil::control
