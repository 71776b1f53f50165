#include "transport/waker.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace vigil::transport {

Result<Waker> Waker::Create() {
  int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) return Error(ErrorCode::kIo, std::string("eventfd: ") + std::strerror(errno));
  return Waker(fd);
}

Waker& Waker::operator=(Waker&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

Waker::~Waker() {
  if (fd_ >= 0) ::close(fd_);
}

void Waker::Wake() const {
  uint64_t one = 1;
  // A full counter (EAGAIN) already means "wake": nothing to do on failure.
  [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof one);
}

void Waker::Drain() const {
  uint64_t v;
  [[maybe_unused]] ssize_t n = ::read(fd_, &v, sizeof v);
}

}  // namespace vigil::transport
