#include "sensor/pipeline/reader_loop.h"

#include <cstring>

namespace vigil::sensor {

ReaderLoop::ReaderLoop(CaptureSource& source, PacketPool& pool, Dispatcher& dispatcher,
                       CaptureCounters counters, const PipelineCounters& ids,
                       CounterBlock* block, PacketIngest& ingest, ErrorCallback on_error,
                       IdleCallback on_idle)
    : ids_(ids),
      block_(block),
      ingest_(ingest),
      reader_(source, pool, dispatcher, counters, std::move(on_error), std::move(on_idle), this) {}

bool ReaderLoop::OnFrame(PacketSlot* slot, ReaderSummary& sum) {
  Packet& p = slot->packet;
  if (p.ts.ns > max_ts_.load(std::memory_order_relaxed)) {
    max_ts_.store(p.ts.ns, std::memory_order_relaxed);
  }
  std::span<const uint8_t> datagram;
  const IngestOutcome outcome = ingest_.Process(p, &datagram);
  if (outcome == IngestOutcome::kDeliver) return reader_.Dispatch(slot, sum);
  // The fragment's metadata is needed to describe the datagram; keep the slot until the
  // datagram has its own (the pool hands out the most recent slot first).
  bool go_on = true;
  if (outcome == IngestOutcome::kReassembled) go_on = SendReassembled(p, datagram, sum);
  if (!go_on) {
    reader_.Recycle(slot);
    return false;
  }
  // The fragment itself goes on to be inspected without a flow (Worker::Handle).
  return reader_.Dispatch(slot, sum);
}

bool ReaderLoop::SendReassembled(const Packet& fragment, std::span<const uint8_t> datagram,
                                 ReaderSummary& sum) {
  PacketSlot* slot = reader_.AcquireSlot();
  if (slot == nullptr) return false;  // stopped while waiting
  if (!reader_.is_scratch(slot) && datagram.size() > slot->capacity()) {
    if (!reader_.AttachLarge(slot)) {
      reader_.Recycle(slot);
      return false;
    }
  }
  if (reader_.is_scratch(slot)) {
    // Drop policy with the pool exhausted: the datagram is lost, visibly.
    reader_.counters().Add(CaptureCounter::kPoolExhaustedDrops);
    ids_.Add(block_, PipelineCounter::kReassembledDropped);
    ++sum.dropped;
    return true;
  }
  std::memcpy(slot->buffer().data(), datagram.data(), datagram.size());
  ingest_.DecodeReassembled(fragment, {slot->buffer().data(), datagram.size()}, slot->packet);
  return reader_.Dispatch(slot, sum);
}

}  // namespace vigil::sensor
