#include "transport/socket_monitor.h"

#include <cstdio>
#include <cstring>

namespace vigil::transport {

Result<std::unique_ptr<SocketMonitor>> SocketMonitor::Attach(zmq::context_t& ctx, zmq::socket_t& target,
                                                             int events) {
  // The endpoint only has to be unique within the context: the socket's address is.
  char endpoint[64];
  std::snprintf(endpoint, sizeof endpoint, "inproc://vigil-monitor-%p", static_cast<void*>(target.handle()));
  if (zmq_socket_monitor(target.handle(), endpoint, events) != 0) {
    return Error(ErrorCode::kInternal, std::string("zmq_socket_monitor: ") + zmq_strerror(zmq_errno()));
  }
  try {
    zmq::socket_t pair(ctx, zmq::socket_type::pair);
    pair.set(zmq::sockopt::linger, 0);
    pair.connect(endpoint);
    return std::unique_ptr<SocketMonitor>(new SocketMonitor(target, std::move(pair)));
  } catch (const zmq::error_t& e) {
    zmq_socket_monitor(target.handle(), nullptr, 0);
    return Error(ErrorCode::kInternal, std::string("socket monitor: ") + e.what());
  }
}

SocketMonitor::~SocketMonitor() {
  if (target_.handle() != nullptr) zmq_socket_monitor(target_.handle(), nullptr, 0);
}

std::optional<MonitorEvent> SocketMonitor::Read() {
  // Each event is two parts: 6 bytes (u16 event, u32 value, host order) and the endpoint.
  zmq_msg_t part;
  zmq_msg_init(&part);
  if (zmq_msg_recv(&part, pair_.handle(), ZMQ_DONTWAIT) < 0) {
    zmq_msg_close(&part);
    return std::nullopt;
  }
  MonitorEvent ev;
  if (zmq_msg_size(&part) >= 6) {
    const auto* d = static_cast<const uint8_t*>(zmq_msg_data(&part));
    std::memcpy(&ev.event, d, 2);
    std::memcpy(&ev.value, d + 2, 4);
  }
  bool more = zmq_msg_more(&part) != 0;
  zmq_msg_close(&part);
  while (more) {  // drain the endpoint part (and anything after it)
    zmq_msg_t rest;
    zmq_msg_init(&rest);
    if (zmq_msg_recv(&rest, pair_.handle(), 0) < 0) {
      zmq_msg_close(&rest);
      break;
    }
    more = zmq_msg_more(&rest) != 0;
    zmq_msg_close(&rest);
  }
  return ev;
}

}  // namespace vigil::transport
