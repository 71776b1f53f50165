// RetainFreedMemtableMemory: process-wide malloc settings for a process that writes RocksDB
// heavily (vigil-correlator). Call once from main(), before any thread starts.
//
// RocksDB memtables take their memory from malloc in arena blocks (1 MiB with the default
// write buffer); glibc serves blocks of that size with mmap and gives them back with munmap
// when the flushed memtable is freed, or trims them off the heap top. Every new memtable then
// faults in and zeroes fresh pages on the writer's thread (about 5% of the correlator's ingest
// CPU). Fixed thresholds keep blocks up to mmap_threshold_bytes on the heap, and freed heap
// memory up to trim_threshold_bytes in the process, so the next memtable reuses it. The cost:
// resident memory stays at its peak (the memtables' budget) instead of shrinking when idle.
//
//   int main() { vigil::storage::RetainFreedMemtableMemory(); ... }
#pragma once

#include <cstddef>

namespace vigil::storage {

struct AllocatorTuning {
  size_t mmap_threshold_bytes = 32u << 20;    // glibc's maximum on 64-bit
  size_t trim_threshold_bytes = 512u << 20;
};

// False when malloc refused a setting (not glibc, or a value beyond its limits).
bool RetainFreedMemtableMemory(const AllocatorTuning& tuning = {});

}  // namespace vigil::storage
