#include "correlator/tier/correlation_pipeline.h"

#include <utility>

#include "core/json_writer.h"
#include "correlator/engine/flat_event.h"
#include "storage/key_codec.h"

namespace vigil::correlator {
namespace {

constexpr size_t kStateHeaderBytes = 16;  // next event id + next local seq

// Counter ids: the order of kCounterDefs.
enum : uint32_t {
  kEventsCorrelated,
  kBadViews,
  kAlertsStored,
  kAlertsForwarded,
  kForwardErrors,
  kEventsForwarded,
  kForwardRefused,
  kCheckpointBytes,
  kCheckpoints,
  kEventsReplayed,
};
constexpr CounterDef kCounterDefs[] = {
    {"correlation.events", "events given to the correlation engine"},
    {"correlation.bad_views", "stored events the engine could not read: not correlated, not forwarded"},
    {"correlation.alerts", "correlated alerts stored"},
    {"correlation.forwarded", "correlated alerts handed to the upstream sender"},
    {"correlation.forward_errors", "alerts or events the upstream sender refused (not sent)"},
    {"forward.events", "received events sent upward (forward-events)"},
    {"forward.refused", "received events not sent upward: they carry their own vigil_source"},
    {"correlation.checkpoint_bytes", "size of the last window-state checkpoint (gauge)"},
    {"correlation.checkpoints", "window-state checkpoints written"},
    {"correlation.replayed", "events stored after the checkpoint, replayed at start"},
};

}  // namespace

CorrelationPipeline::CorrelationPipeline(std::unique_ptr<EventStoreWriter> writer, StoreLayout layout,
                                         std::shared_ptr<const RuleSet> rules, PipelineOptions options,
                                         UpstreamFn upstream)
    : writer_(std::move(writer)),
      layout_(layout),
      indexer_(layout_),
      rules_(rules),
      options_(std::move(options)),
      upstream_(std::move(upstream)),
      engine_(rules_, options_.engine) {}

Result<std::unique_ptr<CorrelationPipeline>> CorrelationPipeline::Create(
    storage::Db& db, EventStoreOptions store, std::shared_ptr<const RuleSet> rules,
    PipelineOptions options, UpstreamFn upstream) {
  if (!rules) return Error(ErrorCode::kInvalidArgument, "correlation pipeline: no rule set");
  if (options.local_origin.empty() || options.local_origin.size() > 0xffff) {
    return Error(ErrorCode::kInvalidArgument, "correlation.origin must be 1..65535 bytes");
  }
  VIGIL_TRY(auto writer, EventStoreWriter::Create(db, std::move(store)));
  VIGIL_TRY(StoreLayout layout, StoreLayout::Open(db));
  std::unique_ptr<CorrelationPipeline> p(new CorrelationPipeline(
      std::move(writer), layout, std::move(rules), std::move(options), std::move(upstream)));
  VIGIL_TRY(p->group_, p->registry_.Register(kCounterDefs));
  p->block_ = p->registry_.NewBlock("pipeline");
  VIGIL_CHECK_OK(p->Restore(db));
  CorrelationPipeline* raw = p.get();
  p->writer_->SetFieldSink(&p->view_sink_);
  p->writer_->SetObserver(
      [raw](const StoredEvent& e, storage::WriteBatch& wb) { return raw->OnStored(e, wb); });
  return p;
}

Status CorrelationPipeline::Restore(storage::Db& db) {
  VIGIL_TRY(auto bytes, db.Get(layout_.state, kStateKey));
  if (!bytes) return Replay(db);  // a fresh store (or one written without correlation state)
  if (bytes->size() < kStateHeaderBytes) {
    return Error(ErrorCode::kCorrupt, "correlator.state: checkpoint shorter than its header");
  }
  next_event_id_ = storage::DecodeU64BE(bytes->data());
  next_local_seq_ = storage::DecodeU64BE(bytes->data() + 8);
  Status s = engine_.Restore(std::string_view(*bytes).substr(kStateHeaderBytes));
  if (!s) {
    return Error(s.error().code, "correlator.state: " + s.error().message +
                                     " (rules changed since the checkpoint? move the store aside "
                                     "or delete its correlator.state family to start afresh)");
  }
  return Replay(db);
}

Status CorrelationPipeline::Replay(storage::Db& db) {
  // Events stored after the checkpoint, in arrival order. Alerts they raise were stored (and
  // forwarded) the first time: storing them again writes the same keys and values.
  static const FieldPath kProvince("vigil_province");
  storage::WriteBatch wb;
  auto it = db.NewIterator(layout_.event_ids);
  // The run holding next_event_id_ starts at or before it (or there is none: from the first).
  it.SeekForPrev(storage::U64Key(next_event_id_));
  if (!it.Valid()) {
    VIGIL_CHECK_OK(it.status());
    it.SeekToFirst();
  }
  EventIdRun run;
  EventLocation where;
  for (; it.Valid(); it.Next()) {
    if (!run.Parse(it.key(), it.value())) continue;
    for (size_t i = 0; i < run.size(); ++i) {
      const uint64_t id = run.first() + i;
      if (id < next_event_id_) continue;
      next_event_id_ = id + 1;
      if (!run.Get(i, &where)) continue;
      VIGIL_TRY(auto json, db.Get(layout_.family(where.cls), where.primary));
      if (!json || !view_.Parse(*json, id, parser_)) continue;  // expired, or never correlated
      const FieldValue province = view_.Get(kProvince);
      if (province.is_string()) view_.Set("province", std::string(province.str));
      Bump(kEventsReplayed);
      Correlate();
      VIGIL_CHECK_OK(StoreAlerts(wb, /*forward=*/false));
    }
  }
  VIGIL_CHECK_OK(it.status());
  if (block_->Get(group_[kEventsReplayed]) == 0) return Ok();
  VIGIL_CHECK_OK(PutState(wb));
  return db.Write(wb, storage::Durability::kSync);
}

transport::BatchSink CorrelationPipeline::Sink() {
  return [this](const transport::ReceivedBatch& b, storage::WriteBatch& wb) { return AddBatch(b, wb); };
}

Status CorrelationPipeline::AddBatch(const transport::ReceivedBatch& batch, storage::WriteBatch& wb) {
  Status s = writer_->AddBatch(batch, wb);
  if (s) s = indexer_.Flush(wb);  // the batch's ids (one index.event_id entry), its postings
  if (s) s = StoreAlerts(wb, /*forward=*/true);
  if (!s) {
    indexer_.Discard();  // the batch fails as a whole: nothing pending may reach the next one
    return s;
  }
  if (events_since_checkpoint_ < options_.checkpoint_every_events) return Ok();
  return PutState(wb);
}

Status CorrelationPipeline::Flush(storage::WriteBatch& wb) {
  engine_.Flush(alerts_);
  VIGIL_CHECK_OK(StoreAlerts(wb, /*forward=*/true));
  return PutState(wb);
}

void CorrelationPipeline::Correlate() {
  if (rules_->DetectionsFor(view_.event_type()).empty()) return;
  Bump(kEventsCorrelated);
  engine_.Process(view_, alerts_);
}

Status CorrelationPipeline::OnStored(const StoredEvent& event, storage::WriteBatch& wb) {
  const uint64_t id = next_event_id_++;
  ++events_since_checkpoint_;
  VIGIL_CHECK_OK(indexer_.MapId(event, id, wb));
  // The writer's validation pass filled view_ (FlatEventSink); the same as parsing event.json.
  const bool view_ok = event.fields_sent ? !event.fields_too_deep : view_.Parse(event.json, id, parser_).ok();
  if (!view_ok) {
    // Ingest validated the JSON; FlatEvent is stricter on depth. Stored, not indexed/correlated.
    Bump(kBadViews);
    return Ok();
  }
  view_.SetId(id);
  if (!event.province.empty()) view_.Set("province", event.province);
  VIGIL_CHECK_OK(indexer_.Add(event, view_, wb));
  Correlate();
  ForwardReceived(event);
  return Ok();
}

void CorrelationPipeline::ForwardReceived(const StoredEvent& event) {
  static const FieldPath kSource("vigil_source");
  if (!upstream_ || !options_.forward.Has(event.cls)) return;
  if (!view_.Get(kSource).missing() || !RestampForUpstream(event.json, &forwarded_)) {
    Bump(kForwardRefused);
    return;
  }
  Bump(upstream_(forwarded_) ? kEventsForwarded : kForwardErrors);
}

Status CorrelationPipeline::StoreAlerts(storage::WriteBatch& wb, bool forward) {
  if (alerts_.empty()) return Ok();
  JsonWriter w;
  std::string key;
  for (const CorrelationAlert& a : alerts_) {
    w.Clear();
    WriteCorrelationEve(a, w);
    const std::string_view json = w.str();
    const int64_t ts = a.window_end.ns;
    VIGIL_CHECK_OK(writer_->AddLocalEvent(EventClass::kCorrelation, ts, options_.local_origin,
                                          next_local_seq_++, 0, json, wb, &key));
    const StoredEvent se{EventClass::kCorrelation, ts, key, json, options_.local_origin, {}};
    group_key_.clear();
    for (const auto& [field, value] : a.group) {
      if (!group_key_.empty()) group_key_.push_back(',');
      group_key_.append(field).push_back('=');
      group_key_.append(value);
      IndexField f;
      if (ParseIndexField(field, &f) && f != IndexField::kGroupKey) {
        VIGIL_CHECK_OK(indexer_.AddValue(f, value, se, wb));
      }
    }
    VIGIL_CHECK_OK(indexer_.AddValue(IndexField::kGroupKey, group_key_, se, wb));
    Bump(kAlertsStored);
    if (upstream_ && forward && options_.forward.Has(EventClass::kCorrelation)) {
      Bump(upstream_(json) ? kAlertsForwarded : kForwardErrors);
    }
  }
  alerts_.clear();
  return indexer_.Flush(wb);  // the last alert's postings
}

PipelineCounters CorrelationPipeline::counters() const {
  auto get = [this](uint32_t c) { return block_->Get(group_[c]); };
  PipelineCounters c;
  c.events_correlated = get(kEventsCorrelated);
  c.bad_views = get(kBadViews);
  c.alerts_stored = get(kAlertsStored);
  c.alerts_forwarded = get(kAlertsForwarded);
  c.forward_errors = get(kForwardErrors);
  c.events_forwarded = get(kEventsForwarded);
  c.forward_refused = get(kForwardRefused);
  c.checkpoint_bytes = get(kCheckpointBytes);
  c.checkpoints = get(kCheckpoints);
  c.events_replayed = get(kEventsReplayed);
  return c;
}

Status CorrelationPipeline::PutState(storage::WriteBatch& wb) {
  state_.clear();
  storage::PutU64BE(&state_, next_event_id_);
  storage::PutU64BE(&state_, next_local_seq_);
  engine_.AppendCheckpoint(&state_);
  block_->Set(group_[kCheckpointBytes], state_.size());
  Bump(kCheckpoints);
  events_since_checkpoint_ = 0;
  return wb.Put(layout_.state, kStateKey, state_);
}

}  // namespace vigil::correlator
