// CorrelationPipeline: the correlator's BatchSink with correlation wired in. For every batch the
// transport receiver hands over it
//   1. stores each event (EventStoreWriter: validated, class family, rejected with reasons),
//   2. indexes it (src_ip, dest_ip, signature_id, community_id) and maps its event id,
//   3. runs it through the CorrelationEngine (only when some detection rule looks at its type),
//   4. stores the correlated alerts (events.correlation, indexed by group key) and hands their
//      JSON to the upstream function (a transport Sender on a provincial correlator),
//   5. every checkpoint_every_events events, writes the engine checkpoint (plus the id counters)
//      to correlator.state,
// all into the receiver's WriteBatch, which also holds the de-duplication mark: events, indexes,
// alerts, marks and window state commit in one atomic durable write. On start the engine is
// restored from the checkpoint and the events stored after it are replayed through it in their
// arrival order (index.event_id), regenerating the same alerts under the same keys (not
// forwarded again). So after a crash the store and the engine agree exactly, and the sender's
// resend continues from the committed mark. (A checkpoint of 50 busy rules is megabytes: one per
// batch would cost more than the events themselves.)
//
//   VIGIL_TRY(auto p, CorrelationPipeline::Create(db, EventStoreOptions{}, rules, PipelineOptions{},
//                                                 [&](std::string_view j) { return tx->Send(j); }));
//   VIGIL_TRY(auto rx, transport::Receiver::Start(db, ro, p->Sink(), &log));
//
// Tiers: a provincial correlator forwards its alerts upward, and the received events of the
// classes in PipelineOptions::forward (sensor alerts by default) with their origin renamed to
// "vigil_source" (forwarded_event.h); the national one has no upstream
// (upstream = nullptr). On the national tier each event's `province` field, as the rules see it,
// is the province the allow list gives the sending correlator's key (not what the event says),
// and the stored event carries it as "vigil_province".
//
// Upstream delivery is at least once: alerts are handed to the sender when the batch is staged,
// so a crash before the commit makes the replayed batch emit them again (the receiving tier can
// tell by correlation.alert_id + vigil_origin).
//
// Threading: the receiver thread only (like the engine).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/counters.h"
#include "core/result.h"
#include "correlator/engine/correlation_engine.h"
#include "correlator/engine/flat_event.h"
#include "correlator/ingest/event_store_writer.h"
#include "correlator/store/event_indexer.h"
#include "correlator/store/store_layout.h"
#include "correlator/tier/flat_event_sink.h"
#include "correlator/tier/forwarded_event.h"
#include "rules/correlation/rule_set.h"
#include "storage/db.h"
#include "transport/receiver.h"

namespace vigil::correlator {

struct PipelineOptions {
  // correlation.origin: the origin under which this correlator stores its own alerts.
  std::string local_origin = "correlator";
  // correlation.checkpoint-events: events between engine checkpoints (at most this many are
  // replayed at start). 0: a checkpoint with every batch.
  uint64_t checkpoint_every_events = 100'000;
  // forward-events: with an upstream, the classes sent to it. Received events of these classes
  // go up as they are stored (renamed stamp: forwarded_event.h); this correlator's own
  // correlated alerts go up when kCorrelation is in the set.
  ForwardClasses forward = ForwardClasses::Default();
  EngineConfig engine;
};

// Takes one correlated alert (EVE JSON line) for the next tier.
using UpstreamFn = std::function<Status(std::string_view json)>;

// A snapshot of the pipeline's counters (counters()); the live values are the named counters
// of registry() ("correlation.*", "forward.*"), readable from any thread (`vigil status`).
struct PipelineCounters {
  uint64_t events_correlated = 0;  // events given to the engine
  uint64_t bad_views = 0;          // stored events the engine's view could not read (skipped)
  uint64_t alerts_stored = 0;
  uint64_t alerts_forwarded = 0;
  uint64_t forward_errors = 0;
  uint64_t events_forwarded = 0;   // received events sent upward (forward-events)
  uint64_t forward_refused = 0;    // received events not forwarded: they carry "vigil_source"
  uint64_t checkpoint_bytes = 0;   // size of the last checkpoint
  uint64_t checkpoints = 0;        // checkpoints written
  uint64_t events_replayed = 0;    // events after the checkpoint replayed at start
};

class CorrelationPipeline {
 public:
  // Opens the store's families and restores the engine from correlator.state when present (a
  // checkpoint from a different rule set is an error: the operator must clear the state).
  [[nodiscard]] static Result<std::unique_ptr<CorrelationPipeline>> Create(
      storage::Db& db, EventStoreOptions store, std::shared_ptr<const RuleSet> rules,
      PipelineOptions options, UpstreamFn upstream);
  CorrelationPipeline(const CorrelationPipeline&) = delete;
  CorrelationPipeline& operator=(const CorrelationPipeline&) = delete;

  Status AddBatch(const transport::ReceivedBatch& batch, storage::WriteBatch& wb);
  transport::BatchSink Sink();
  // End of input (offline runs, tests): releases every pending window and timer, stores the
  // alerts and the checkpoint into wb.
  Status Flush(storage::WriteBatch& wb);

  const EventStoreWriter& writer() const { return *writer_; }
  const StoreLayout& layout() const { return layout_; }
  const CorrelationEngine& engine() const { return engine_; }
  PipelineCounters counters() const;
  // The same counters by name, for stats lines and `vigil status` (thread-safe reads).
  const CounterRegistry& registry() const { return registry_; }
  uint64_t next_event_id() const { return next_event_id_; }

 private:
  CorrelationPipeline(std::unique_ptr<EventStoreWriter> writer, StoreLayout layout,
                      std::shared_ptr<const RuleSet> rules, PipelineOptions options, UpstreamFn upstream);
  Status Restore(storage::Db& db);
  Status Replay(storage::Db& db);
  Status OnStored(const StoredEvent& event, storage::WriteBatch& wb);
  // Gives the parsed view_ to the engine when some detection rule looks at its type.
  void Correlate();
  Status StoreAlerts(storage::WriteBatch& wb, bool forward);
  // Sends a received event upward when its class is in options_.forward (view_ is its parse).
  void ForwardReceived(const StoredEvent& event);
  Status PutState(storage::WriteBatch& wb);
  void Bump(uint32_t counter) { block_->Add(group_[counter]); }

  std::unique_ptr<EventStoreWriter> writer_;
  StoreLayout layout_;
  EventIndexer indexer_;
  std::shared_ptr<const RuleSet> rules_;
  PipelineOptions options_;
  UpstreamFn upstream_;
  CorrelationEngine engine_;
  CounterRegistry registry_;
  CounterGroup group_;
  CounterBlock* block_ = nullptr;  // written by the one thread that runs the pipeline
  uint64_t next_event_id_ = 1;
  uint64_t next_local_seq_ = 1;
  uint64_t events_since_checkpoint_ = 0;
  simdjson::dom::parser parser_;          // reused: views parsed from stored JSON (replay)
  FlatEvent view_;                        // reused
  FlatEventSink view_sink_{view_};        // fills view_ from the writer's validation pass
  std::vector<CorrelationAlert> alerts_;  // reused
  std::string state_;                     // reused
  std::string group_key_;                 // reused
  std::string forwarded_;                 // reused: one event restamped for the upstream
};

}  // namespace vigil::correlator
