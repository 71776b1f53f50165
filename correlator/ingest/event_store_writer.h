// EventStoreWriter: the correlator's transport BatchSink. For every received NDJSON batch it
// validates each event and adds it to the receiver's storage::WriteBatch, so the events commit
// atomically with the receiver's de-duplication mark (exactly once into the store).
//
//   VIGIL_TRY(auto writer, EventStoreWriter::Create(db, EventStoreOptions{}));
//   VIGIL_TRY(auto rx, transport::Receiver::Start(db, ro, writer->Sink(), &log));
//
// Layout (see README.md):
//   family "events.<class>" (alert, flow, dns, http, tls, anomaly, stats, correlation, other)
//     key   = [I64BE timestamp ns][U16BE origin length][origin][U64BE batch seq][U32BE index]
//     value = {"vigil_origin":"<authenticated origin>", <the event's own fields>}
//   family "events.rejected"
//     key   = [U16BE origin length][origin][U64BE batch seq][U32BE index]
//     value = <reason> '\0' <first max_rejected_bytes of the raw line>
// An invalid event is rejected and counted; it never fails its batch. Only a storage error
// fails the batch (it stays unacknowledged and the sender resends it).
//
// Threading: AddBatch() runs on the receiver thread only (one writer); counters() may be read
// from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/counters.h"
#include "core/result.h"
#include "storage/db.h"
#include "storage/write_batch.h"
#include "transport/receiver.h"

namespace vigil::correlator {

// Event classes, one column family each. kOther takes every event_type not listed (it stays
// last). kCorrelation holds correlated alerts: this correlator's own and those received from a
// lower tier.
enum class EventClass : uint8_t { kAlert, kFlow, kDns, kHttp, kTls, kAnomaly, kStats, kCorrelation, kOther };
inline constexpr size_t kEventClassCount = 9;
std::string_view EventClassName(EventClass c);  // "alert", ..., "other"
EventClass ClassifyEventType(std::string_view event_type);
// The class named `name` ("alert", "correlation"...; also "correlated" and "alerts"-style
// plurals are accepted by callers that normalise first), or false.
bool ParseEventClass(std::string_view name, EventClass* out);

// One event as it was added to the write batch, handed to the StoredEventObserver.
struct StoredEvent {
  EventClass cls = EventClass::kOther;
  int64_t ts_ns = 0;
  std::string_view key;       // its key in family(cls)
  std::string_view json;      // the stored value (with "vigil_origin" first)
  std::string_view origin;    // authenticated sender identity
  std::string_view province;  // from the receiver's allow list ("" when none)
  bool fields_sent = false;   // the EventFieldSink received all of this event's fields
  bool fields_too_deep = false;  // ... or stopped at its max_depth (the view is unusable)
};
// Sees the fields of every event as validation walks it, so a consumer can build its view of
// the event without parsing the stored JSON again: Begin(), the stamped identity
// ("vigil_origin", then "vigil_province" when known), then each scalar field of the event in
// document order under its dotted path (object keys joined by '.', as FlatEvent::Parse
// flattens a stored event; arrays and what they hold are not sent), then Envelope() when the
// event is valid. An event that turns out invalid may have sent some fields: only a
// StoredEvent with fields_sent was stored with them. String views are valid during the call.
class EventFieldSink {
 public:
  virtual ~EventFieldSink() = default;
  // Values nested deeper than this (root fields are depth 1; array contents do not count) make
  // the view unusable: the event is stored with fields_too_deep and no more fields are sent.
  virtual uint32_t max_depth() const = 0;
  virtual void Begin() = 0;
  virtual void String(std::string_view path, std::string_view value) = 0;
  virtual void Number(std::string_view path, double value) = 0;
  virtual void Bool(std::string_view path, bool value) = 0;
  virtual void Null(std::string_view path) = 0;
  // The first "event_type" and the parsed "timestamp" of a valid event.
  virtual void Envelope(std::string_view event_type, int64_t ts_ns) = 0;
};

// Called for every stored (valid) event, in batch order, with the batch being built; it may add
// its own writes (indexes, correlated alerts) to wb. An error fails the whole batch.
using StoredEventObserver = std::function<Status(const StoredEvent& event, storage::WriteBatch& wb)>;

// Why an event was rejected. Each has a counter "ingest.rejected.<name>".
enum class RejectReason : uint8_t {
  kEmpty,           // empty line
  kTooLarge,        // longer than max_event_bytes (not parsed)
  kInvalidJson,     // not well-formed JSON (syntax, bad UTF-8, bad escape, trailing content)
  kNotObject,       // well-formed but not a JSON object
  kTooDeep,         // nesting deeper than max_depth
  kMissingTimestamp,
  kBadTimestamp,    // not a string, or not parseable by Timestamp::Parse
  kMissingEventType,
  kBadEventType,    // not a string, or empty
  kReservedField,   // carries "vigil_origin" itself (it could spoof the stamped identity)
};
inline constexpr size_t kRejectReasonCount = 10;
std::string_view RejectReasonName(RejectReason r);

struct EventStoreOptions {
  // ingest.max-event-bytes: one event line longer than this is rejected unparsed (1 MiB).
  size_t max_event_bytes = 1u << 20;
  // ingest.max-rejected-bytes: how much of a rejected line is kept for inspection (4 KiB).
  size_t max_rejected_bytes = 4096;
  // ingest.max-depth: object/array nesting accepted in an event (64).
  uint32_t max_depth = 64;
  // Column family names are family_prefix + class name ("events.alert", "events.rejected").
  std::string family_prefix = "events.";
};

// Appends an event's primary key: [I64BE ts][U16BE origin len][origin][U64BE seq][U32BE index]
// (origin at most 0xffff bytes: callers check).
void AppendEventKey(std::string* out, int64_t ts_ns, std::string_view origin, uint64_t seq,
                    uint32_t index);

class EventStoreWriter {
 public:
  // Opens (creating when missing) the nine column families.
  [[nodiscard]] static Result<std::unique_ptr<EventStoreWriter>> Create(storage::Db& db,
                                                                        EventStoreOptions options);
  EventStoreWriter(const EventStoreWriter&) = delete;
  EventStoreWriter& operator=(const EventStoreWriter&) = delete;

  // Adds every event of the batch (valid ones to their class family, invalid ones to the
  // rejected family) to wb. Fails only if the WriteBatch refuses a put.
  Status AddBatch(const transport::ReceivedBatch& batch, storage::WriteBatch& wb);
  // A BatchSink bound to this writer (which must outlive the receiver using it).
  transport::BatchSink Sink();
  // Sees every stored event (see StoredEventObserver). Set before the receiver starts.
  void SetObserver(StoredEventObserver observer) { observer_ = std::move(observer); }
  // Sends every event's fields to sink (see EventFieldSink), which must outlive the writer's
  // use. Set before the receiver starts; nullptr: none.
  void SetFieldSink(EventFieldSink* sink) { sink_ = sink; }
  // Adds one event this process made itself (a correlated alert) under `origin`, keyed like a
  // received one with (seq, index) chosen by the caller, and stamped with "vigil_origin" the
  // same way. `json` must be a valid EVE object (without vigil_origin).
  Status AddLocalEvent(EventClass cls, int64_t ts_ns, std::string_view origin, uint64_t seq,
                       uint32_t index, std::string_view json, storage::WriteBatch& wb,
                       std::string* key_out);

  storage::ColumnFamily family(EventClass c) const { return families_[static_cast<size_t>(c)]; }
  storage::ColumnFamily rejected_family() const { return rejected_; }
  const CounterRegistry& counters() const { return registry_; }
  const EventStoreOptions& options() const { return options_; }

 private:
  explicit EventStoreWriter(EventStoreOptions options);
  struct Parsed {
    int64_t ts_ns = 0;
    EventClass cls = EventClass::kOther;
    std::string_view event_type;  // into the parser's buffer: valid until the next line
  };
  // Validates one line (already size-checked): true and *out filled, or false and *why set.
  // Sends its fields to sink_ (when set) on the way.
  bool Validate(std::string_view line, Parsed* out, RejectReason* why);
  // emit: send this value's scalars to sink_ under path_ (false inside arrays, without a sink,
  // or once the view went too deep).
  bool ValidateValue(simdjson::ondemand::value v, uint32_t depth, bool emit, RejectReason* why);
  // Sends a scalar at path_, or marks the view too deep; false when it went too deep.
  bool EmitDepthOk(uint32_t depth);

  EventStoreOptions options_;
  std::array<storage::ColumnFamily, kEventClassCount> families_;
  storage::ColumnFamily rejected_;
  simdjson::ondemand::parser parser_;
  std::vector<char> padded_;  // reused: one event + SIMDJSON_PADDING
  std::string key_;           // reused
  std::string value_;         // reused
  std::string nesting_;       // reused: open brackets while checking nesting
  StoredEventObserver observer_;
  EventFieldSink* sink_ = nullptr;
  uint32_t sink_depth_ = 0;   // sink_->max_depth() of the line being validated
  bool fields_too_deep_ = false;  // the line being validated went past sink_depth_
  std::string path_;          // reused: dotted path of the value being validated
  CounterRegistry registry_;
  CounterGroup group_;
  CounterBlock* block_ = nullptr;
};

}  // namespace vigil::correlator
