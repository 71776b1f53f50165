#include "sensor/capture/capture_reader.h"

#include "sensor/capture/backoff.h"

namespace vigil::sensor {

CaptureReader::CaptureReader(CaptureSource& source, PacketPool& pool, Dispatcher& dispatcher,
                             CaptureCounters counters, ErrorCallback on_error,
                             IdleCallback on_idle, FrameStage* stage)
    : source_(source),
      pool_(pool),
      dispatcher_(dispatcher),
      counters_(counters),
      on_error_(std::move(on_error)),
      on_idle_(std::move(on_idle)),
      stage_(stage),
      block_(dispatcher.policy() == QueueFullPolicy::kBlock),
      scratch_bytes_(pool.large_bytes() > pool.slot_bytes() ? pool.large_bytes()
                                                            : pool.slot_bytes()) {
  scratch_.storage = {scratch_bytes_.data(), scratch_bytes_.size()};
}

void CaptureReader::Stop() {
  source_.Breakloop();
  dispatcher_.Stop();
}

PacketSlot* CaptureReader::AcquireSlot() {
  if (PacketSlot* s = pool_.Acquire(); s != nullptr) return s;
  if (!block_) return &scratch_;
  Backoff backoff;
  for (;;) {
    if (dispatcher_.stopped()) return nullptr;
    backoff.Pause();
    if (PacketSlot* s = pool_.Acquire(); s != nullptr) return s;
  }
}

bool CaptureReader::AttachLarge(PacketSlot*& slot) {
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

bool CaptureReader::Dispatch(PacketSlot* slot, ReaderSummary& sum) {
  const Dispatcher::Outcome out = dispatcher_.Dispatch(slot);  // owns the slot now
  if (out == Dispatcher::Outcome::kQueued) {
    ++sum.dispatched;
    return true;
  }
  ++sum.dropped;
  return out == Dispatcher::Outcome::kDropped;
}

void CaptureReader::Recycle(PacketSlot* slot) {
  if (slot != nullptr && slot != &scratch_) pool_.Recycle(slot);
}

Result<ReaderSummary> CaptureReader::Run() {
  ReaderSummary sum;
  PacketSlot* slot = nullptr;
  // Gives the held slot back and closes the dispatcher however the loop ends.
  auto finish = [&] {
    Recycle(slot);
    slot = nullptr;
    dispatcher_.Close();
  };
  for (;;) {
    if (slot == nullptr) {
      slot = AcquireSlot();
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
        PacketSlot* current = slot;
        slot = nullptr;  // the stage or the dispatcher owns it now
        const bool go_on = stage_ != nullptr ? stage_->OnFrame(current, sum) : Dispatch(current, sum);
        if (!go_on) {
          sum.stopped = true;
          finish();
          return sum;
        }
        break;
      }
      case ReadStatus::kSlotTooSmall:
        // The scratch slot is snaplen-sized, so only a pool slot can get here.
        if (!AttachLarge(slot)) {
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
