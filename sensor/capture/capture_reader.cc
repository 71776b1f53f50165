#include "sensor/capture/capture_reader.h"

#include "sensor/capture/backoff.h"

namespace vigil::sensor {

CaptureReader::CaptureReader(CaptureSource& source, PacketPool& pool, Dispatcher& dispatcher,
                             CaptureCounters counters, ErrorCallback on_error,
                             IdleCallback on_idle)
    : source_(source),
      pool_(pool),
      dispatcher_(dispatcher),
      counters_(counters),
      on_error_(std::move(on_error)),
      on_idle_(std::move(on_idle)),
      block_(dispatcher.policy() == QueueFullPolicy::kBlock),
      scratch_bytes_(block_ ? 0 : pool.large_bytes() > pool.slot_bytes() ? pool.large_bytes()
                                                                          : pool.slot_bytes()) {
  scratch_.storage = {scratch_bytes_.data(), scratch_bytes_.size()};
}

void CaptureReader::Stop() {
  source_.Breakloop();
  dispatcher_.Stop();
}

// Block policy: wait for a worker to return a slot (nullptr only if stopped meanwhile).
// Drop policy: the scratch slot when the pool is empty.
PacketSlot* CaptureReader::AcquireOrScratch() {
  if (PacketSlot* s = pool_.Acquire(); s != nullptr) return s;
  if (!block_) return &scratch_;
  Backoff backoff;
  for (;;) {
    if (dispatcher_.stopped()) return nullptr;
    backoff.Pause();
    if (PacketSlot* s = pool_.Acquire(); s != nullptr) return s;
  }
}

// Returns false only when stopped while waiting (block policy).
bool CaptureReader::AttachLargeOrScratch(PacketSlot*& slot) {
  if (pool_.AttachLarge(*slot)) return true;
  if (!block_) {
    pool_.Recycle(slot);
    slot = &scratch_;
    return true;
  }
  Backoff backoff;
  for (;;) {
    if (dispatcher_.stopped()) return false;
    backoff.Pause();
    if (pool_.AttachLarge(*slot)) return true;
  }
}

Result<ReaderSummary> CaptureReader::Run() {
  ReaderSummary sum;
  PacketSlot* slot = nullptr;
  // Gives the held slot back and closes the dispatcher however the loop ends.
  auto finish = [&] {
    if (slot != nullptr && slot != &scratch_) pool_.Recycle(slot);
    slot = nullptr;
    dispatcher_.Close();
  };
  for (;;) {
    if (slot == nullptr) {
      slot = AcquireOrScratch();
      if (slot == nullptr) {
        sum.stopped = true;
        break;
      }
    }
    auto st = source_.Next(*slot);
    if (!st) {
      finish();
      return std::move(st).error();
    }
    switch (*st) {
      case ReadStatus::kPacket: {
        ++sum.packets;
        if (slot == &scratch_) {
          counters_.Add(CaptureCounter::kPoolExhaustedDrops);
          ++sum.dropped;
          slot = nullptr;
          break;
        }
        if (!slot->large.empty()) counters_.Add(CaptureCounter::kLargeFrames);
        const Dispatcher::Outcome out = dispatcher_.Dispatch(slot);
        slot = nullptr;  // the dispatcher owns it now (queued, or back in the pool)
        if (out == Dispatcher::Outcome::kQueued) {
          ++sum.dispatched;
        } else if (out == Dispatcher::Outcome::kDropped) {
          ++sum.dropped;
        } else {
          ++sum.dropped;
          sum.stopped = true;
          finish();
          return sum;
        }
        break;
      }
      case ReadStatus::kSlotTooSmall:
        // The scratch slot is snaplen-sized, so only a pool slot can get here.
        if (!AttachLargeOrScratch(slot)) {
          sum.stopped = true;
          finish();
          return sum;
        }
        break;
      case ReadStatus::kTimeout:
        pool_.Reclaim();
        if (on_idle_) on_idle_();
        break;
      case ReadStatus::kFileError:
        ++sum.file_errors;
        if (on_error_) on_error_(source_.last_error());
        break;
      case ReadStatus::kEnd:
        sum.stopped = dispatcher_.stopped();
        finish();
        return sum;
    }
  }
  finish();
  return sum;
}

}  // namespace vigil::sensor
