// CorrelationEngine: runs a RuleSet over a stream of events in EVENT time and emits
// correlated alerts.
//
// How time works. The watermark is the newest event time seen. An event older than
// (watermark - allowed_lateness) is late: counted and dropped. Otherwise each detection rule
// that matches it produces a "hit" (group key, value, event id) that waits in a reorder buffer
// until the watermark has moved allowed_lateness past it; hits then leave the buffer in event-time
// order, so windows see events in order whatever order they arrived in (within the lateness),
// and a replay gives the same alerts however it is interleaved. The price is that an alert
// comes out when the watermark passes its time + allowed_lateness (Flush() at end of input,
// AdvanceTo() on idle links move time on without events).
//
// Windows. A window of length `timespan` ends at each hit; it holds the hits with
// time >= hit time - timespan: the boundary is INCLUSIVE (an event exactly `timespan` after the
// first is in the same window; one a millisecond later is not). When a rule's condition holds,
// the engine emits an alert and clears that group's window, so the next alert for the key needs
// a fresh accumulation; `suppress` additionally mutes the key for a while.
//
// Chaining. Every correlation alert is turned into an event (event_type "correlation", group
// fields at their paths and under correlation.group.*) and fed back at the alert's time to the
// rules that reference the firing rule and to detection rules on category correlation.
//
//   VIGIL_TRY(RuleSet rules, builder.Build());
//   CorrelationEngine engine(std::make_shared<const RuleSet>(std::move(rules)), EngineConfig{});
//   std::vector<CorrelationAlert> out;
//   engine.Process(event, out);       // per event, from the ingest thread
//   engine.Flush(out);                // end of input
//   std::string bytes = engine.Checkpoint();   // persist atomically with the events
//   engine2.Restore(bytes);                    // resumes exactly there
//
// One engine is used by one thread. Scale out by partitioning events by group key.
#pragma once

#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "core/result.h"
#include "correlator/engine/correlation_alert.h"
#include "correlator/engine/detection_guard.h"
#include "correlator/engine/group_table.h"
#include "correlator/engine/reuse_ring.h"
#include "rules/correlation/regex.h"
#include "rules/correlation/rule_set.h"

namespace vigil {

struct EngineConfig {
  // Out-of-order tolerance in event time. Events older than watermark - this are dropped (and
  // counted as late); alerts are delayed by this much event time. Default 30 s.
  int64_t allowed_lateness_ns = 30LL * 1'000'000'000;
  // Group-by keys kept per correlation rule; beyond it the least recently updated is evicted.
  uint32_t max_groups_per_rule = 100'000;
  // Hits kept per group window; beyond it the oldest are dropped (counted). Bounds memory when
  // a key is flooded.
  uint32_t max_entries_per_group = 10'000;
  // Event ids listed per alert (the first ones of the window).
  uint32_t max_event_ids = 100;
  // Hits waiting in the reorder buffer; beyond it the oldest are released early (counted).
  uint32_t max_pending_hits = 1'000'000;
  // Group keys longer than this (all group-by values together) are not tracked (counted).
  uint32_t max_group_key_bytes = 1024;
  // How many correlations may feed each other in a row at one instant (guards rule loops
  // through detection rules on correlation events; direct cycles are rejected at load).
  uint32_t max_chain_depth = 8;
  MatchScratchConfig match;
};

// Everything the engine counts. Plain numbers, read by the owner of the engine's thread.
struct EngineCounters {
  uint64_t events = 0;              // events given to Process
  uint64_t late_dropped = 0;        // older than watermark - allowed_lateness
  uint64_t detection_matches = 0;   // (event, detection rule) matches
  uint64_t hits = 0;                // hits released into windows (incl. chained)
  uint64_t missing_group_field = 0; // hits skipped: a group-by field absent or not a scalar
  uint64_t missing_value = 0;       // hits skipped: the value field absent (value_* types)
  uint64_t key_too_long = 0;        // hits skipped: group key over max_group_key_bytes
  uint64_t groups_evicted = 0;      // groups evicted because a rule hit max_groups_per_rule
  uint64_t groups_expired = 0;      // idle groups dropped after their window passed
  uint64_t entries_dropped = 0;     // window entries dropped over max_entries_per_group
  uint64_t pending_overflow = 0;    // hits released early over max_pending_hits
  uint64_t alerts = 0;              // alerts emitted (correlation and generate)
  uint64_t suppressed = 0;          // alerts withheld by `suppress`
  uint64_t absence_cancelled = 0;   // absence waits ended by the expected event
  uint64_t chain_depth_exceeded = 0;// alerts not fed back: max_chain_depth
  uint64_t regex_errors = 0;        // regex evaluations that hit the match limit
};

class CorrelationEngine {
 public:
  CorrelationEngine(std::shared_ptr<const RuleSet> rules, const EngineConfig& config);

  // Feeds one event; alerts that become due are appended to out.
  void Process(const EventView& ev, std::vector<CorrelationAlert>& out);
  // Moves the watermark to t without an event (e.g. from the wall clock on an idle link), so
  // windows and absence timers before t - allowed_lateness are settled.
  void AdvanceTo(Timestamp t, std::vector<CorrelationAlert>& out);
  // End of input: releases every buffered hit and fires every timer due before the newest event.
  void Flush(std::vector<CorrelationAlert>& out);

  // The whole state (watermark, reorder buffer, windows, suppression, timers, id counters).
  std::string Checkpoint() const;
  // The same appended to *out: a caller that reuses its buffer (megabytes with busy rules)
  // neither reallocates nor faults in fresh pages per checkpoint.
  void AppendCheckpoint(std::string* out) const;
  // Replaces the state with a checkpoint taken under a rule set with the same fingerprint.
  // On error the engine is left empty (as if new).
  Status Restore(std::string_view bytes);

  const EngineCounters& counters() const { return counters_; }
  Timestamp watermark() const { return Timestamp{watermark_}; }
  size_t pending_hits() const { return in_order_.size() + late_hits_; }
  size_t group_count() const;
  const RuleSet& rules() const { return *rules_; }

 private:
  struct Hit {
    int64_t t;
    uint64_t seq;
    uint64_t event_id;
    uint32_t corr;
    uint32_t source;
    uint32_t depth;
    bool consumed;      // in late_store_: already released (waits there until the front passes)
    uint64_t value;     // WindowEntry::value
    uint64_t key_hash;  // GroupTable::HashKey(key)
    std::string key;
  };
  struct HitLater {
    bool operator()(const Hit& a, const Hit& b) const { return a.t != b.t ? a.t > b.t : a.seq > b.seq; }
  };
  struct Timer {
    int64_t deadline;
    uint32_t corr;
    uint64_t seq;
    std::string key;
  };
  struct TimerLater {
    bool operator()(const Timer& a, const Timer& b) const {
      if (a.deadline != b.deadline) return a.deadline > b.deadline;
      if (a.corr != b.corr) return a.corr > b.corr;
      return a.seq > b.seq;
    }
  };

  void Reset();
  void MakeHits(const EventView& ev, uint32_t d, uint32_t depth);
  void MakeHit(const EventView& ev, RuleSet::Consumer c, uint32_t depth);
  // Applies buffered hits with t < limit and fires timers with deadline < timer_limit, in order.
  void Release(int64_t limit, std::vector<CorrelationAlert>& out);
  void Release(int64_t limit, int64_t timer_limit, std::vector<CorrelationAlert>& out);
  void Apply(const Hit& h, std::vector<CorrelationAlert>& out);
  void FireTimer(const Timer& tm, std::vector<CorrelationAlert>& out);
  void PushEntry(const CorrelationRule& r, GroupState& g, const WindowEntry& e);
  void PopFront(const CorrelationRule& r, GroupState& g);
  void ExpireIdle(uint32_t corr, int64_t now);
  // Evaluates the rule on group g after a hit at now; fills the aggregate fields of a.
  bool Evaluate(const CorrelationRule& r, const GroupState& g, const Hit& h, CorrelationAlert& a);
  void Emit(uint32_t corr, GroupState& g, CorrelationAlert&& a, uint32_t depth, std::vector<CorrelationAlert>& out);
  void FeedBack(const CorrelationAlert& a, uint32_t depth);
  CorrelationAlert NewAlert(const CorrelationRule& r, uint32_t corr, const GroupState& g) const;
  // Checkpoint formats (correlation_engine.cc): version 2 (varints, deltas) is written; version 1
  // (fixed width) is still read. The readers decode records; the Restore* helpers below check
  // them and rebuild the state, the same for both versions.
  bool RestoreStateV1(ByteReader& r);
  bool RestoreStateV2(ByteReader& r);
  bool RestoreHit(ByteReader& r, Hit&& h);
  bool RestoreEntry(ByteReader& r, const CorrelationRule& rule, GroupState& g, const WindowEntry& e);
  bool RestoreGroup(ByteReader& r, uint32_t corr, GroupState&& g);

  std::shared_ptr<const RuleSet> rules_;
  EngineConfig config_;
  MatchScratch scratch_;
  DetectionGuards guards_;  // per event: skips the detection rules that cannot match
  EngineCounters counters_;
  std::vector<GroupTable> tables_;  // one per correlation rule
  // The reorder buffer. Most hits arrive in time order and are appended to in_order_ (sorted by
  // construction); the others wait in late_store_ and late_heap_. The next hit is the earlier of
  // the two heads. Both rings reuse their hits' key strings (see reuse_ring.h).
  ReuseRing<Hit> in_order_;
  // Late hits are stored in arrival order in late_store_ and wait in runs: the hits one event (or
  // one chained alert) makes share its time and have consecutive seqs, so they are adjacent in
  // the store, leave the buffer together and take one heap entry. A run is a reused slot of
  // late_runs_ naming its store positions; the heap orders small handles (time, seq of the run's
  // next hit, slot). Nothing else can fall between a run's hits in (t, seq) order, so the handle
  // of a partly consumed run stays the heap's top. Released hits are marked consumed; the store's
  // front moves past them (release order is close to arrival order, so it follows closely).
  struct LateRun {
    uint64_t next = 0;  // late_store_ positions [next, end) still wait
    uint64_t end = 0;
  };
  struct LateRef {
    int64_t t;
    uint64_t seq;
    uint32_t slot;
  };
  struct LateRefLater {
    bool operator()(const LateRef& a, const LateRef& b) const { return a.t != b.t ? a.t > b.t : a.seq > b.seq; }
  };
  static constexpr uint32_t kNoRun = ~uint32_t{0};
  ReuseRing<Hit> late_store_;
  std::vector<LateRef> late_heap_;  // a heap (std::push_heap/pop_heap, LateRefLater)
  std::vector<LateRun> late_runs_;
  std::vector<uint32_t> free_runs_;
  uint32_t last_run_ = kNoRun;  // the run the latest late hit went to, while it waits
  size_t late_hits_ = 0;        // hits waiting in late runs
  // Buffers a hit: proto's fields (its key ignored; seq and consumed are set here) with key.
  void PushHit(const Hit& proto, std::string_view key);
  // The time of the next hit to release and whether it is the late heap's top (read from the
  // heap's handle, not the hit); false when no hit waits.
  bool NextHit(int64_t* t, bool* late) const;
  // Takes the next hit out of the buffer into current_ (which Apply may read while it buffers
  // new hits) and returns it.
  const Hit& TakeHit(bool late);
  Hit current_{};
  std::priority_queue<Timer, std::vector<Timer>, TimerLater> timers_;
  std::vector<double> percentile_scratch_;
  std::string key_scratch_;
  bool have_watermark_ = false;
  int64_t watermark_ = 0;
  int64_t released_ = GroupState::kNever;  // hits before this time have been applied
  uint64_t hit_seq_ = 0;
  uint64_t timer_seq_ = 0;
  uint64_t alert_seq_ = 0;
};

}  // namespace vigil
