#include "correlator/engine/correlation_engine.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>

#include "correlator/engine/flat_event.h"

namespace vigil {
namespace {

using T = CorrelationType;

// Group keys: each value as a 2-byte little-endian length and its bytes, so any value (even
// one holding separators) round-trips exactly.
void AppendKeyPart(std::string& key, std::string_view v) {
  const size_t n = std::min<size_t>(v.size(), 0xffff);
  key.push_back(static_cast<char>(n & 0xff));
  key.push_back(static_cast<char>(n >> 8));
  key.append(v.data(), n);
}

std::vector<std::string> DecodeKey(std::string_view key) {
  std::vector<std::string> parts;
  size_t p = 0;
  while (p + 2 <= key.size()) {
    const size_t n = static_cast<uint8_t>(key[p]) | (static_cast<size_t>(static_cast<uint8_t>(key[p + 1])) << 8);
    p += 2;
    if (n > key.size() - p) break;
    parts.emplace_back(key.substr(p, n));
    p += n;
  }
  return parts;
}

// The text of a scalar field, for keys and distinct values; false when there is none.
bool ScalarText(const FieldValue& v, char (&buf)[32], std::string_view* out) {
  switch (v.kind) {
    case FieldValue::Kind::kString: *out = v.str; return true;
    case FieldValue::Kind::kNumber: *out = FormatNumber(v.num, buf); return true;
    case FieldValue::Kind::kBool: *out = v.num != 0 ? "true" : "false"; return true;
    default: return false;
  }
}

}  // namespace

CorrelationEngine::CorrelationEngine(std::shared_ptr<const RuleSet> rules, const EngineConfig& config)
    : rules_(std::move(rules)), config_(config), scratch_(config.match), guards_(*rules_) {
  Reset();
}

void CorrelationEngine::Reset() {
  tables_.clear();
  tables_.reserve(rules_->correlations().size());
  for (size_t i = 0; i < rules_->correlations().size(); ++i) tables_.emplace_back(config_.max_groups_per_rule);
  in_order_.clear();
  late_store_.clear();
  late_heap_.clear();
  late_runs_.clear();
  free_runs_.clear();
  last_run_ = kNoRun;
  late_hits_ = 0;
  timers_ = {};
  have_watermark_ = false;
  watermark_ = 0;
  released_ = GroupState::kNever;
  hit_seq_ = timer_seq_ = alert_seq_ = 0;
}

size_t CorrelationEngine::group_count() const {
  size_t n = 0;
  for (const auto& t : tables_) n += t.size();
  return n;
}

// ---------------------------------------------------------------------------------------------
// Input

void CorrelationEngine::Process(const EventView& ev, std::vector<CorrelationAlert>& out) {
  ++counters_.events;
  const int64_t t = ev.timestamp().ns;
  if (have_watermark_ && t < watermark_ - config_.allowed_lateness_ns) {
    ++counters_.late_dropped;
    return;
  }
  if (!have_watermark_ || t > watermark_) watermark_ = t;
  have_watermark_ = true;

  guards_.NewEvent();
  for (uint32_t d : rules_->DetectionsFor(ev.event_type())) {
    if (!guards_.MayMatch(d, ev, scratch_) || !rules_->detections()[d].Matches(ev, scratch_)) continue;
    ++counters_.detection_matches;
    if (rules_->DetectionGenerates(d)) {
      const DetectionRule& dr = rules_->detections()[d];
      CorrelationAlert a;
      a.alert_id = ++alert_seq_;
      a.from_detection = true;
      a.rule_index = d;
      a.rule_id = dr.id;
      a.rule_name = dr.name;
      a.title = dr.title;
      a.level = dr.level.empty() ? "informational" : dr.level;
      a.severity = LevelSeverity(a.level);
      a.risk = LevelDefaultRisk(a.level);
      a.window_start = a.window_end = ev.timestamp();
      a.count = 1;
      a.event_ids.push_back(ev.id());
      ++counters_.alerts;
      out.push_back(std::move(a));
    }
    MakeHits(ev, d, 0);
  }
  counters_.regex_errors = scratch_.regex_errors;
  while (pending_hits() > config_.max_pending_hits) {
    // Over the buffer bound: settle the oldest hit now rather than grow without limit.
    ++counters_.pending_overflow;
    int64_t next = 0;
    bool late = false;
    NextHit(&next, &late);
    Release(next + 1, out);
  }
  Release(watermark_ - config_.allowed_lateness_ns, out);
}

void CorrelationEngine::AdvanceTo(Timestamp t, std::vector<CorrelationAlert>& out) {
  if (!have_watermark_ || t.ns > watermark_) watermark_ = t.ns;
  have_watermark_ = true;
  Release(watermark_ - config_.allowed_lateness_ns, out);
}

void CorrelationEngine::Flush(std::vector<CorrelationAlert>& out) {
  if (!have_watermark_) return;
  // Everything up to and including the newest event; timers strictly after it stay armed:
  // the input ended, not time.
  Release(watermark_ + 1, watermark_, out);
}

void CorrelationEngine::MakeHits(const EventView& ev, uint32_t d, uint32_t depth) {
  for (const RuleSet::Consumer& c : rules_->ConsumersOfDetection(d)) MakeHit(ev, c, depth);
}

void CorrelationEngine::MakeHit(const EventView& ev, RuleSet::Consumer c, uint32_t depth) {
  const CorrelationRule& r = rules_->correlations()[c.correlation];
  const CorrelationRule::Source& src = r.sources[c.source];
  char buf[32];
  key_scratch_.clear();
  for (const FieldPath& p : src.group_paths) {
    std::string_view text;
    if (!ScalarText(ev.Get(p), buf, &text)) {
      ++counters_.missing_group_field;
      return;
    }
    AppendKeyPart(key_scratch_, text);
  }
  if (key_scratch_.size() > config_.max_group_key_bytes) {
    ++counters_.key_too_long;
    return;
  }
  Hit h{ev.timestamp().ns, 0, ev.id(), c.correlation, c.source, depth, false, 0, GroupTable::HashKey(key_scratch_), {}};
  if (!src.value_path.empty()) {
    const FieldValue v = ev.Get(src.value_path);
    if (r.type == T::kValueCount) {
      std::string_view text;
      if (!ScalarText(v, buf, &text)) {
        ++counters_.missing_value;
        return;
      }
      h.value = FieldPath::Hash(text);
    } else {
      double d;
      if (v.is_number()) {
        d = v.num;
      } else if (!v.is_string() || v.str.empty() ||
                 std::from_chars(v.str.data(), v.str.data() + v.str.size(), d).ptr != v.str.data() + v.str.size()) {
        ++counters_.missing_value;
        return;
      }
      if (!std::isfinite(d)) {
        ++counters_.missing_value;
        return;
      }
      h.value = std::bit_cast<uint64_t>(d);
    }
  }
  PushHit(h, key_scratch_);
}

void CorrelationEngine::PushHit(const Hit& proto, std::string_view key) {
  const uint64_t seq = ++hit_seq_;
  Hit* slot;
  if (in_order_.empty() || proto.t >= in_order_.back().t) {
    slot = &in_order_.push_back();
  } else {
    ++late_hits_;
    // The latest late hit is the last run's last one (and the store's back) while that run waits.
    if (last_run_ != kNoRun && late_store_.back().t == proto.t && late_store_.back().seq + 1 == seq) {
      ++late_runs_[last_run_].end;  // the run's handle still names its next hit
    } else {
      uint32_t r;
      if (free_runs_.empty()) {
        r = static_cast<uint32_t>(late_runs_.size());
        late_runs_.emplace_back();
      } else {
        r = free_runs_.back();
        free_runs_.pop_back();
      }
      late_runs_[r] = LateRun{late_store_.end_pos(), late_store_.end_pos() + 1};
      late_heap_.push_back(LateRef{proto.t, seq, r});
      std::push_heap(late_heap_.begin(), late_heap_.end(), LateRefLater());
      last_run_ = r;
    }
    slot = &late_store_.push_back();
  }
  *slot = proto;  // copy-assigns an empty key: the slot's string keeps its capacity
  slot->seq = seq;
  slot->consumed = false;
  slot->key.assign(key);
}

bool CorrelationEngine::NextHit(int64_t* t, bool* late) const {
  if (late_heap_.empty()) {
    if (in_order_.empty()) return false;
    *t = in_order_.front().t;
    *late = false;
    return true;
  }
  const LateRef& top = late_heap_.front();
  if (in_order_.empty()) {
    *t = top.t;
    *late = true;
    return true;
  }
  const Hit& a = in_order_.front();
  *late = a.t != top.t ? top.t < a.t : top.seq < a.seq;
  *t = *late ? top.t : a.t;
  return true;
}

const CorrelationEngine::Hit& CorrelationEngine::TakeHit(bool late) {
  if (!late) {
    current_ = in_order_.front();
    in_order_.pop_front();
    return current_;
  }
  LateRef& top = late_heap_.front();
  LateRun& run = late_runs_[top.slot];
  Hit& h = late_store_.at_pos(run.next++);
  current_ = h;
  h.consumed = true;
  --late_hits_;
  if (run.next < run.end) {
    top.seq = late_store_.at_pos(run.next).seq;  // same time, next seq: still the smallest
  } else {
    const uint32_t slot = top.slot;
    std::pop_heap(late_heap_.begin(), late_heap_.end(), LateRefLater());
    late_heap_.pop_back();
    free_runs_.push_back(slot);
    if (last_run_ == slot) last_run_ = kNoRun;
  }
  while (!late_store_.empty() && late_store_.front().consumed) late_store_.pop_front();
  return current_;
}

// ---------------------------------------------------------------------------------------------
// Event-time progress

void CorrelationEngine::Release(int64_t limit, std::vector<CorrelationAlert>& out) { Release(limit, limit, out); }

void CorrelationEngine::Release(int64_t limit, int64_t timer_limit, std::vector<CorrelationAlert>& out) {
  while (true) {
    int64_t next_hit = INT64_MAX;
    bool late = false;
    if (!NextHit(&next_hit, &late)) next_hit = INT64_MAX;
    const int64_t next_timer = timers_.empty() ? INT64_MAX : timers_.top().deadline;
    // A deadline has passed once a later hit (or the limit) is beyond it; a hit exactly at the
    // deadline goes first, so "followed within the timespan" includes the boundary.
    if (next_timer < next_hit && next_timer < timer_limit) {
      Timer tm = timers_.top();
      timers_.pop();
      released_ = std::max(released_, tm.deadline);
      FireTimer(tm, out);
      continue;
    }
    if (next_hit < limit) {
      const Hit& h = TakeHit(late);
      released_ = std::max(released_, h.t);
      Apply(h, out);
      continue;
    }
    break;
  }
}

// ---------------------------------------------------------------------------------------------
// Windows

void CorrelationEngine::PushEntry(const CorrelationRule& r, GroupState& g, const WindowEntry& e) {
  switch (r.type) {
    case T::kValueCount: g.distinct.Add(e.value); break;
    case T::kValueSum:
    case T::kValueAvg: g.sum += e.number(); break;
    case T::kTemporal:
    case T::kTemporalOrdered:
      if (g.per_source.size() < r.sources.size()) g.per_source.resize(r.sources.size(), 0);
      if (g.per_source[e.source]++ == 0) ++g.sources_seen;
      break;
    case T::kPeriodicity:
      if (!g.empty()) {
        const double iv = static_cast<double>(e.t - g.back().t) / 1e9;
        g.isum += iv;
        g.isum2 += iv * iv;
      }
      break;
    default: break;
  }
  g.entries.push_back(e);
}

void CorrelationEngine::PopFront(const CorrelationRule& r, GroupState& g) {
  const WindowEntry& e = g.front();
  switch (r.type) {
    case T::kValueCount: {
      g.distinct.Remove(e.value);
      break;
    }
    case T::kValueSum:
    case T::kValueAvg: g.sum -= e.number(); break;
    case T::kTemporal:
    case T::kTemporalOrdered:
      if (e.source < g.per_source.size() && --g.per_source[e.source] == 0) --g.sources_seen;
      break;
    case T::kPeriodicity:
      if (g.size() > 1) {
        const double iv = static_cast<double>(g.at(1).t - e.t) / 1e9;
        g.isum -= iv;
        g.isum2 -= iv * iv;
      }
      break;
    default: break;
  }
  g.PopFront();
  if (g.empty()) g.sum = g.isum = g.isum2 = 0;  // no drift carried into the next window
}

void CorrelationEngine::ExpireIdle(uint32_t corr, int64_t now) {
  const CorrelationRule& r = rules_->correlations()[corr];
  GroupTable& table = tables_[corr];
  // Groups are linked by last update, and updates come in event-time order: only the old end
  // can be idle. Stop at the first group still in use.
  for (int i = 0; i < 4; ++i) {
    GroupState* g = table.Oldest();
    if (g == nullptr || g->pending || g->suppress_until > now || now - g->last_t <= r.timespan_ns) return;
    table.Remove(g);
    ++counters_.groups_expired;
  }
}

void CorrelationEngine::Apply(const Hit& h, std::vector<CorrelationAlert>& out) {
  ++counters_.hits;
  const CorrelationRule& r = rules_->correlations()[h.corr];
  ExpireIdle(h.corr, h.t);
  bool evicted = false;
  GroupState* gp = tables_[h.corr].FindOrCreate(h.key, h.key_hash, h.t, &evicted);
  if (evicted) ++counters_.groups_evicted;
  GroupState& g = *gp;

  if (r.type == T::kAbsence) {
    if (h.source == 0) {
      if (!g.pending) {
        g.ClearWindow();
        g.pending = true;
        g.deadline = h.t + r.timespan_ns;
        g.timer_seq = ++timer_seq_;
        g.triggers = 0;
        g.entries.push_back(WindowEntry{h.t, h.event_id, 0, 0});
        timers_.push(Timer{g.deadline, h.corr, g.timer_seq, g.key});
      }
      ++g.triggers;
    } else if (g.pending && h.t <= g.deadline) {
      g.pending = false;
      g.ClearWindow();
      ++counters_.absence_cancelled;
    }
    return;
  }

  PushEntry(r, g, WindowEntry{h.t, h.event_id, h.value, h.source});
  // Inclusive window: keep entries with t >= now - timespan.
  while (!g.empty() && g.front().t < h.t - r.timespan_ns) PopFront(r, g);
  while (g.size() > config_.max_entries_per_group) {
    PopFront(r, g);
    ++counters_.entries_dropped;
  }

  CorrelationAlert a;
  if (!Evaluate(r, g, h, a)) return;
  Emit(h.corr, g, std::move(a), h.depth, out);
}

bool CorrelationEngine::Evaluate(const CorrelationRule& r, const GroupState& g, const Hit& h, CorrelationAlert& a) {
  const double n = static_cast<double>(g.size());
  switch (r.type) {
    case T::kEventCount:
      if (!r.condition.Test(n)) return false;
      a.count = g.size();
      return true;
    case T::kValueCount:
      if (!r.condition.Test(static_cast<double>(g.distinct.size()))) return false;
      a.count = g.size();
      a.has_value = true;
      a.value = static_cast<double>(g.distinct.size());
      return true;
    case T::kValueSum:
    case T::kValueAvg: {
      const double v = r.type == T::kValueSum ? g.sum : g.sum / n;
      if (!r.condition.Test(v)) return false;
      a.count = g.size();
      a.has_value = true;
      a.value = v;
      return true;
    }
    case T::kValuePercentile: {
      percentile_scratch_.clear();
      for (size_t i = 0; i < g.size(); ++i) percentile_scratch_.push_back(g.at(i).number());
      // Nearest-rank percentile: the smallest value with at least p% of the values <= it.
      size_t rank = static_cast<size_t>(std::ceil(r.percentile / 100.0 * n));
      rank = std::clamp<size_t>(rank, 1, percentile_scratch_.size()) - 1;
      std::nth_element(percentile_scratch_.begin(), percentile_scratch_.begin() + static_cast<long>(rank),
                       percentile_scratch_.end());
      const double v = percentile_scratch_[rank];
      if (!r.condition.Test(v)) return false;
      a.count = g.size();
      a.has_value = true;
      a.value = v;
      return true;
    }
    case T::kTemporal:
      if (!r.condition.Test(static_cast<double>(g.sources_seen))) return false;
      a.count = g.size();
      a.has_value = true;
      a.value = g.sources_seen;
      return true;
    case T::kTemporalOrdered: {
      const uint32_t last = static_cast<uint32_t>(r.sources.size() - 1);
      if (h.source != last || g.sources_seen < r.sources.size()) return false;
      // Latest possible predecessor of each step, walking back from this hit: if a chain exists
      // inside the window, this greedy walk finds one.
      size_t pos = g.size() - 1;
      for (int k = static_cast<int>(last) - 1; k >= 0; --k) {
        bool found = false;
        while (pos > 0) {
          --pos;
          if (g.at(pos).source == static_cast<uint32_t>(k)) {
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
      a.count = g.size();
      a.has_value = true;
      a.value = static_cast<double>(r.sources.size());
      return true;
    }
    case T::kPeriodicity: {
      const PeriodicitySpec& p = r.periodicity;
      if (g.size() < p.min_events) return false;
      const double k = n - 1;  // intervals
      const double mean = g.isum / k;
      const double var = std::max(0.0, g.isum2 / k - mean * mean);
      const double jitter = mean > 0 ? std::sqrt(var) / mean : INFINITY;
      const double min_s = static_cast<double>(p.min_interval_ns) / 1e9;
      const double max_s = static_cast<double>(p.max_interval_ns) / 1e9;
      if (mean < min_s || mean > max_s || jitter > p.max_jitter) return false;
      a.count = g.size();
      a.has_value = true;
      a.value = mean;
      a.has_jitter = true;
      a.jitter = jitter;
      return true;
    }
    case T::kAbsence:
      return false;  // fires from its timer
  }
  return false;
}

CorrelationAlert CorrelationEngine::NewAlert(const CorrelationRule& r, uint32_t corr, const GroupState& g) const {
  CorrelationAlert a;
  a.rule_index = corr;
  a.rule_id = r.id;
  a.rule_name = r.name;
  a.title = r.title;
  a.level = r.level;
  a.severity = LevelSeverity(r.level);
  a.risk = r.risk;
  a.type = r.type;
  std::vector<std::string> values = DecodeKey(g.key);
  for (size_t i = 0; i < r.group_by.size() && i < values.size(); ++i) a.group.emplace_back(r.group_by[i], values[i]);
  return a;
}

void CorrelationEngine::Emit(uint32_t corr, GroupState& g, CorrelationAlert&& agg, uint32_t depth,
                             std::vector<CorrelationAlert>& out) {
  const CorrelationRule& r = rules_->correlations()[corr];
  const int64_t now = g.back().t;
  const int64_t start = g.front().t;
  if (g.suppress_until > now) {
    ++counters_.suppressed;
    g.ClearWindow();
    return;
  }
  CorrelationAlert a = NewAlert(r, corr, g);
  a.count = agg.count;
  a.has_value = agg.has_value;
  a.value = agg.value;
  a.has_jitter = agg.has_jitter;
  a.jitter = agg.jitter;
  a.window_start = Timestamp{start};
  a.window_end = Timestamp{now};
  const size_t ids = std::min<size_t>(g.size(), config_.max_event_ids);
  for (size_t i = 0; i < ids; ++i) a.event_ids.push_back(g.at(i).event_id);
  a.event_ids_truncated = g.size() > ids;
  a.chain_depth = depth;
  a.alert_id = ++alert_seq_;
  if (r.suppress_ns > 0) g.suppress_until = now + r.suppress_ns;
  g.ClearWindow();
  ++counters_.alerts;
  FeedBack(a, depth);
  out.push_back(std::move(a));
}

void CorrelationEngine::FireTimer(const Timer& tm, std::vector<CorrelationAlert>& out) {
  GroupState* g = tables_[tm.corr].Find(tm.key, GroupTable::HashKey(tm.key));
  if (g == nullptr || !g->pending || g->timer_seq != tm.seq || g->deadline != tm.deadline) return;  // stale
  const CorrelationRule& r = rules_->correlations()[tm.corr];
  g->pending = false;
  CorrelationAlert a = NewAlert(r, tm.corr, *g);
  a.window_start = Timestamp{g->empty() ? tm.deadline - r.timespan_ns : g->front().t};
  a.window_end = Timestamp{tm.deadline};
  a.count = g->triggers;
  if (!g->empty()) a.event_ids.push_back(g->front().event_id);
  g->ClearWindow();
  if (g->suppress_until > tm.deadline) {
    ++counters_.suppressed;
    return;
  }
  if (r.suppress_ns > 0) g->suppress_until = tm.deadline + r.suppress_ns;
  a.alert_id = ++alert_seq_;
  ++counters_.alerts;
  FeedBack(a, 0);
  out.push_back(std::move(a));
}

// ---------------------------------------------------------------------------------------------
// Chaining

void CorrelationEngine::FeedBack(const CorrelationAlert& a, uint32_t depth) {
  const uint32_t corr = a.rule_index;
  const bool has_consumers = !rules_->ConsumersOfCorrelation(corr).empty();
  const auto detections = rules_->DetectionsFor("correlation");
  if (!has_consumers && detections.empty()) return;
  if (depth + 1 > config_.max_chain_depth) {
    ++counters_.chain_depth_exceeded;
    return;
  }
  FlatEvent ev;
  ev.SetType("correlation").SetTime(a.window_end).SetId(a.alert_id);
  ev.Set("correlation.rule_id", a.rule_id)
      .Set("correlation.rule_name", a.rule_name)
      .Set("correlation.title", a.title)
      .Set("correlation.type", CorrelationTypeName(a.type))
      .Set("correlation.level", a.level)
      .Set("correlation.risk", static_cast<double>(a.risk))
      .Set("correlation.count", static_cast<double>(a.count));
  if (a.has_value) ev.Set("correlation.value", a.value);
  for (const auto& [field, value] : a.group) {
    ev.Set(field, value);
    ev.Set("correlation.group." + field, value);
  }
  for (const RuleSet::Consumer& c : rules_->ConsumersOfCorrelation(corr)) MakeHit(ev, c, depth + 1);
  for (uint32_t d : detections) {
    if (rules_->detections()[d].Matches(ev, scratch_)) {
      ++counters_.detection_matches;
      MakeHits(ev, d, depth + 1);
    }
  }
}

}  // namespace vigil
