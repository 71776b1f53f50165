// EventSink: where finished EVE lines go — a file today (EveFile), a ZeroMQ channel and tees
// tomorrow. Threads never write single events to a sink: each thread formats events into its
// own EventWriter (event_writer.h), which hands the sink whole batches of newline-terminated
// lines, so a sink's lock is taken once per batch, never once per event.
//
//   class ZmqSink final : public EventSink {   // the transport issue
//     Status WriteLines(std::string_view lines) override { ... enqueue the batch ... }
//     Status Flush() override { ... }
//     std::string Describe() const override { return "zmq: tcp://..."; }
//   };
//
// Contract: WriteLines and Flush may be called from any thread at the same time (a sink
// serialises internally); `lines` is one or more complete JSON lines, each ending in '\n', and
// is only valid during the call. A failure is reported once per batch and counted by the
// writer; it never stops the packet path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::sensor {

class EventSink {
 public:
  virtual ~EventSink() = default;
  EventSink() = default;
  EventSink(const EventSink&) = delete;
  EventSink& operator=(const EventSink&) = delete;

  // Appends complete lines (see the contract above). Thread-safe.
  [[nodiscard]] virtual Status WriteLines(std::string_view lines) = 0;
  // Pushes what is buffered to the destination (fflush for a file). Thread-safe.
  [[nodiscard]] virtual Status Flush() = 0;
  // "eve: /var/log/vigil/eve.json", for logs.
  virtual std::string Describe() const = 0;
};

// Sends every batch to several sinks in order (e.g. the EVE file and the transport). The sinks
// must outlive the tee. The first failure is returned after every sink got the batch.
class TeeSink final : public EventSink {
 public:
  explicit TeeSink(std::vector<EventSink*> sinks) : sinks_(std::move(sinks)) {}
  [[nodiscard]] Status WriteLines(std::string_view lines) override;
  [[nodiscard]] Status Flush() override;
  std::string Describe() const override;

 private:
  std::vector<EventSink*> sinks_;
};

// Discards everything (outputs.eve.enabled: no): counters still count the events.
class NullSink final : public EventSink {
 public:
  [[nodiscard]] Status WriteLines(std::string_view) override { return Ok(); }
  [[nodiscard]] Status Flush() override { return Ok(); }
  std::string Describe() const override { return "none"; }
};

}  // namespace vigil::sensor
