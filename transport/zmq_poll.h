// PollRetryingEintr: zmq::poll for the transport's I/O loops, where an interrupted poll is not an
// error. poll() is never restarted after a signal handler runs, whatever SA_RESTART says, and
// cppzmq turns the EINTR into an exception that would end the thread. Such signals do reach
// these threads even with every ordinary signal blocked: glibc's set*id() calls (a daemon
// dropping root with --user, core/privileges.h) signal every thread so that all change together.
//
//   if (!PollRetryingEintr(items, 3, timeout)) continue;   // interrupted: loop round again
#pragma once

#include <cerrno>
#include <chrono>

#include <zmq.hpp>

namespace vigil::transport {

// false when interrupted (EINTR): the caller polls again; other errors still throw.
inline bool PollRetryingEintr(zmq::pollitem_t* items, size_t n, std::chrono::milliseconds timeout) {
  try {
    zmq::poll(items, n, timeout);
    return true;
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;
    return false;
  }
}

}  // namespace vigil::transport
