// PipelineCounters: every stage's counter table registered in one CounterRegistry, plus the
// pipeline's own counters (what the glue between the stages decides: packets skipped for a bad
// checksum, fragments consumed, TCP port reuse, sessions over the stream memcap, ...).
//
// Registered once, before any thread's block exists; each thread then takes one block and every
// stage on that thread bumps it without locks. Readers (stats events, the exit summary) sum the
// blocks.
//
//   CounterRegistry reg;
//   VIGIL_TRY(PipelineCounters ids, RegisterPipelineCounters(reg));
//   CounterBlock* b = reg.NewBlock("worker-0");
//   ids.Add(b, PipelineCounter::kChecksumSkipped);
#pragma once

#include <cstdint>
#include <iterator>

#include "core/counters.h"
#include "core/result.h"
#include "sensor/capture/capture_counters.h"
#include "sensor/decode/decoder_counters.h"
#include "sensor/output/event_writer.h"
#include "sensor/reassembly/reassembly_counters.h"

namespace vigil::sensor {

// Index into kPipelineCounterDefs.
enum class PipelineCounter : uint32_t {
  kPackets,
  kBytes,
  kNonIp,
  kChecksumSkipped,
  kFragmentsConsumed,
  kReassembledDelivered,
  kReassembledDropped,
  kTcpReuse,
  kStreamMemcapUntracked,
  kAnomalies,
  kFlowEvents,
  kCount,
};

inline constexpr CounterDef kPipelineCounterDefs[] = {
    {"pipeline.packets", "packets inspected by the workers (reassembled datagrams included)"},
    {"pipeline.bytes", "wire bytes of those packets"},
    {"pipeline.non_ip", "packets without an IP layer (ARP, unknown ethertypes, decode failures)"},
    {"pipeline.checksum_skipped",
     "packets with a bad checksum: counted in their flow, not reassembled or inspected"},
    {"pipeline.fragments", "IP fragments taken by the defragmenter (not inspected themselves)"},
    {"pipeline.reassembled", "reassembled datagrams handed to the workers"},
    {"pipeline.reassembled_dropped", "reassembled datagrams lost for want of a packet buffer"},
    {"pipeline.tcp_reuse", "TCP flows ended because a new SYN reused their ports"},
    {"pipeline.stream_memcap_untracked",
     "TCP packets not reassembled because their flow had no session (stream.memcap)"},
    {"pipeline.anomalies", "anomaly events raised (decode, defrag and stream)"},
    {"pipeline.flow_events", "flow events written"},
};
static_assert(std::size(kPipelineCounterDefs) == static_cast<size_t>(PipelineCounter::kCount));

// Exception policies applied, Suricata's stats names: exception_policy.tcp.<target>.<policy>,
// six policies (every one but ignore, in ExceptionPolicy order) per target the worker applies.
inline constexpr CounterDef kExceptionPolicyCounterDefs[] = {
    {"exception_policy.tcp.midstream.pass_packet", "midstream sessions: packets passed"},
    {"exception_policy.tcp.midstream.pass_flow", "midstream sessions: flows passed (no detection)"},
    {"exception_policy.tcp.midstream.bypass", "midstream sessions: flows bypassed"},
    {"exception_policy.tcp.midstream.drop_packet", "midstream sessions: packets dropped"},
    {"exception_policy.tcp.midstream.drop_flow", "midstream sessions: flows dropped"},
    {"exception_policy.tcp.midstream.reject", "midstream sessions: packets rejected"},
    {"exception_policy.tcp.ssn_memcap.pass_packet", "sessions over stream.memcap: packets passed"},
    {"exception_policy.tcp.ssn_memcap.pass_flow", "sessions over stream.memcap: flows passed"},
    {"exception_policy.tcp.ssn_memcap.bypass", "sessions over stream.memcap: flows bypassed"},
    {"exception_policy.tcp.ssn_memcap.drop_packet", "sessions over stream.memcap: packets dropped"},
    {"exception_policy.tcp.ssn_memcap.drop_flow", "sessions over stream.memcap: flows dropped"},
    {"exception_policy.tcp.ssn_memcap.reject", "sessions over stream.memcap: packets rejected"},
    {"exception_policy.skipped_packets",
     "packets of bypassed or dropped flows: counted in their flow, not processed further"},
};
inline constexpr uint32_t kExceptionPoliciesPerTarget = 6;

struct PipelineCounters {
  CounterGroup pipeline;
  CaptureCounters capture;  // block unset: the reading thread sets its own
  DecoderCounters decoder;
  CounterGroup defrag;
  CounterGroup flow;
  ReassemblyCounters stream;  // block unset
  OutputCounters output;
  CounterGroup exception_policy;  // kExceptionPolicyCounterDefs

  void Add(CounterBlock* b, PipelineCounter c, uint64_t n = 1) const {
    b->Add(pipeline[static_cast<uint32_t>(c)], n);
  }
};

// Registers every table; fails if the registry already handed out a block.
[[nodiscard]] Result<PipelineCounters> RegisterPipelineCounters(CounterRegistry& registry);

}  // namespace vigil::sensor
