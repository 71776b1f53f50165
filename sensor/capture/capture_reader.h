// CaptureReader: the reader thread's loop — take a pool slot, read a frame into it, dispatch it
// to its worker — until the source ends or Stop() is called.
//
// It applies the queue-full policy to the packet pool too: with kBlock the reader waits for the
// workers to return slots; with kDrop a frame that finds no free slot (or no free overflow buffer
// for a large frame) is still read — into a private scratch buffer, so the kernel ring keeps
// draining — then dropped and counted in capture.pool_exhausted_drops.
//
// What happens to each frame is a FrameStage: by default the frame is dispatched as it is; the
// sensor's workers runmode plugs in a stage that decodes and defragments first
// (sensor/pipeline/reader_loop.h) and uses AcquireSlot/AttachLarge/Dispatch for the datagrams
// it reassembles, so the handoff rules live here once.
//
//   CaptureReader reader(*source, *pool, *dispatcher, counters);
//   std::thread t([&] { auto r = reader.Run(); ... });
//   ... on SIGINT: reader.Stop();   // Breakloop() on the source + Stop() on the dispatcher
//   t.join();                        // workers see Dispatcher::Done() and drain their rings
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/result.h"
#include "sensor/capture/capture_counters.h"
#include "sensor/capture/capture_source.h"
#include "sensor/capture/dispatcher.h"
#include "sensor/capture/packet_pool.h"

namespace vigil::sensor {

struct ReaderSummary {
  uint64_t packets = 0;      // frames read
  uint64_t dispatched = 0;   // frames handed to a worker
  uint64_t dropped = 0;      // queue-full and pool-exhausted drops
  uint64_t file_errors = 0;  // non-fatal source errors (offline files)
  bool stopped = false;      // ended by Stop() rather than by the end of input
};

// A step between reading a frame and dispatching it. Called on the reader thread with a pool
// slot (never the scratch slot) holding one frame; from then on the stage owns the slot: it
// dispatches it (CaptureReader::Dispatch) or recycles it. Returns false to stop reading (a
// blocking wait was ended by Stop()).
class FrameStage {
 public:
  virtual ~FrameStage() = default;
  virtual bool OnFrame(PacketSlot* slot, ReaderSummary& sum) = 0;
};

class CaptureReader {
 public:
  // Called on the reader thread for every non-fatal source error (a bad or truncated file).
  using ErrorCallback = std::function<void(const Error&)>;
  // Called on the reader thread whenever the source times out (idle live link): a place for
  // housekeeping such as flushing stats.
  using IdleCallback = std::function<void()>;

  CaptureReader(CaptureSource& source, PacketPool& pool, Dispatcher& dispatcher,
                CaptureCounters counters, ErrorCallback on_error = {}, IdleCallback on_idle = {},
                FrameStage* stage = nullptr);

  // Runs until the end of input or Stop(); always closes the dispatcher before returning.
  // A failed Result is a fatal source error (e.g. the interface disappeared).
  [[nodiscard]] Result<ReaderSummary> Run();

  // Ends Run() promptly. Any thread; async-signal-safe (an atomic store and an eventfd write).
  void Stop();

  // For stages. A free pool slot; with the drop policy the scratch slot when the pool is empty
  // (is_scratch), with the block policy it waits (nullptr only if stopped meanwhile).
  PacketSlot* AcquireSlot();
  // Gives `slot` a large buffer; with the drop policy it may swap in the scratch slot. Returns
  // false only when stopped while waiting (block policy).
  bool AttachLarge(PacketSlot*& slot);
  bool is_scratch(const PacketSlot* slot) const { return slot == &scratch_; }
  // Hands the slot to its worker; counts it. False when the dispatcher was stopped.
  bool Dispatch(PacketSlot* slot, ReaderSummary& sum);
  // Back to the pool (the scratch slot is ignored).
  void Recycle(PacketSlot* slot);
  CaptureCounters& counters() { return counters_; }

 private:

  CaptureSource& source_;
  PacketPool& pool_;
  Dispatcher& dispatcher_;
  CaptureCounters counters_;
  ErrorCallback on_error_;
  IdleCallback on_idle_;
  FrameStage* stage_;
  const bool block_;
  // Scratch slot for frames read only to be dropped (drop policy, pool exhausted): snaplen
  // bytes (the larger of the pool's slot and large buffer sizes), allocated once.
  std::vector<uint8_t> scratch_bytes_;
  PacketSlot scratch_;
};

}  // namespace vigil::sensor
