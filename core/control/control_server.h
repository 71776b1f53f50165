// ControlServer: answers ControlRequests (control_request.h) on a local unix socket, on its own
// thread, with the daemon's StatusReport. One connection carries one request and one reply:
//
//   $ printf 'status\n' | socat - UNIX-CONNECT:/run/vigil/vigil-sensor-eth1.sock
//   {"program":"vigil-sensor",...,"counters":{...}}
//
// Clients are served one at a time, each with a deadline (io_timeout_ms) for its request and
// its reply, so a client that connects and says nothing delays others by at most that much and
// cannot stop the daemon from shutting down for longer. A bad request gets {"error":"..."};
// nothing a client sends can crash the daemon. The socket file is created with `mode` (0660:
// the daemon's user and group) and removed when the server stops, if it is still ours.
//
//   auto server = ControlServer::Start({.path = "/run/vigil/x.sock"}, report, &log);
//   ... run ...
//   server->reset();   // before the registries the report reads are destroyed
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "core/control/status_report.h"
#include "core/control/unix_socket.h"
#include "core/log.h"
#include "core/result.h"

namespace vigil::control {

struct ControlServerOptions {
  std::string path;
  unsigned mode = 0660;
  int io_timeout_ms = 1000;  // per client: to send its request, then to take the reply
};

// The reply (one JSON document and '\n') to the raw bytes of one request. Pure: no I/O.
std::string ControlReply(std::string_view request, const StatusReport& report);

class ControlServer {
 public:
  // Binds the socket (see ListenUnix for stale and live sockets) and starts the thread. `report`
  // and `log` (optional) must outlive the server.
  [[nodiscard]] static Result<std::unique_ptr<ControlServer>> Start(ControlServerOptions options,
                                                                   const StatusReport& report,
                                                                   Logger* log);
  // Binds only; Serve() starts answering (clients that connect meanwhile wait in the backlog).
  // The daemons bind as root and serve once they run as --user.
  [[nodiscard]] static Result<std::unique_ptr<ControlServer>> Bind(ControlServerOptions options,
                                                                  const StatusReport& report,
                                                                  Logger* log);
  void Serve();  // starts the thread; once
  ~ControlServer();  // stops the thread, removes the socket file
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  const std::string& path() const { return options_.path; }
  // Hands the socket file to another owner (used before dropping root, so that the daemon can
  // still remove it at exit when its directory allows). Best effort.
  Status Chown(uid_t uid, gid_t gid) const;
  uint64_t requests() const { return requests_.load(std::memory_order_relaxed); }
  uint64_t bad_requests() const { return bad_requests_.load(std::memory_order_relaxed); }

 private:
  ControlServer(ControlServerOptions options, const StatusReport& report, Logger* log,
                UniqueFd listener, UniqueFd wake);
  void Loop();
  void Serve(int fd);

  const ControlServerOptions options_;
  const StatusReport& report_;
  Logger* log_;
  UniqueFd listener_;
  UniqueFd wake_;  // eventfd: written by the destructor to stop the loop
  dev_t dev_ = 0;  // identity of the socket file we created
  ino_t ino_ = 0;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> bad_requests_{0};
  std::thread thread_;
};

}  // namespace vigil::control
