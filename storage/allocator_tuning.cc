#include "storage/allocator_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace vigil::storage {

bool RetainFreedMemtableMemory(const AllocatorTuning& tuning) {
#if defined(__GLIBC__)
  // Setting either threshold also turns off glibc's dynamic adjustment of both.
  const bool mmap_ok = mallopt(M_MMAP_THRESHOLD, static_cast<int>(tuning.mmap_threshold_bytes)) == 1;
  const bool trim_ok = mallopt(M_TRIM_THRESHOLD, static_cast<int>(tuning.trim_threshold_bytes)) == 1;
  return mmap_ok && trim_ok;
#else
  (void)tuning;
  return false;
#endif
}

}  // namespace vigil::storage
