#include "sensor/flow/flow_table.h"

#include <algorithm>
#include <limits>

namespace vigil::sensor {

namespace {

enum Counter : uint32_t {
  kCreated,
  kEndedTimeout,
  kEndedTcpClosed,
  kEndedForced,
  kEndedShutdown,
  kEvictedEmergency,
  kMemcapHits,
  kEmergencyEntered,
  kActive,
  kEmergencyGauge,
};

constexpr CounterDef kCounterDefs[] = {
    {"flow.created", "flows created"},
    {"flow.ended.timeout", "flows ended after their idle timeout"},
    {"flow.ended.tcp_closed", "closed TCP flows ended after the closed timeout"},
    {"flow.ended.forced", "flows ended early by another stage"},
    {"flow.ended.shutdown", "flows ended by a flush at shutdown or end of input"},
    {"flow.evicted.emergency", "flows ended to make room because the flow pool was full"},
    {"flow.memcap_hits", "new flows that found the flow pool (memcap / max_flows) full"},
    {"flow.emergency_mode_entered", "times the flow table entered emergency mode"},
    {"flow.active", "gauge: flows in the table"},
    {"flow.emergency_mode", "gauge: 1 while the flow table is in emergency mode"},
};

constexpr uint64_t kFlowIdMask = (uint64_t{1} << 51) - 1;

// A bijection on 51-bit values (odd multipliers and right xorshifts are invertible modulo 2^51),
// so distinct counters give distinct ids that still look unordered.
uint64_t Permute51(uint64_t x) {
  x &= kFlowIdMask;
  x = (x * 0x5851f42d4c957f2dULL) & kFlowIdMask;
  x ^= x >> 23;
  x = (x * 0x2545f4914f6cdd1dULL) & kFlowIdMask;
  x ^= x >> 27;
  return x;
}

}  // namespace

Result<CounterGroup> FlowTable::RegisterCounters(CounterRegistry& registry) {
  return registry.Register(kCounterDefs);
}

FlowTable::FlowTable(const FlowTableConfig& config, CounterGroup counters, CounterBlock* block,
                     FlowEndCallback on_end, CommunityIdFn community_id)
    : config_(config),
      counters_(counters),
      block_(block),
      on_end_(std::move(on_end)),
      community_id_(std::move(community_id)),
      capacity_(config.Capacity()),
      buckets_(config.hash_buckets, kNone) {
  enter_at_ = static_cast<uint32_t>(
      std::max<uint64_t>(1, uint64_t{capacity_} * config_.emergency_enter_pct / 100));
  exit_at_ = static_cast<uint32_t>(uint64_t{capacity_} * config_.emergency_exit_pct / 100);
  // Address space for the whole pool now; pages are committed as flows are first used.
  flows_.reserve(capacity_);
  next_expiry_ns_ = std::numeric_limits<int64_t>::max();
}

size_t FlowTable::reserved_bytes() const {
  return buckets_.capacity() * sizeof(uint32_t) + flows_.capacity() * sizeof(Flow);
}

int64_t FlowTable::TimeoutFor(const Flow& f) const {
  const auto& t = emergency_ ? config_.emergency_timeouts : config_.timeouts;
  return t[static_cast<size_t>(f.proto_class)].For(f.state);
}

FlowEndReason FlowTable::TimeoutReason(const Flow& f) const {
  return f.proto_class == FlowProto::kTcp && f.state == FlowState::kClosed
             ? FlowEndReason::kTcpClosed
             : FlowEndReason::kTimeout;
}

uint32_t FlowTable::Bucket(uint64_t hash) const {
  // FlowKey::Hash() also picks the worker (hash % workers), so every flow of this table shares
  // those low-order residues; multiplying and taking the top bits spreads them over all buckets.
  uint64_t h = (hash ^ config_.hash_seed) * 0x9e3779b97f4a7c15ULL;
  return static_cast<uint32_t>(h >> 32) & (config_.hash_buckets - 1);
}

uint32_t FlowTable::FindIndex(const FlowKey& key, uint64_t hash) const {
  for (uint32_t i = buckets_[Bucket(hash)]; i != kNone; i = flows_[i].hash_next) {
    const Flow& f = flows_[i];
    if (f.hash == hash && f.key == key) return i;
  }
  return kNone;
}

Flow* FlowTable::Find(const FlowKey& key) {
  uint32_t i = FindIndex(key, key.Hash());
  return i == kNone ? nullptr : &flows_[i];
}

void FlowTable::ListPushBack(uint32_t idx) {
  Flow& f = flows_[idx];
  List& l = lists_[ListOf(f)];
  f.queued_ns = now_.ns;
  if (l.head == kNone) {
    // No flow of a list can expire before its head's queue time plus the list's timeout; a new
    // head may bring the table's earliest expiry forward.
    next_expiry_ns_ = std::min(next_expiry_ns_, f.queued_ns + TimeoutFor(f));
  }
  f.list_prev = l.tail;
  f.list_next = kNone;
  if (l.tail != kNone) flows_[l.tail].list_next = idx;
  else l.head = idx;
  l.tail = idx;
}

void FlowTable::ListUnlink(uint32_t idx) {
  Flow& f = flows_[idx];
  List& l = lists_[ListOf(f)];
  if (f.list_prev != kNone) flows_[f.list_prev].list_next = f.list_next;
  else l.head = f.list_next;
  if (f.list_next != kNone) flows_[f.list_next].list_prev = f.list_prev;
  else l.tail = f.list_prev;
  f.list_prev = f.list_next = kNone;
}

uint64_t FlowTable::KeyFlowId(uint64_t hash, Timestamp start) const {
  // Mix the start time into the hash (the multiplier spreads nanoseconds over all bits), then
  // permute into 51 bits; the seed keeps ids unguessable when one is configured.
  uint64_t x = hash ^ (static_cast<uint64_t>(start.ns) * 0x9e3779b97f4a7c15ULL);
  x ^= x >> 29;
  for (;;) {
    uint64_t id = Permute51((x ^ (x >> 51)) ^ (config_.hash_seed & kFlowIdMask));
    if (id != 0) return id;
    ++x;
  }
}

uint64_t FlowTable::NextFlowId() {
  for (;;) {
    uint64_t x = (++id_counter_ << 8) | (config_.worker_id & 0xffu);
    uint64_t id = Permute51(x ^ (config_.hash_seed & kFlowIdMask));
    if (id != 0) return id;
  }
}

void FlowTable::UpdateEmergency() {
  if (!emergency_ && active_ >= enter_at_) {
    emergency_ = true;
    block_->Add(counters_[kEmergencyEntered]);
    block_->Set(counters_[kEmergencyGauge], 1);
    // Shorter timeouts now apply: anything may have expired.
    next_expiry_ns_ = std::numeric_limits<int64_t>::min();
  } else if (emergency_ && active_ <= exit_at_) {
    emergency_ = false;
    block_->Set(counters_[kEmergencyGauge], 0);
  }
}

void FlowTable::EndIndex(uint32_t idx, FlowEndReason reason) {
  Flow& f = flows_[idx];
  f.end_reason = reason;
  if (on_end_) on_end_(f);
  uint32_t* link = &buckets_[Bucket(f.hash)];
  while (*link != idx) link = &flows_[*link].hash_next;
  *link = f.hash_next;
  ListUnlink(idx);
  f.in_use = false;
  f.hash_next = free_head_;
  free_head_ = idx;
  --active_;
  switch (reason) {
    case FlowEndReason::kTimeout: block_->Add(counters_[kEndedTimeout]); break;
    case FlowEndReason::kTcpClosed: block_->Add(counters_[kEndedTcpClosed]); break;
    case FlowEndReason::kForced: block_->Add(counters_[kEndedForced]); break;
    case FlowEndReason::kShutdown: block_->Add(counters_[kEndedShutdown]); break;
    case FlowEndReason::kEmergencyEviction: block_->Add(counters_[kEvictedEmergency]); break;
    case FlowEndReason::kNone: break;
  }
  block_->Set(counters_[kActive], active_);
  UpdateEmergency();
}

bool FlowTable::Requeue(List& l) {
  // The head was seen again after it was queued: it goes to the back, queued now. Each requeue
  // pays for packets already processed, so the work stays amortised O(1) per packet.
  const Flow& f = flows_[l.head];
  if (f.last_seen.ns <= f.queued_ns) return false;
  uint32_t idx = l.head;
  ListUnlink(idx);
  ListPushBack(idx);
  return true;
}

size_t FlowTable::SweepLists(size_t budget) {
  size_t ended = 0;
  size_t work = 0;  // ended + requeued, bounded by the budget
  for (List& l : lists_) {
    while (l.head != kNone && work < budget) {
      const Flow& f = flows_[l.head];
      if (Expired(f)) {
        EndIndex(l.head, TimeoutReason(f));
        ++ended;
      } else if (!Requeue(l)) {
        break;  // the true least recently seen flow of this list has not expired
      }
      ++work;
    }
  }
  if (work >= budget) {
    next_expiry_ns_ = now_.ns;  // more may be waiting: look again on the next packet
  } else {
    next_expiry_ns_ = std::numeric_limits<int64_t>::max();
    for (const List& l : lists_) {
      if (l.head == kNone) continue;
      const Flow& f = flows_[l.head];
      next_expiry_ns_ = std::min(next_expiry_ns_, f.queued_ns + TimeoutFor(f));
    }
  }
  return ended;
}

void FlowTable::Advance(Timestamp ts) {
  if (ts > now_) now_ = ts;
  if (now_.ns >= next_expiry_ns_) SweepLists(config_.sweep_budget);
}

size_t FlowTable::Sweep(Timestamp now) {
  if (now > now_) now_ = now;
  return SweepLists(std::numeric_limits<size_t>::max());
}

void FlowTable::Flush() {
  for (List& l : lists_) {
    while (l.head != kNone) EndIndex(l.head, FlowEndReason::kShutdown);
  }
}

void FlowTable::End(Flow& flow, FlowEndReason reason) {
  if (flow.in_use) EndIndex(flow.index, reason);
}

void FlowTable::SetState(Flow& flow, FlowState state) {
  if (!flow.in_use || flow.state == state) return;
  ListUnlink(flow.index);
  flow.state = state;
  ListPushBack(flow.index);
}

void FlowTable::EvictOne() {
  // The least recently seen flow overall is the oldest of the list heads.
  uint32_t victim = kNone;
  for (List& l : lists_) {
    while (l.head != kNone && Requeue(l)) {
    }
    if (l.head == kNone) continue;
    if (victim == kNone || flows_[l.head].last_seen < flows_[victim].last_seen) victim = l.head;
  }
  if (victim != kNone) EndIndex(victim, FlowEndReason::kEmergencyEviction);
}

uint32_t FlowTable::Create(const FlowKey& key, uint64_t hash, const Packet& p, bool src_is_a) {
  if (active_ >= capacity_) {
    block_->Add(counters_[kMemcapHits]);
    EvictOne();
  }
  uint32_t idx;
  if (free_head_ != kNone) {
    idx = free_head_;
    free_head_ = flows_[idx].hash_next;
  } else {
    // Below capacity_, which was reserved: no reallocation, Flow pointers stay valid.
    idx = static_cast<uint32_t>(flows_.size());
    flows_.emplace_back();
  }
  Flow& f = flows_[idx];
  f = Flow{};
  f.key = key;
  f.index = idx;
  f.hash = hash;
  f.flow_id = config_.flow_id_from_key ? KeyFlowId(hash, p.ts) : NextFlowId();
  f.start = p.ts;
  f.last_seen = now_;
  f.proto_class = FlowProtoOf(key.proto);
  // The client started the flow: the sender of the first packet, except that a SYN-ACK first
  // (capture started mid-handshake) comes from the server.
  bool src_is_client = true;
  if (p.ip_proto == 6 && !p.is_fragment && (p.tcp.flags & tcp_flag::kSyn) &&
      (p.tcp.flags & tcp_flag::kAck)) {
    src_is_client = false;
  }
  f.client_is_a = src_is_client == src_is_a;
  f.in_use = true;
  if (community_id_) community_id_(f, p, f.community_id);

  uint32_t& bucket = buckets_[Bucket(hash)];
  f.hash_next = bucket;
  bucket = idx;
  ListPushBack(idx);
  ++active_;
  block_->Add(counters_[kCreated]);
  block_->Set(counters_[kActive], active_);
  UpdateEmergency();
  return idx;
}

FlowRef FlowTable::Process(const Packet& p) {
  FlowRef ref;
  if (p.ip_version != 4 && p.ip_version != 6) return ref;
  Advance(p.ts);

  bool src_is_a = true;
  const FlowKey key = FlowKey::FromPacket(p, &src_is_a);
  const uint64_t hash = key.Hash();
  uint32_t idx = FindIndex(key, hash);
  if (idx != kNone && Expired(flows_[idx])) {
    // Expired but not swept yet: it ends now and this packet starts a new flow.
    EndIndex(idx, TimeoutReason(flows_[idx]));
    idx = kNone;
  }
  if (idx == kNone) {
    idx = Create(key, hash, p, src_is_a);
    ref.created = true;
  }
  Flow& f = flows_[idx];
  ref.flow = &f;
  ref.to_server = f.ToServer(src_is_a);
  const uint64_t bytes = p.wirelen != 0 ? p.wirelen : p.caplen;
  if (ref.to_server) {
    ++f.pkts_toserver;
    f.bytes_toserver += bytes;
  } else {
    ++f.pkts_toclient;
    f.bytes_toclient += bytes;
  }
  // last_seen is the table's clock (the latest timestamp so far). The flow stays where it is on
  // its timeout list: the sweep requeues it lazily, which saves touching two neighbours per packet.
  f.last_seen = now_;
  if (f.proto_class != FlowProto::kTcp && f.state == FlowState::kNew && !ref.to_server) {
    SetState(f, FlowState::kEstablished);  // the server answered
  }
  return ref;
}

}  // namespace vigil::sensor
