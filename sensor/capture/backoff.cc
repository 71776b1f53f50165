#include "sensor/capture/backoff.h"

#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace vigil::sensor {

namespace {
constexpr uint32_t kSpinsBeforeYield = 256;
}  // namespace

void Backoff::Pause() {
  if (spins_ < kSpinsBeforeYield) {
    ++spins_;
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  } else {
    std::this_thread::yield();
  }
}

}  // namespace vigil::sensor
