// Backoff: how the reader and the workers wait for each other without a lock.
//
// Spin with a CPU pause hint for a few hundred rounds (a worker about to make room, or a reader
// about to push, is usually that close), then yield the core on every further round: on a machine
// with fewer cores than threads the thread we wait for needs our core, and yielding is what lets
// it run. Not a sleep: a wait ends as soon as the condition holds.
//
//   Backoff b;
//   while (!ring.TryPush(x)) b.Pause();
#pragma once

#include <cstdint>

namespace vigil::sensor {

class Backoff {
 public:
  void Pause();
  void Reset() { spins_ = 0; }

 private:
  uint32_t spins_ = 0;
};

}  // namespace vigil::sensor
