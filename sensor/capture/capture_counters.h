// CaptureCounters: the capture stage's named counters and the reader thread's block to bump them.
//
// Registered once at setup (RegisterCaptureCounters), then handed by value to the capture source,
// the dispatcher and the reader loop, which all run on the reader thread and so share one
// CounterBlock with no locking. Kernel statistics (pcap_stats) are cumulative and are stored with
// Set(); everything else rises with Add().
//
//   VIGIL_TRY(CaptureCounters cc, RegisterCaptureCounters(registry));
//   cc.block = registry.NewBlock("reader");
//   cc.Add(CaptureCounter::kPackets);
#pragma once

#include <cstdint>
#include <iterator>

#include "core/counters.h"
#include "core/result.h"

namespace vigil::sensor {

// Index into kCaptureCounterDefs; keep the two in the same order.
enum class CaptureCounter : uint32_t {
  kPackets,             // capture.packets
  kBytes,               // capture.bytes
  kSnaplenTruncated,    // capture.snaplen_truncated
  kLargeFrames,         // capture.large_frames
  kFiles,               // capture.files
  kFileErrors,          // capture.file_errors
  kKernelPackets,       // capture.kernel_packets
  kKernelDrops,         // capture.kernel_drops
  kKernelIfdrops,       // capture.kernel_ifdrops
  kQueueFullDrops,      // capture.queue_full_drops
  kQueueFullWaits,      // capture.queue_full_waits
  kPoolExhaustedDrops,  // capture.pool_exhausted_drops
  kCount,
};

inline constexpr CounterDef kCaptureCounterDefs[] = {
    {"capture.packets", "frames read from the capture source (after the BPF filter)"},
    {"capture.bytes", "captured bytes of those frames (caplen, link header included)"},
    {"capture.snaplen_truncated", "frames cut short by the snaplen (caplen < wire length)"},
    {"capture.large_frames", "frames larger than a pool slot, carried in an overflow buffer"},
    {"capture.files", "capture files opened (offline)"},
    {"capture.file_errors", "capture files that could not be opened or ended in an error"},
    {"capture.kernel_packets", "packets the kernel saw on the interface (pcap_stats ps_recv)"},
    {"capture.kernel_drops", "packets dropped because the kernel buffer was full (ps_drop)"},
    {"capture.kernel_ifdrops", "packets dropped by the interface or its driver (ps_ifdrop)"},
    {"capture.queue_full_drops", "packets dropped because a worker's ring was full (drop policy)"},
    {"capture.queue_full_waits", "times the reader waited for a full worker ring (block policy)"},
    {"capture.pool_exhausted_drops", "packets dropped because no free packet buffer was left"},
};
static_assert(std::size(kCaptureCounterDefs) == static_cast<size_t>(CaptureCounter::kCount));

struct CaptureCounters {
  CounterGroup group;
  CounterBlock* block = nullptr;  // the reader thread's block; null = counting disabled

  void Add(CaptureCounter c, uint64_t n = 1) const {
    if (block != nullptr) block->Add(group[static_cast<uint32_t>(c)], n);
  }
  void Set(CaptureCounter c, uint64_t v) const {
    if (block != nullptr) block->Set(group[static_cast<uint32_t>(c)], v);
  }
  uint64_t Get(CaptureCounter c) const {
    return block != nullptr ? block->Get(group[static_cast<uint32_t>(c)]) : 0;
  }
};

// Registers kCaptureCounterDefs; the returned value has no block yet (set it after NewBlock).
[[nodiscard]] Result<CaptureCounters> RegisterCaptureCounters(CounterRegistry& registry);

}  // namespace vigil::sensor
