// PacketPool: every packet buffer the sensor will ever use, allocated once at startup.
//
// pool_slots slots of slot_bytes each, plus large_slots overflow buffers of snaplen bytes for
// frames that do not fit a slot (jumbo frames, GRO-merged frames on virtual interfaces). The
// reader takes slots (Acquire), fills them and hands them to workers; a worker gives each slot
// back through its own return ring (Release) and the reader collects the returns (Reclaim) when
// its free list runs dry. So no packet allocates, and the free lists are touched by the reader
// thread only: no locks.
//
//   auto pool = PacketPool::Create(cfg, /*workers=*/4);
//   // reader thread                        // worker thread w
//   PacketSlot* s = (*pool)->Acquire();     ... decode / detect s->packet ...
//   if (s == nullptr) { /* all in flight */} (*pool)->Release(w, s);
//
// Each return ring holds as many entries as the pool has slots, so Release() never fails and a
// worker never waits on the reader.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/result.h"
#include "sensor/capture/capture_config.h"
#include "sensor/capture/packet_slot.h"
#include "sensor/capture/spsc_ring.h"

namespace vigil::sensor {

class PacketPool {
 public:
  [[nodiscard]] static Result<std::unique_ptr<PacketPool>> Create(const CaptureConfig& config,
                                                                  uint32_t workers);
  PacketPool(const PacketPool&) = delete;
  PacketPool& operator=(const PacketPool&) = delete;

  // ---- Reader thread only ----
  // A free slot (no overflow buffer attached), or nullptr when every slot is in flight even after
  // collecting the workers' returns.
  PacketSlot* Acquire();
  // Attaches a free overflow buffer to `slot`; false when none is free even after Reclaim().
  bool AttachLarge(PacketSlot& slot);
  // Returns a slot the reader still holds (a dropped packet) to the free list.
  void Recycle(PacketSlot* slot);
  // Moves every slot the workers returned onto the free lists; returns how many.
  size_t Reclaim();

  // ---- Worker thread `worker` only ----
  void Release(uint32_t worker, PacketSlot* slot);

  // ---- Introspection (reader thread; exact once the workers are idle) ----
  uint32_t size() const { return slot_count_; }
  uint32_t large_size() const { return large_count_; }
  uint32_t free_slots() const { return static_cast<uint32_t>(free_.size()); }
  uint32_t free_large() const { return static_cast<uint32_t>(free_large_.size()); }
  uint32_t slot_bytes() const { return slot_bytes_; }
  uint32_t large_bytes() const { return large_bytes_; }
  uint32_t workers() const { return static_cast<uint32_t>(returns_.size()); }

 private:
  PacketPool(const CaptureConfig& config, uint32_t workers);
  void PutBack(PacketSlot* slot);

  const uint32_t slot_count_;
  const uint32_t slot_bytes_;
  const uint32_t slot_stride_;  // slot_bytes rounded up to a cache line
  const uint32_t large_count_;
  const uint32_t large_bytes_;
  std::unique_ptr<uint8_t[]> arena_;        // slot_count_ * slot_stride_
  std::unique_ptr<uint8_t[]> large_arena_;  // large_count_ * large_bytes_
  std::unique_ptr<PacketSlot[]> slots_;
  std::vector<PacketSlot*> free_;           // LIFO: the most recently used slot is cache-warm
  std::vector<uint32_t> free_large_;
  std::vector<std::unique_ptr<SpscRing<PacketSlot*>>> returns_;  // one per worker
};

}  // namespace vigil::sensor
