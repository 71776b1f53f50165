// Dispatcher: sends each packet to one worker thread, the same worker for every packet of a flow.
//
// The caller supplies the hash (the flow table's symmetric 5-tuple hash, so both directions of a
// connection land on the worker that owns the flow); the packet goes to worker hash % N through
// that worker's SPSC ring. When the ring is full the configured QueueFullPolicy applies:
//   * kBlock (offline default): the reader waits — spinning briefly, then yielding — until the
//     worker makes room. Nothing is lost; a file simply reads at the workers' pace.
//     Counted once per wait in capture.queue_full_waits.
//   * kDrop (live default): the packet is dropped at once, its slot goes back to the pool, and
//     capture.queue_full_drops rises. A live link cannot be paused; dropping here keeps the
//     kernel ring drained and makes the loss visible per cause.
// Stop() (any thread) ends a blocking wait (Dispatch returns kStopped) for a prompt shutdown.
// Close() (reader, after the last Dispatch) tells the workers no more packets will come.
//
//   // reader                                    // worker w
//   disp.Dispatch(slot);                          PacketSlot* b[32];
//   ...                                           while (!disp.Done(w)) {
//   disp.Close();                                   size_t n = disp.Pop(w, b);
//                                                   for (i < n) { Handle(b[i]); pool.Release(w, b[i]); }
//                                                   if (n == 0) disp.WaitIdle(); }
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "core/result.h"
#include "sensor/capture/capture_config.h"
#include "sensor/capture/backoff.h"
#include "sensor/capture/capture_counters.h"
#include "sensor/capture/packet_pool.h"
#include "sensor/capture/spsc_ring.h"

namespace vigil::sensor {

// Worker selection: sees the raw capture fields (and any decoded ones the caller filled in).
// Called once per packet on the reader thread.
using PacketHash = std::function<uint32_t(const Packet&)>;

class Dispatcher {
 public:
  enum class Outcome {
    kQueued,   // the worker owns the slot now
    kDropped,  // drop policy, ring full: counted; the slot is back in the pool
    kStopped,  // Stop() ended a blocking wait: the slot is back in the pool
  };

  [[nodiscard]] static Result<std::unique_ptr<Dispatcher>> Create(const CaptureConfig& config,
                                                                   uint32_t workers, PacketHash hash,
                                                                   PacketPool& pool,
                                                                   CaptureCounters counters);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // ---- Reader thread ----
  Outcome Dispatch(PacketSlot* slot);
  // No more packets will be dispatched; workers finish once their ring is empty.
  void Close() { closed_.store(true, std::memory_order_release); }

  // ---- Any thread ----
  void Stop() { stopped_.store(true, std::memory_order_relaxed); }
  bool stopped() const { return stopped_.load(std::memory_order_relaxed); }

  // ---- Worker thread `worker` ----
  size_t Pop(uint32_t worker, std::span<PacketSlot*> out) { return rings_[worker]->PopBatch(out); }
  // True once Close() was called and this worker's ring is empty: the worker may exit.
  bool Done(uint32_t worker) const {
    return closed_.load(std::memory_order_acquire) && rings_[worker]->EmptyApprox();
  }
  // What a worker does when its ring is empty: give the core away (the reader may need it).
  static void WaitIdle();

  uint32_t workers() const { return static_cast<uint32_t>(rings_.size()); }
  QueueFullPolicy policy() const { return policy_; }
  uint32_t WorkerFor(const Packet& p) const { return hash_(p) % workers(); }

 private:
  Dispatcher(const CaptureConfig& config, uint32_t workers, PacketHash hash, PacketPool& pool,
             CaptureCounters counters);

  const QueueFullPolicy policy_;
  const PacketHash hash_;
  PacketPool& pool_;
  CaptureCounters counters_;
  std::vector<std::unique_ptr<SpscRing<PacketSlot*>>> rings_;
  std::atomic<bool> closed_{false};
  std::atomic<bool> stopped_{false};
};

}  // namespace vigil::sensor
