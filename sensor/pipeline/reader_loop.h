// ReaderLoop: the reader thread of runmode workers — read a frame into a pool slot, decode it
// and defragment (PacketIngest), and dispatch it to the worker that owns its flow by the
// symmetric flow hash, until the input ends or Stop() is called.
//
// The reading and the handoff rules (block or drop when a ring or the pool is full, scratch slot
// for frames read only to be dropped) are CaptureReader's (sensor/capture/capture_reader.h);
// this is the FrameStage it runs per frame, adding the decode and defrag step, which must happen
// here: a reassembled datagram is only known by its 5-tuple after reassembly, so it is copied
// into a fresh slot and dispatched by its own hash, landing on the worker that owns its flow.
// Fragments are consumed here.
//
//   ReaderLoop reader(source, pool, dispatcher, capture_counters, ingest);
//   std::thread t([&] { summary = reader.Run(); });   // closes the dispatcher when it returns
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

#include "core/result.h"
#include "sensor/capture/capture_reader.h"
#include "sensor/capture/capture_source.h"
#include "sensor/capture/dispatcher.h"
#include "sensor/capture/packet_pool.h"
#include "sensor/pipeline/packet_ingest.h"

namespace vigil::sensor {

class ReaderLoop : private FrameStage {
 public:
  using ErrorCallback = CaptureReader::ErrorCallback;
  using IdleCallback = CaptureReader::IdleCallback;

  ReaderLoop(CaptureSource& source, PacketPool& pool, Dispatcher& dispatcher,
             CaptureCounters counters, const PipelineCounters& ids, CounterBlock* block,
             PacketIngest& ingest, ErrorCallback on_error = {}, IdleCallback on_idle = {});

  // Runs until the end of input or Stop(); always closes the dispatcher before returning.
  [[nodiscard]] Result<ReaderSummary> Run() { return reader_.Run(); }
  // Any thread; async-signal-safe.
  void Stop() { reader_.Stop(); }

  // Latest packet timestamp read (packet time of the end of an offline run).
  Timestamp max_ts() const { return Timestamp{max_ts_.load(std::memory_order_relaxed)}; }

 private:
  bool OnFrame(PacketSlot* slot, ReaderSummary& sum) override;
  // The datagram that `fragment` completed, copied into a fresh slot and dispatched.
  bool SendReassembled(const Packet& fragment, std::span<const uint8_t> datagram,
                       ReaderSummary& sum);

  const PipelineCounters& ids_;
  CounterBlock* block_;
  PacketIngest& ingest_;
  CaptureReader reader_;
  std::atomic<int64_t> max_ts_{0};
};

}  // namespace vigil::sensor
