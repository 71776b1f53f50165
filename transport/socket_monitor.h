// SocketMonitor: ZeroMQ socket events (connections, handshakes, failed authentication) read
// without blocking from a PAIR socket that the owning I/O thread polls with its other sockets.
//
// The sender uses it to notice a fresh connection (resend at once instead of waiting for an ack
// timeout); the receiver counts failed handshakes (wrong key, plaintext client, garbage bytes).
//
//   VIGIL_TRY(auto mon, SocketMonitor::Attach(ctx, router, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ...));
//   while (auto ev = mon->Read()) Count(ev->event);
//
// Must be destroyed before the socket it watches (declare it after that socket).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <zmq.hpp>

#include "core/result.h"

namespace vigil::transport {

struct MonitorEvent {
  uint16_t event = 0;  // ZMQ_EVENT_*
  uint32_t value = 0;  // errno, fd or protocol error code, depending on the event
};

class SocketMonitor {
 public:
  [[nodiscard]] static Result<std::unique_ptr<SocketMonitor>> Attach(zmq::context_t& ctx,
                                                                     zmq::socket_t& target, int events);
  ~SocketMonitor();
  SocketMonitor(const SocketMonitor&) = delete;
  SocketMonitor& operator=(const SocketMonitor&) = delete;

  // The next pending event, or nullopt when none is waiting.
  std::optional<MonitorEvent> Read();
  zmq::socket_t& socket() { return pair_; }

 private:
  SocketMonitor(zmq::socket_t& target, zmq::socket_t pair) : target_(target), pair_(std::move(pair)) {}
  zmq::socket_t& target_;
  zmq::socket_t pair_;
};

}  // namespace vigil::transport
