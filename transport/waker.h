// Waker: an eventfd that lets other threads wake an I/O thread blocked in zmq_poll (which polls
// plain file descriptors alongside ZeroMQ sockets). Wake() is async-signal-safe and coalescing:
// many wakes before a Drain() cost one wake-up.
//
//   zmq::pollitem_t items[] = {{sock, 0, ZMQ_POLLIN, 0}, {nullptr, waker.fd(), ZMQ_POLLIN, 0}};
//   ... if (items[1].revents) waker.Drain();
#pragma once

#include "core/result.h"

namespace vigil::transport {

class Waker {
 public:
  [[nodiscard]] static Result<Waker> Create();
  Waker() = default;  // not usable until assigned from Create()
  Waker(Waker&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Waker& operator=(Waker&& o) noexcept;
  Waker(const Waker&) = delete;
  Waker& operator=(const Waker&) = delete;
  ~Waker();

  void Wake() const;
  void Drain() const;
  int fd() const { return fd_; }

 private:
  explicit Waker(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace vigil::transport
