// FlowTableConfig: the flow table's limits and timeouts, with Suricata's defaults.
//
// Built once at load, checked with Validate(), passed by const reference to each worker's
// FlowTable. All times are packet time (nanoseconds), so offline runs give the same flows at any
// replay speed.
//
// Memory: the table holds exactly Capacity() flows, preallocated address space of
// Capacity() * sizeof(Flow) bytes plus 4 bytes per hash bucket, all within `memcap`. When every
// flow is in use, the least recently seen flow is ended to make room (flow.evicted.emergency);
// the table never holds more.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/result.h"
#include "core/time.h"
#include "sensor/flow/flow.h"

namespace vigil::sensor {

// Idle time after which a flow in each state ends. A flow times out when
// now >= last_seen + timeout (as Suricata's flow manager decides).
struct FlowStateTimeouts {
  int64_t new_ns = 0;
  int64_t established_ns = 0;
  int64_t closed_ns = 0;

  int64_t For(FlowState s) const {
    return s == FlowState::kNew ? new_ns : (s == FlowState::kEstablished ? established_ns : closed_ns);
  }
};

namespace flow_defaults {
constexpr int64_t S(int64_t s) { return s * kNanosPerSecond; }
// Suricata's flow-timeouts (suricata.yaml): tcp 60/600/60, udp 30/300, icmp 30/300,
// default 30/300; closed is 0 outside TCP.
inline constexpr std::array<FlowStateTimeouts, kFlowProtoCount> kTimeouts = {{
    {S(60), S(600), S(60)},  // tcp
    {S(30), S(300), S(0)},   // udp
    {S(30), S(300), S(0)},   // icmp
    {S(30), S(300), S(0)},   // other
}};
// Emergency timeouts: tcp 5/100/10, others 10/100/0.
inline constexpr std::array<FlowStateTimeouts, kFlowProtoCount> kEmergencyTimeouts = {{
    {S(5), S(100), S(10)},
    {S(10), S(100), S(0)},
    {S(10), S(100), S(0)},
    {S(10), S(100), S(0)},
}};
}  // namespace flow_defaults

struct FlowTableConfig {
  // Bytes for the flow pool and the bucket array (Suricata: flow.memcap 128mb in recent
  // versions). See the header comment for what happens when it is full.
  size_t memcap = size_t{128} << 20;
  // Upper bound on concurrent flows; 0 = as many as memcap holds.
  uint32_t max_flows = 0;
  // Hash buckets, a power of two (Suricata: flow.hash-size 65536). Aim for about one bucket per
  // expected flow.
  uint32_t hash_buckets = 65536;
  // Timeouts per FlowProto (tcp, udp, icmp, other), normal and in emergency mode.
  std::array<FlowStateTimeouts, kFlowProtoCount> timeouts = flow_defaults::kTimeouts;
  std::array<FlowStateTimeouts, kFlowProtoCount> emergency_timeouts =
      flow_defaults::kEmergencyTimeouts;
  // Emergency mode starts when active flows reach this percentage of capacity and ends when they
  // fall to emergency_exit_pct (Suricata leaves emergency when 30% of the pool is free: 70).
  uint32_t emergency_enter_pct = 95;
  uint32_t emergency_exit_pct = 70;
  // Expired flows ended per packet by the incremental sweep: spreads the work of a time jump over
  // many packets. Flows that get a packet after expiring are ended on lookup regardless.
  uint32_t sweep_budget = 16;
  // Low 8 bits go into every flow_id so workers never hand out the same id.
  uint32_t worker_id = 0;
  // How flow ids are made. false: from a per-table counter and worker_id (unique in the
  // process). true: from the flow's symmetric hash and its start time (as Suricata derives its
  // flow_id), so a capture gives the same ids whatever the number of workers and offline runs are
  // reproducible; worker_id is then unused. Two concurrent flows share an id only if key hash and
  // start time collide in 51 bits (about n^2 / 2^52 for n flows).
  bool flow_id_from_key = false;
  // Seed for bucket selection (not for FlowKey::Hash, which must be the same everywhere): set a
  // random one per process to resist hash flooding; 0 keeps runs reproducible.
  uint64_t hash_seed = 0;

  [[nodiscard]] Status Validate() const;
  // Flows the table holds with this configuration.
  uint32_t Capacity() const;
};

}  // namespace vigil::sensor
