#include "sensor/capture/dispatcher.h"

#include <thread>


namespace vigil::sensor {

void Dispatcher::WaitIdle() { std::this_thread::yield(); }

Dispatcher::Dispatcher(const CaptureConfig& config, uint32_t workers, PacketHash hash,
                       PacketPool& pool, CaptureCounters counters)
    : policy_(config.EffectivePolicy()),
      hash_(std::move(hash)),
      pool_(pool),
      counters_(counters) {
  rings_.reserve(workers);
  for (uint32_t w = 0; w < workers; ++w) {
    rings_.push_back(std::make_unique<SpscRing<PacketSlot*>>(config.worker_ring_size));
  }
}

Result<std::unique_ptr<Dispatcher>> Dispatcher::Create(const CaptureConfig& config,
                                                       uint32_t workers, PacketHash hash,
                                                       PacketPool& pool,
                                                       CaptureCounters counters) {
  VIGIL_CHECK_OK(config.ValidateHandoff());
  if (!hash) return Error(ErrorCode::kInvalidArgument, "dispatcher: no hash function");
  if (workers == 0 || workers != pool.workers()) {
    return Error(ErrorCode::kInvalidArgument,
                 "dispatcher: workers (" + std::to_string(workers) +
                     ") must be >= 1 and match the packet pool's (" +
                     std::to_string(pool.workers()) + ")");
  }
  return std::unique_ptr<Dispatcher>(new Dispatcher(config, workers, std::move(hash), pool,
                                                    counters));
}

Dispatcher::Outcome Dispatcher::Dispatch(PacketSlot* slot) {
  SpscRing<PacketSlot*>& ring = *rings_[WorkerFor(slot->packet)];
  if (ring.TryPush(slot)) return Outcome::kQueued;
  if (policy_ == QueueFullPolicy::kDrop) {
    counters_.Add(CaptureCounter::kQueueFullDrops);
    pool_.Recycle(slot);
    return Outcome::kDropped;
  }
  counters_.Add(CaptureCounter::kQueueFullWaits);
  Backoff backoff;
  while (!ring.TryPush(slot)) {
    if (stopped()) {
      pool_.Recycle(slot);
      return Outcome::kStopped;
    }
    backoff.Pause();
  }
  return Outcome::kQueued;
}

}  // namespace vigil::sensor
