#include "core/control/control_server.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/control/control_request.h"
#include "core/time.h"

namespace vigil::control {
namespace {

std::string ErrorReply(std::string_view message) {
  JsonWriter w;
  w.BeginObject();
  w.KeyString("error", message);
  w.EndObject();
  return std::string(w.view());
}

std::string PingReply(const StatusReport& report) {
  JsonWriter w;
  w.BeginObject();
  w.KeyBool("pong", true);
  w.KeyString("program", report.program());
  w.KeyString("version", VigilVersion());
  w.EndObject();
  return std::string(w.view());
}

std::string HelpReply() {
  JsonWriter w;
  w.BeginObject();
  w.KeyArray("requests");
  for (std::string_view h : kControlHelp) w.String(h);
  w.EndArray();
  w.EndObject();
  return std::string(w.view());
}

}  // namespace

std::string ControlReply(std::string_view request, const StatusReport& report) {
  auto req = ParseControlRequest(request);
  std::string out;
  if (!req) {
    out = ErrorReply(req.error().message);
  } else {
    switch (req->verb) {
      case ControlVerb::kStatus: out = report.Json(); break;
      case ControlVerb::kPing: out = PingReply(report); break;
      case ControlVerb::kHelp: out = HelpReply(); break;
    }
  }
  out += '\n';
  return out;
}

Result<std::unique_ptr<ControlServer>> ControlServer::Start(ControlServerOptions options,
                                                            const StatusReport& report, Logger* log) {
  VIGIL_TRY(auto server, Bind(std::move(options), report, log));
  server->Serve();
  return server;
}

void ControlServer::Serve() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
}

Result<std::unique_ptr<ControlServer>> ControlServer::Bind(ControlServerOptions options,
                                                           const StatusReport& report, Logger* log) {
  VIGIL_TRY(UniqueFd listener, ListenUnix(options.path, options.mode));
  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake.valid()) {
    ::unlink(options.path.c_str());
    return Error(ErrorCode::kIo, fmt::format("eventfd: {}", std::strerror(errno)));
  }
  std::unique_ptr<ControlServer> s(
      new ControlServer(std::move(options), report, log, std::move(listener), std::move(wake)));
  struct stat st{};
  if (::lstat(s->options_.path.c_str(), &st) == 0) {
    s->dev_ = st.st_dev;
    s->ino_ = st.st_ino;
  }
  return s;
}

ControlServer::ControlServer(ControlServerOptions options, const StatusReport& report, Logger* log,
                             UniqueFd listener, UniqueFd wake)
    : options_(std::move(options)),
      report_(report),
      log_(log),
      listener_(std::move(listener)),
      wake_(std::move(wake)) {}

ControlServer::~ControlServer() {
  const uint64_t one = 1;
  if (::write(wake_.get(), &one, sizeof(one)) < 0) {
    // The eventfd cannot be full with a single writer; nothing else to do.
  }
  if (thread_.joinable()) thread_.join();
  struct stat st{};
  if (::lstat(options_.path.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_) {
    ::unlink(options_.path.c_str());  // may fail after dropping root: the next start replaces it
  }
}

Status ControlServer::Chown(uid_t uid, gid_t gid) const {
  if (::lchown(options_.path.c_str(), uid, gid) != 0) {
    return Error(ErrorCode::kIo, fmt::format("chown {}: {}", options_.path, std::strerror(errno)));
  }
  return Ok();
}

void ControlServer::Loop() {
  for (;;) {
    pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    const int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (log_ != nullptr) log_->Error("control", "poll: {}", std::strerror(errno));
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    UniqueFd conn(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!conn.valid()) continue;  // EAGAIN, ECONNABORTED, EMFILE: try again on the next wake
    Serve(conn.get());
  }
}

void ControlServer::Serve(int fd) {
  const int64_t deadline = MonotonicNanos() + int64_t{options_.io_timeout_ms} * kNanosPerMilli;
  char buf[kMaxControlRequestBytes + 1];
  size_t len = 0;
  bool complete = false;
  while (!complete && len < sizeof(buf)) {
    const ssize_t n = ::recv(fd, buf + len, sizeof(buf) - len, 0);
    if (n > 0) {
      complete = std::memchr(buf + len, '\n', static_cast<size_t>(n)) != nullptr;
      len += static_cast<size_t>(n);
    } else if (n == 0) {
      complete = true;  // the client closed its side: the request is what it sent
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!WaitFd(fd, POLLIN, deadline)) break;
    } else {
      bad_requests_.fetch_add(1, std::memory_order_relaxed);
      return;  // the client is gone
    }
  }
  requests_.fetch_add(1, std::memory_order_relaxed);
  std::string reply;
  if (!complete && len <= kMaxControlRequestBytes) {
    reply = ErrorReply(fmt::format("no complete request within {} ms", options_.io_timeout_ms)) + "\n";
    bad_requests_.fetch_add(1, std::memory_order_relaxed);
  } else {
    std::string_view req(buf, len);
    if (const size_t nl = req.find('\n'); nl != std::string_view::npos) req = req.substr(0, nl + 1);
    reply = ControlReply(req, report_);
    if (reply.starts_with(R"({"error")")) bad_requests_.fetch_add(1, std::memory_order_relaxed);
  }
  if (auto st = SendAll(fd, reply, deadline); !st && log_ != nullptr) {
    log_->Debug("control", "reply not delivered: {}", st.error().message);
  }
}

}  // namespace vigil::control
