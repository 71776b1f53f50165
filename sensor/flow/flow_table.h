// FlowTable: one worker's flows — lookup by symmetric key, creation, per-direction counting,
// timeouts in packet time, emergency eviction when the pool is full, and the end of every flow.
//
// Each worker thread owns one table (no locks). For every decoded IP packet:
//
//   FlowRef ref = table.Process(pkt);  // finds or creates the flow, counts the packet
//   if (ref.flow) { ... ref.to_server ... ref.flow->index ... }
//   table.SetState(*ref.flow, FlowState::kEstablished);  // the TCP tracker, after the handshake
//   ...
//   table.Flush();  // end of an offline run: ends every flow (reason shutdown)
//
// When a flow ends (timeout, eviction, End(), Flush()) the table calls the FlowEndCallback with
// the flow still intact, so the caller can write the EVE flow event and free its per-flow state
// in parallel arrays; then the slot is reused. The callback must not call back into the table.
//
// Timeouts: flows sit in one list per (FlowProto, FlowState), sharing one timeout and ordered by
// the time each flow was queued. A packet only updates last_seen; the sweep looks at list heads,
// ends those expired and moves those seen since they were queued to the back (lazy LRU), so the
// per-packet cost is a lookup and a few stores. Process() first lets time advance to the packet's
// timestamp and does up to sweep_budget units of that work (nothing at all until the earliest
// possible expiry); a flow that receives a packet after expiring is ended on lookup and a new one
// starts. Packet time never goes backwards inside the table: an older timestamp counts as the
// latest seen.
//
// Emergency mode (Suricata's): at emergency_enter_pct of capacity the emergency timeouts apply
// until the table drains to emergency_exit_pct. When a new flow finds the pool full anyway
// (flow.memcap_hits), the least recently seen flow is ended (flow.evicted.emergency).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/counters.h"
#include "core/result.h"
#include "core/time.h"
#include "sensor/decode/packet.h"
#include "sensor/flow/flow.h"
#include "sensor/flow/flow_key.h"
#include "sensor/flow/flow_table_config.h"

namespace vigil::sensor {

// Called once for every flow that ends, with end_reason set. The flow is mutable so the caller
// can record what later stages learned (alerted, app_proto) before logging it; it must not
// change the key, index or table bookkeeping.
using FlowEndCallback = std::function<void(Flow&)>;
// Fills a new flow's community_id from its first packet (e.g. with core/community_id.h).
using CommunityIdFn = std::function<void(const Flow&, const Packet&, std::array<char, 32>&)>;

struct FlowRef {
  Flow* flow = nullptr;    // null for packets without an IP layer
  bool to_server = true;   // the packet goes from client to server
  bool created = false;    // this packet started the flow
};

class FlowTable {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  // Registers the table's counters (once per process, before any CounterBlock exists).
  [[nodiscard]] static Result<CounterGroup> RegisterCounters(CounterRegistry& registry);

  // `config` must have passed Validate(); `block` is the calling thread's and outlives the table.
  FlowTable(const FlowTableConfig& config, CounterGroup counters, CounterBlock* block,
            FlowEndCallback on_end = {}, CommunityIdFn community_id = {});
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // Finds or creates the packet's flow and counts the packet in it. Non-TCP flows become
  // established when the server answers.
  FlowRef Process(const Packet& p);

  // The active flow with this key, or null. Does not count anything or expire anything.
  Flow* Find(const FlowKey& key);

  // For the TCP tracker: moves the flow to a state (and its timeout).
  void SetState(Flow& flow, FlowState state);
  // Ends a flow now (reason kForced unless given).
  void End(Flow& flow, FlowEndReason reason = FlowEndReason::kForced);
  // Ends every flow expired at `now` (no budget). Returns how many ended.
  size_t Sweep(Timestamp now);
  // Ends every flow with reason kShutdown.
  void Flush();

  // The timeout that applies to the flow now (normal or emergency).
  int64_t TimeoutFor(const Flow& f) const;

  Flow& flow(uint32_t index) { return flows_[index]; }
  uint32_t capacity() const { return capacity_; }
  uint32_t active() const { return active_; }
  bool emergency() const { return emergency_; }
  Timestamp now() const { return now_; }
  // Bytes of memory the table has reserved (bucket array + flow pool): never above the memcap.
  size_t reserved_bytes() const;

 private:
  static constexpr int kLists = kFlowProtoCount * kFlowStateCount;
  struct List {
    uint32_t head = kNone;
    uint32_t tail = kNone;
  };

  static int ListOf(const Flow& f) {
    return static_cast<int>(f.proto_class) * kFlowStateCount + static_cast<int>(f.state);
  }
  uint32_t Bucket(uint64_t hash) const;
  uint32_t FindIndex(const FlowKey& key, uint64_t hash) const;
  uint32_t Create(const FlowKey& key, uint64_t hash, const Packet& p, bool src_is_a);
  void EndIndex(uint32_t idx, FlowEndReason reason);
  void ListPushBack(uint32_t idx);
  void ListUnlink(uint32_t idx);
  bool Expired(const Flow& f) const { return now_ - f.last_seen >= TimeoutFor(f); }
  FlowEndReason TimeoutReason(const Flow& f) const;
  bool Requeue(List& l);
  size_t SweepLists(size_t budget);
  void Advance(Timestamp ts);
  void EvictOne();
  void UpdateEmergency();
  uint64_t NextFlowId();
  uint64_t KeyFlowId(uint64_t hash, Timestamp start) const;

  FlowTableConfig config_;
  CounterGroup counters_;
  CounterBlock* block_;
  FlowEndCallback on_end_;
  CommunityIdFn community_id_;
  uint32_t capacity_;
  uint32_t active_ = 0;
  uint32_t free_head_ = kNone;  // ended flows, linked through hash_next
  uint32_t enter_at_;           // active count that starts emergency mode
  uint32_t exit_at_;            // active count that ends it
  bool emergency_ = false;
  Timestamp now_{};
  // No flow can expire before this time: lets Process skip the sweep. A lower bound, refreshed
  // by each sweep.
  int64_t next_expiry_ns_ = 0;
  uint64_t id_counter_ = 0;
  std::vector<uint32_t> buckets_;
  std::vector<Flow> flows_;  // reserved for capacity_, grown on demand, never reallocated
  std::array<List, kLists> lists_{};
};

}  // namespace vigil::sensor
