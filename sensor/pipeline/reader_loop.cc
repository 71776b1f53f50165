#include "sensor/pipeline/reader_loop.h"

#include <cstring>

#include "sensor/capture/backoff.h"

namespace vigil::sensor {

ReaderLoop::ReaderLoop(CaptureSource& source, PacketPool& pool, Dispatcher& dispatcher,
                       CaptureCounters counters, const PipelineCounters& ids,
                       CounterBlock* block, PacketIngest& ingest, ErrorCallback on_error,
                       IdleCallback on_idle)
    : source_(source),
      pool_(pool),
      dispatcher_(dispatcher),
      counters_(counters),
      ids_(ids),
      block_(block),
      ingest_(ingest),
      on_error_(std::move(on_error)),
      on_idle_(std::move(on_idle)),
      block_policy_(dispatcher.policy() == QueueFullPolicy::kBlock),
      // Snaplen-sized even with the block policy: a reassembled datagram that finds no slot
      // while stopping is decoded nowhere, but a frame read into scratch must fit.
      scratch_bytes_(pool.large_bytes() > pool.slot_bytes() ? pool.large_bytes()
                                                            : pool.slot_bytes()) {
  scratch_.storage = {scratch_bytes_.data(), scratch_bytes_.size()};
}

void ReaderLoop::Stop() {
  source_.Breakloop();
  dispatcher_.Stop();
}

PacketSlot* ReaderLoop::AcquireOrScratch() {
  if (PacketSlot* s = pool_.Acquire(); s != nullptr) return s;
  if (!block_policy_) return &scratch_;
  Backoff backoff;
  for (;;) {
    if (dispatcher_.stopped()) return nullptr;
    backoff.Pause();
    if (PacketSlot* s = pool_.Acquire(); s != nullptr) return s;
  }
}

bool ReaderLoop::AttachLargeOrScratch(PacketSlot*& slot) {
  if (pool_.AttachLarge(*slot)) return true;
  if (!block_policy_) {
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

bool ReaderLoop::Send(PacketSlot* slot, ReaderSummary& sum) {
  const Dispatcher::Outcome out = dispatcher_.Dispatch(slot);
  if (out == Dispatcher::Outcome::kQueued) {
    ++sum.dispatched;
    return true;
  }
  ++sum.dropped;
  return out == Dispatcher::Outcome::kDropped;
}

bool ReaderLoop::SendReassembled(const Packet& fragment, std::span<const uint8_t> datagram,
                                 ReaderSummary& sum) {
  PacketSlot* slot = AcquireOrScratch();
  if (slot == nullptr) return false;  // stopped while waiting
  if (slot != &scratch_ && datagram.size() > slot->capacity()) {
    if (!AttachLargeOrScratch(slot)) {
      pool_.Recycle(slot);
      return false;
    }
  }
  if (slot == &scratch_) {
    // Drop policy with the pool exhausted: the datagram is lost, visibly.
    counters_.Add(CaptureCounter::kPoolExhaustedDrops);
    ids_.Add(block_, PipelineCounter::kReassembledDropped);
    ++sum.dropped;
    return true;
  }
  std::memcpy(slot->buffer().data(), datagram.data(), datagram.size());
  ingest_.DecodeReassembled(fragment, {slot->buffer().data(), datagram.size()}, slot->packet);
  return Send(slot, sum);
}

Result<ReaderSummary> ReaderLoop::Run() {
  ReaderSummary sum;
  PacketSlot* slot = nullptr;
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
        Packet& p = slot->packet;
        if (p.ts.ns > max_ts_.load(std::memory_order_relaxed)) {
          max_ts_.store(p.ts.ns, std::memory_order_relaxed);
        }
        std::span<const uint8_t> datagram;
        const IngestOutcome outcome = ingest_.Process(p, &datagram);
        PacketSlot* current = slot;
        slot = nullptr;
        bool go_on = true;
        if (outcome == IngestOutcome::kDeliver) {
          go_on = Send(current, sum);
        } else {
          // The fragment's metadata is needed to describe the datagram; keep the slot until the
          // datagram has its own (the pool hands out the most recent slot first).
          if (outcome == IngestOutcome::kReassembled) {
            go_on = SendReassembled(current->packet, datagram, sum);
          }
          pool_.Recycle(current);
        }
        if (!go_on) {
          sum.stopped = true;
          finish();
          return sum;
        }
        break;
      }
      case ReadStatus::kSlotTooSmall:
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
