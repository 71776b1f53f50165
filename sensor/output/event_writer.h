// EventWriter: one thread's way to emit events. It stamps the sensor's identity on each Event,
// formats it with WriteEve into a reused JsonWriter, appends the line to a reused batch buffer,
// and hands the batch to the EventSink when it reaches batch_bytes (or on Flush()). After the
// buffers have grown to their working size, writing an event allocates nothing and takes no lock;
// the sink's lock is taken once per batch.
//
//   VIGIL_TRY(OutputCounters oc, RegisterOutputCounters(registry));
//   EventWriter out(sink, {.sensor_id = "s1", .province = "p1"}, oc, registry.NewBlock("w0"));
//   Event ev{.type = EventType::kAnomaly, .anomaly = &info};
//   out.Write(ev);           // counted in output.events.anomaly
//   ...
//   out.Flush();             // before the thread ends
//
// Not thread-safe: one writer per thread. Events written by one writer reach the sink in order.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "core/counters.h"
#include "core/event.h"
#include "core/json_writer.h"
#include "core/result.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor {

// Index into kOutputCounterDefs.
enum class OutputCounter : uint32_t {
  kAlert,
  kFlow,
  kDns,
  kHttp,
  kTls,
  kAnomaly,
  kStats,
  kFormatErrors,
  kWriteErrors,
  kBatches,
  kCount,
};

inline constexpr CounterDef kOutputCounterDefs[] = {
    {"output.events.alert", "alert events written"},
    {"output.events.flow", "flow events written"},
    {"output.events.dns", "dns events written"},
    {"output.events.http", "http events written"},
    {"output.events.tls", "tls events written"},
    {"output.events.anomaly", "anomaly events written"},
    {"output.events.stats", "stats events written"},
    {"output.format_errors", "events dropped because they could not be formatted as EVE JSON"},
    {"output.write_errors", "batches the sink failed to write (their events are lost)"},
    {"output.batches", "batches of lines handed to the sink"},
};
static_assert(std::size(kOutputCounterDefs) == static_cast<size_t>(OutputCounter::kCount));

struct OutputCounters {
  CounterGroup group;
};
[[nodiscard]] Result<OutputCounters> RegisterOutputCounters(CounterRegistry& registry);

struct EventWriterConfig {
  // Written into every event that does not set them (EventEnvelope::sensor_id / province). The
  // strings must outlive the writer.
  std::string_view sensor_id;
  std::string_view province;
  // A batch goes to the sink once it holds this many bytes. Larger batches take the sink's lock
  // less often; smaller ones reach the file sooner. 64 KiB by default.
  size_t batch_bytes = 64u << 10;
};

class EventWriter {
 public:
  // `sink` must outlive the writer; `block` is the calling thread's (null: not counted).
  EventWriter(EventSink& sink, const EventWriterConfig& config, OutputCounters counters,
              CounterBlock* block);
  ~EventWriter();
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  // Formats and queues one event. A formatting failure drops the event and is counted; a sink
  // failure is counted and remembered in last_error(). Never blocks on anything but the sink.
  void Write(const Event& event);
  // Hands the queued lines to the sink now.
  Status Flush();
  // Flush() and then the sink's own Flush (stdio buffer, the upstream's open batch): for rare,
  // urgent events such as intel alerts. Takes the sink's lock.
  Status FlushThrough();

  // The most recent failure (format or sink); empty message when there was none.
  const Error& last_error() const { return last_error_; }
  uint64_t events_written() const { return events_; }

 private:
  void Count(OutputCounter c, uint64_t n = 1) {
    if (block_ != nullptr) block_->Add(counters_.group[static_cast<uint32_t>(c)], n);
  }

  EventSink& sink_;
  EventWriterConfig config_;
  OutputCounters counters_;
  CounterBlock* block_;
  JsonWriter line_;     // one event, reused
  std::string batch_;   // complete lines waiting for the sink, reused
  uint64_t events_ = 0;
  Error last_error_{ErrorCode::kIo, ""};
};

}  // namespace vigil::sensor
