// ReassemblyCounters: the TCP/reassembly stage's named counters and the worker's block to bump.
//
// Registered once at setup (RegisterReassemblyCounters), which registers both the tcp.* counters
// below and one counter per StreamEvent (named after the event). Each worker then sets `block`
// to its own CounterBlock and places the value in its StreamContext.
//
//   VIGIL_TRY(ReassemblyCounters rc, RegisterReassemblyCounters(registry));
//   rc.block = registry.NewBlock("worker-0");
//   rc.Add(TcpCounter::kSessions);
#pragma once

#include <cstdint>
#include <iterator>

#include "core/counters.h"
#include "core/result.h"
#include "sensor/reassembly/stream_event.h"

namespace vigil::sensor {

// Index into kTcpCounterDefs; keep the two in the same order.
enum class TcpCounter : uint32_t {
  kSessions,
  kSyn,
  kSynAck,
  kRst,
  kMidstreamPickups,
  kNotReassembled,
  kInvalid,
  kReused,
  kSegmentsOoo,
  kRetransmissions,
  kOverlaps,
  kOverlapDiffData,
  kReassemblyGap,
  kGapBytes,
  kStreamDepthReached,
  kStreamDepthBytes,
  kMemcapDrops,
  kSessionMemcapDrops,
  kOooLimitDrops,
  kDataAfterFin,
  kDeliveredBytes,
  kCount,
};

inline constexpr CounterDef kTcpCounterDefs[] = {
    {"tcp.sessions", "TCP sessions started (handshake seen, or picked up midstream)"},
    {"tcp.syn", "SYN segments (without ACK)"},
    {"tcp.synack", "SYN/ACK segments"},
    {"tcp.rst", "RST segments"},
    {"tcp.midstream_pickups", "sessions picked up without a handshake (midstream enabled)"},
    {"tcp.not_reassembled", "data segments not reassembled: handshake not seen and midstream off"},
    {"tcp.invalid", "segments that failed validation and were not inspected as stream data"},
    {"tcp.reused", "SYNs with a new ISN on a closed session (port reuse; caller restarts it)"},
    {"tcp.segments_ooo", "segments that arrived ahead of a hole and were buffered"},
    {"tcp.retransmissions", "segments carrying bytes already delivered"},
    {"tcp.overlaps", "segments overlapping buffered, not yet delivered bytes"},
    {"tcp.overlap_diff_data", "overlapping segments whose bytes differ from those received first"},
    {"tcp.reassembly_gap", "holes skipped in a stream (ACKed past, RST, FIN or flush)"},
    {"tcp.reassembly_gap_bytes", "bytes skipped in those holes"},
    {"tcp.stream_depth_reached", "stream directions that reached the stream depth"},
    {"tcp.stream_depth_bytes", "bytes beyond the stream depth, not delivered"},
    {"tcp.memcap_drops", "out-of-order segments (or parts) dropped: worker reassembly memcap"},
    {"tcp.session_memcap_drops", "out-of-order segments (or parts) dropped: session memcap"},
    {"tcp.ooo_limit_drops", "out-of-order segments (or parts) dropped: max_ooo_segments"},
    {"tcp.data_after_fin", "segments with bytes beyond the sender's FIN (those bytes dropped)"},
    {"tcp.delivered_bytes", "stream bytes delivered to the app layer"},
};
static_assert(std::size(kTcpCounterDefs) == static_cast<size_t>(TcpCounter::kCount));

struct ReassemblyCounters {
  CounterGroup group;
  CounterGroup events;
  CounterBlock* block = nullptr;  // the worker's block; null = counting disabled

  void Add(TcpCounter c, uint64_t n = 1) const {
    if (block != nullptr) block->Add(group[static_cast<uint32_t>(c)], n);
  }
  void Add(StreamEvent e) const {
    if (block != nullptr) block->Add(events[static_cast<uint32_t>(e)]);
  }
  uint64_t Get(TcpCounter c) const {
    return block != nullptr ? block->Get(group[static_cast<uint32_t>(c)]) : 0;
  }
  uint64_t Get(StreamEvent e) const {
    return block != nullptr ? block->Get(events[static_cast<uint32_t>(e)]) : 0;
  }
};

// Registers kTcpCounterDefs and kStreamEventDefs; the result has no block yet.
[[nodiscard]] Result<ReassemblyCounters> RegisterReassemblyCounters(CounterRegistry& registry);

}  // namespace vigil::sensor
