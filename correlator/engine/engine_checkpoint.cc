// CorrelationEngine's checkpoints: the whole state as bytes (Checkpoint, AppendCheckpoint) and
// back (Restore). The formats are described below; see correlation_engine.h for the contract.
#include <algorithm>
#include <bit>

#include "correlator/engine/correlation_engine.h"

namespace vigil {

using T = CorrelationType;

// Both versions start with magic (U32), version (U32) and the rule set's fingerprint (U64).
//
// Version 1 (read only): everything fixed width. Header: U8 have_watermark, I64 watermark,
// I64 released, U64 hit_seq, timer_seq, alert_seq. U64 n pending hits in release order, each
// I64 t, U64 seq, event_id, U32 corr, source, depth, U64 value, Str key. U64 tables, per table
// U64 groups oldest first, each Str key, U64 n entries of (I64 t, U64 event_id, U64 value,
// U32 source), F64 sum, isum, isum2, I64 suppress_until, U8 pending, I64 deadline,
// U64 timer_seq, triggers, I64 last_t.
//
// Version 2 (written): the same state in varints (V: LEB128 varint; D: zigzag varint of
// the delta from the value named, with wrap-around), so the common small numbers and the times close
// to each other take a byte or two instead of eight. Values (a hash or a double's bits) and the
// running sums stay fixed 8 bytes, so they are bit-for-bit the saved ones. Time deltas of hits
// and of each group's entries are written in the coarsest unit (ns, us, ms) that divides them
// all: sensors stamp events in microseconds, so a nanosecond delta would waste ten bits.
//   U8 have_watermark, I64 watermark, released D(watermark), V hit_seq, timer_seq, alert_seq.
//   V n pending hits in release order, U8 flags (1: hits carry values, 6: time unit << 1); per hit
//     t D(previous t, first: watermark) in the time unit, seq D(previous seq, first: 0),
//     event_id D(previous event_id, first: 0), V corr, source, depth, [U64 value], VStr key.
//   V tables; per table V groups oldest first; per group
//     VStr key, U8 flags (kGroup* below), last_t D(watermark), V n entries, each
//     t D(previous t, first: last_t) in the time unit, event_id D(previous event_id, first: 0), V source,
//     [U64 value]; [F64 sum, isum, isum2], [suppress_until D(last_t)], [deadline D(last_t)],
//     V timer_seq, V triggers.
namespace {
constexpr uint32_t kCheckpointMagic = 0x31454356;  // "VCE1"
constexpr uint32_t kCheckpointV1 = 1;
constexpr uint32_t kCheckpointV2 = 2;

constexpr uint8_t kHitsHaveValues = 1;
constexpr uint8_t kHitsUnitShift = 1;         // 2 bits: TimeUnit code
constexpr uint8_t kHitFlags = 7;
constexpr uint8_t kGroupPending = 1;          // absence wait running
constexpr uint8_t kGroupEntryValues = 2;      // entries carry their value (some value != 0)
constexpr uint8_t kGroupSums = 4;             // sum/isum/isum2 follow (some not all-zero bits)
constexpr uint8_t kGroupSuppressed = 8;       // suppress_until != kNever follows
constexpr uint8_t kGroupDeadline = 16;        // deadline != 0 follows
constexpr uint8_t kGroupUnitShift = 5;        // 2 bits: TimeUnit code of the entries' deltas
constexpr uint8_t kGroupFlags = 127;

// Smallest encodings, to reject counts the remaining bytes cannot hold.
constexpr size_t kMinHitBytesV2 = 7;    // t, seq, event_id, corr, source, depth, key length
constexpr size_t kMinGroupBytesV2 = 6;  // key length, flags, last_t, count, timer_seq, triggers
constexpr size_t kMinEntryBytesV2 = 3;  // t, event_id, source

bool AnyBits(double a, double b, double c) {
  return (std::bit_cast<uint64_t>(a) | std::bit_cast<uint64_t>(b) | std::bit_cast<uint64_t>(c)) != 0;
}

// The coarsest of ns (code 0), us (1), ms (2) that divides every delta Add()ed.
class TimeUnit {
 public:
  void Add(int64_t d) {
    us_ &= d % 1000 == 0;
    ms_ &= d % 1'000'000 == 0;
  }
  uint8_t code() const { return ms_ ? 2 : us_ ? 1 : 0; }
  static int64_t Ns(uint8_t code) { return code == 2 ? 1'000'000 : code == 1 ? 1000 : 1; }
  // d (a multiple of the unit) in the unit; constant divisors, so no division instruction.
  static int64_t Divide(int64_t d, uint8_t code) { return code == 2 ? d / 1'000'000 : code == 1 ? d / 1000 : d; }
  // A delta read back in that unit; wraps (no overflow) on corrupt input.
  static int64_t Scale(int64_t d, int64_t ns) {
    return static_cast<int64_t>(static_cast<uint64_t>(d) * static_cast<uint64_t>(ns));
  }

 private:
  bool us_ = true, ms_ = true;
};
}  // namespace

std::string CorrelationEngine::Checkpoint() const {
  std::string bytes;
  AppendCheckpoint(&bytes);
  return bytes;
}

void CorrelationEngine::AppendCheckpoint(std::string* out) const {
  ByteWriter w(out);
  w.U32(kCheckpointMagic);
  w.U32(kCheckpointV2);
  w.U64(rules_->fingerprint());
  w.U8(have_watermark_ ? 1 : 0);
  w.I64(watermark_);
  w.VarI64(WrapSub(released_, watermark_));
  w.VarU64(hit_seq_);
  w.VarU64(timer_seq_);
  w.VarU64(alert_seq_);
  // The reorder buffer, in release order (t, seq).
  std::vector<const Hit*> pending;
  pending.reserve(pending_hits());
  bool hit_values = false;
  for (uint64_t p = in_order_.begin_pos(); p < in_order_.end_pos(); ++p) pending.push_back(&in_order_.at_pos(p));
  for (const LateRef& ref : late_heap_) {
    const LateRun& run = late_runs_[ref.slot];
    for (uint64_t p = run.next; p < run.end; ++p) pending.push_back(&late_store_.at_pos(p));
  }
  std::sort(pending.begin(), pending.end(), [](const Hit* a, const Hit* b) { return HitLater()(*b, *a); });
  TimeUnit hit_unit;
  int64_t prev_t = watermark_;
  for (const Hit* hp : pending) {
    hit_values |= hp->value != 0;
    hit_unit.Add(WrapSub(hp->t, prev_t));
    prev_t = hp->t;
  }
  w.VarU64(pending.size());
  w.U8(static_cast<uint8_t>((hit_values ? kHitsHaveValues : 0) | hit_unit.code() << kHitsUnitShift));
  constexpr size_t kVar = ByteWriter::kMaxVarBytes;
  prev_t = watermark_;
  uint64_t prev_seq = 0, prev_id = 0;
  for (const Hit* hp : pending) {
    const Hit& h = *hp;
    char* p = w.Begin(7 * kVar + 8 + h.key.size());
    p = ByteWriter::PutVarI64(p, TimeUnit::Divide(WrapSub(h.t, prev_t), hit_unit.code()));
    p = ByteWriter::PutVarI64(p, static_cast<int64_t>(h.seq - prev_seq));
    p = ByteWriter::PutVarI64(p, static_cast<int64_t>(h.event_id - prev_id));
    p = ByteWriter::PutVarU64(p, h.corr);
    p = ByteWriter::PutVarU64(p, h.source);
    p = ByteWriter::PutVarU64(p, h.depth);
    if (hit_values) p = ByteWriter::PutU64(p, h.value);
    p = ByteWriter::PutVarU64(p, h.key.size());
    w.Commit(ByteWriter::PutBytes(p, h.key));
    prev_t = h.t;
    prev_seq = h.seq;
    prev_id = h.event_id;
  }
  w.VarU64(tables_.size());
  for (const GroupTable& table : tables_) {
    w.VarU64(table.size());
    table.ForEachOldestFirst([&](const GroupState& g) {
      bool values = false;
      TimeUnit unit;
      int64_t t = g.last_t;
      for (size_t i = 0; i < g.size(); ++i) {
        values |= g.at(i).value != 0;
        unit.Add(WrapSub(g.at(i).t, t));
        t = g.at(i).t;
      }
      const bool sums = AnyBits(g.sum, g.isum, g.isum2);
      const uint8_t flags = (g.pending ? kGroupPending : 0) | (values ? kGroupEntryValues : 0) |
                            (sums ? kGroupSums : 0) | (g.suppress_until != GroupState::kNever ? kGroupSuppressed : 0) |
                            (g.deadline != 0 ? kGroupDeadline : 0) | unit.code() << kGroupUnitShift;
      // One reservation per group: key, flags, 7 varints, 3 doubles and the entries.
      char* p = w.Begin(g.key.size() + 1 + 7 * kVar + 3 * 8 + g.size() * (3 * kVar + 8));
      p = ByteWriter::PutVarU64(p, g.key.size());
      p = ByteWriter::PutBytes(p, g.key);
      *p++ = static_cast<char>(flags);
      p = ByteWriter::PutVarI64(p, WrapSub(g.last_t, watermark_));
      p = ByteWriter::PutVarU64(p, g.size());
      t = g.last_t;
      uint64_t id = 0;
      for (size_t i = 0; i < g.size(); ++i) {
        const WindowEntry& e = g.at(i);
        p = ByteWriter::PutVarI64(p, TimeUnit::Divide(WrapSub(e.t, t), unit.code()));
        p = ByteWriter::PutVarI64(p, static_cast<int64_t>(e.event_id - id));
        p = ByteWriter::PutVarU64(p, e.source);
        if (values) p = ByteWriter::PutU64(p, e.value);
        t = e.t;
        id = e.event_id;
      }
      if (sums) {
        p = ByteWriter::PutU64(p, std::bit_cast<uint64_t>(g.sum));
        p = ByteWriter::PutU64(p, std::bit_cast<uint64_t>(g.isum));
        p = ByteWriter::PutU64(p, std::bit_cast<uint64_t>(g.isum2));
      }
      if (flags & kGroupSuppressed) p = ByteWriter::PutVarI64(p, WrapSub(g.suppress_until, g.last_t));
      if (flags & kGroupDeadline) p = ByteWriter::PutVarI64(p, WrapSub(g.deadline, g.last_t));
      p = ByteWriter::PutVarU64(p, g.timer_seq);
      p = ByteWriter::PutVarU64(p, g.triggers);
      w.Commit(p);
    });
  }
}

Status CorrelationEngine::Restore(std::string_view bytes) {
  Reset();
  ByteReader r(bytes);
  auto fail = [&]() -> Status {
    Reset();
    return r.error();
  };
  uint32_t magic = 0, version = 0;
  uint64_t fingerprint = 0;
  if (!r.U32(&magic) || !r.U32(&version) || !r.U64(&fingerprint)) return fail();
  if (magic != kCheckpointMagic || (version != kCheckpointV1 && version != kCheckpointV2)) {
    r.Fail("not an engine checkpoint of a known version");
    return fail();
  }
  if (fingerprint != rules_->fingerprint()) {
    Reset();
    return Error(ErrorCode::kInvalidArgument, "checkpoint was taken under a different rule set; starting empty");
  }
  if (!(version == kCheckpointV1 ? RestoreStateV1(r) : RestoreStateV2(r))) return fail();
  if (!r.done()) {
    r.Fail("trailing bytes");
    return fail();
  }
  return Ok();
}

bool CorrelationEngine::RestoreStateV1(ByteReader& r) {
  uint8_t have = 0;
  if (!r.U8(&have) || !r.I64(&watermark_) || !r.I64(&released_) || !r.U64(&hit_seq_) || !r.U64(&timer_seq_) ||
      !r.U64(&alert_seq_)) {
    return false;
  }
  have_watermark_ = have != 0;
  uint64_t n = 0;
  if (!r.Count(&n, 44)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    Hit h{};
    if (!r.I64(&h.t) || !r.U64(&h.seq) || !r.U64(&h.event_id) || !r.U32(&h.corr) || !r.U32(&h.source) ||
        !r.U32(&h.depth) || !r.U64(&h.value) || !r.Str(&h.key, config_.max_group_key_bytes) ||
        !RestoreHit(r, std::move(h))) {
      return false;
    }
  }
  uint64_t ntables = 0;
  if (!r.U64(&ntables)) return false;
  if (ntables != tables_.size()) return r.Fail("rule count differs");
  for (uint32_t c = 0; c < tables_.size(); ++c) {
    const CorrelationRule& rule = rules_->correlations()[c];
    uint64_t ngroups = 0;
    if (!r.Count(&ngroups, 4 + 8 + 3 * 8 + 8 + 1 + 8 * 4)) return false;
    if (ngroups > config_.max_groups_per_rule) return r.Fail("more groups than max_groups_per_rule");
    for (uint64_t k = 0; k < ngroups; ++k) {
      GroupState g;
      uint64_t nentries = 0;
      if (!r.Str(&g.key, config_.max_group_key_bytes) || !r.Count(&nentries, 28)) return false;
      for (uint64_t e = 0; e < nentries; ++e) {
        WindowEntry we;
        if (!r.I64(&we.t) || !r.U64(&we.event_id) || !r.U64(&we.value) || !r.U32(&we.source) ||
            !RestoreEntry(r, rule, g, we)) {
          return false;
        }
      }
      uint8_t pend = 0;
      if (!r.F64(&g.sum) || !r.F64(&g.isum) || !r.F64(&g.isum2) || !r.I64(&g.suppress_until) || !r.U8(&pend) ||
          !r.I64(&g.deadline) || !r.U64(&g.timer_seq) || !r.U64(&g.triggers) || !r.I64(&g.last_t)) {
        return false;
      }
      g.pending = pend != 0;
      if (!RestoreGroup(r, c, std::move(g))) return false;
    }
  }
  return true;
}

bool CorrelationEngine::RestoreStateV2(ByteReader& r) {
  uint8_t have = 0;
  int64_t d = 0;
  if (!r.U8(&have) || !r.I64(&watermark_) || !r.VarI64(&d) || !r.VarU64(&hit_seq_) || !r.VarU64(&timer_seq_) ||
      !r.VarU64(&alert_seq_)) {
    return false;
  }
  have_watermark_ = have != 0;
  released_ = WrapAdd(watermark_, d);
  uint64_t n = 0;
  uint8_t hit_flags = 0;
  if (!r.VarCount(&n, kMinHitBytesV2) || !r.U8(&hit_flags)) return false;
  const uint8_t hit_unit = (hit_flags >> kHitsUnitShift) & 3;
  if ((hit_flags & ~kHitFlags) != 0 || hit_unit == 3) return r.Fail("unknown hit flags");
  const int64_t hit_ns = TimeUnit::Ns(hit_unit);
  int64_t t = watermark_;
  uint64_t seq = 0, id = 0;
  for (uint64_t i = 0; i < n; ++i) {
    Hit h{};
    int64_t dt = 0, dseq = 0, did = 0;
    if (!r.VarI64(&dt) || !r.VarI64(&dseq) || !r.VarI64(&did) || !r.VarU32(&h.corr) || !r.VarU32(&h.source) ||
        !r.VarU32(&h.depth) || ((hit_flags & kHitsHaveValues) && !r.U64(&h.value)) ||
        !r.VarStr(&h.key, config_.max_group_key_bytes)) {
      return false;
    }
    h.t = t = WrapAdd(t, TimeUnit::Scale(dt, hit_ns));
    h.seq = seq += static_cast<uint64_t>(dseq);
    h.event_id = id += static_cast<uint64_t>(did);
    if (!RestoreHit(r, std::move(h))) return false;
  }
  uint64_t ntables = 0;
  if (!r.VarU64(&ntables)) return false;
  if (ntables != tables_.size()) return r.Fail("rule count differs");
  for (uint32_t c = 0; c < tables_.size(); ++c) {
    const CorrelationRule& rule = rules_->correlations()[c];
    uint64_t ngroups = 0;
    if (!r.VarCount(&ngroups, kMinGroupBytesV2)) return false;
    if (ngroups > config_.max_groups_per_rule) return r.Fail("more groups than max_groups_per_rule");
    for (uint64_t k = 0; k < ngroups; ++k) {
      GroupState g;
      uint8_t flags = 0;
      int64_t last_d = 0;
      uint64_t nentries = 0;
      if (!r.VarStr(&g.key, config_.max_group_key_bytes) || !r.U8(&flags) || !r.VarI64(&last_d)) return false;
      const uint8_t unit = (flags >> kGroupUnitShift) & 3;
      if ((flags & ~kGroupFlags) != 0 || unit == 3) return r.Fail("unknown group flags");
      const int64_t unit_ns = TimeUnit::Ns(unit);
      const bool values = flags & kGroupEntryValues;
      if (!r.VarCount(&nentries, kMinEntryBytesV2 + (values ? 8 : 0))) return false;
      g.last_t = WrapAdd(watermark_, last_d);
      g.pending = flags & kGroupPending;
      int64_t et = g.last_t;
      uint64_t eid = 0;
      for (uint64_t e = 0; e < nentries; ++e) {
        WindowEntry we;
        int64_t dt = 0, did = 0;
        if (!r.VarI64(&dt) || !r.VarI64(&did) || !r.VarU32(&we.source) || (values && !r.U64(&we.value))) {
          return false;
        }
        we.t = et = WrapAdd(et, TimeUnit::Scale(dt, unit_ns));
        we.event_id = eid += static_cast<uint64_t>(did);
        if (!RestoreEntry(r, rule, g, we)) return false;
      }
      if ((flags & kGroupSums) && (!r.F64(&g.sum) || !r.F64(&g.isum) || !r.F64(&g.isum2))) return false;
      if (flags & kGroupSuppressed) {
        if (!r.VarI64(&d)) return false;
        g.suppress_until = WrapAdd(g.last_t, d);
      }
      if (flags & kGroupDeadline) {
        if (!r.VarI64(&d)) return false;
        g.deadline = WrapAdd(g.last_t, d);
      }
      if (!r.VarU64(&g.timer_seq) || !r.VarU64(&g.triggers) || !RestoreGroup(r, c, std::move(g))) return false;
    }
  }
  return true;
}

bool CorrelationEngine::RestoreHit(ByteReader& r, Hit&& h) {
  if (h.corr >= tables_.size() || h.source >= rules_->correlations()[h.corr].sources.size()) {
    return r.Fail("hit names an unknown rule");
  }
  if (!in_order_.empty() && HitLater()(in_order_.back(), h)) return r.Fail("buffered hits out of order");
  h.key_hash = GroupTable::HashKey(h.key);
  h.consumed = false;
  in_order_.push_back() = std::move(h);
  return true;
}

bool CorrelationEngine::RestoreEntry(ByteReader& r, const CorrelationRule& rule, GroupState& g, const WindowEntry& e) {
  if (e.source >= rule.sources.size()) return r.Fail("entry names an unknown source");
  // Rebuild the derived aggregates; the running sums come from the checkpoint so they are
  // bit-for-bit what an uninterrupted engine holds.
  if (rule.type == T::kValueCount) g.distinct.Add(e.value);
  if (rule.type == T::kTemporal || rule.type == T::kTemporalOrdered) {
    if (g.per_source.size() < rule.sources.size()) g.per_source.resize(rule.sources.size(), 0);
    if (g.per_source[e.source]++ == 0) ++g.sources_seen;
  }
  g.entries.push_back(e);
  return true;
}

bool CorrelationEngine::RestoreGroup(ByteReader& r, uint32_t corr, GroupState&& g) {
  if (tables_[corr].Find(g.key, GroupTable::HashKey(g.key)) != nullptr) return r.Fail("duplicate group key");
  GroupState* stored = tables_[corr].Append(std::move(g));
  if (stored->pending) timers_.push(Timer{stored->deadline, corr, stored->timer_seq, stored->key});
  return true;
}

}  // namespace vigil
