// ReassemblyConfig: every limit and policy of TCP session tracking and stream reassembly.
//
// Built once from the sensor configuration, validated, then shared read-only by all workers
// (each worker passes a pointer to it in its StreamContext). The defaults follow Suricata where
// Suricata has an equivalent (stream depth 1 MiB, midstream pickup off, 64 MiB memcap); README.md
// in this folder says what happens when each limit is hit.
//
//   ReassemblyConfig cfg;                       // defaults
//   cfg.overlap_policy = OverlapPolicy::kLast;  // e.g. to model a Windows-like receiver
//   if (auto st = cfg.Validate(); !st) return st.error();
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace vigil::sensor {

// Which bytes win when a new segment overlaps bytes that were received but not yet delivered.
// Bytes already delivered to the sink can never be replaced, whatever the policy (see README).
enum class OverlapPolicy : uint8_t {
  kFirst,  // bytes received first win (default; what Wireshark's "Follow TCP stream" shows)
  kLast,   // the newest bytes replace not-yet-delivered older ones
};

std::string_view OverlapPolicyName(OverlapPolicy p);
[[nodiscard]] Result<OverlapPolicy> ParseOverlapPolicy(std::string_view name);

struct ReassemblyConfig {
  // Pick up sessions whose handshake was not seen, from the first packet seen in each direction.
  // Off (Suricata's default): data of such sessions is not reassembled, only counted.
  bool midstream = false;

  OverlapPolicy overlap_policy = OverlapPolicy::kFirst;

  // Bytes per direction delivered to the sink; later bytes are counted and dropped. 0 = no limit.
  uint64_t stream_depth = 1ull << 20;  // 1 MiB, as Suricata

  // Bytes of out-of-order buffers one worker's ReassemblyMemory may hold (all its sessions).
  uint64_t memcap = 64ull << 20;  // 64 MiB

  // Bytes of out-of-order buffers one session (both directions) may hold.
  uint64_t session_memcap = 2ull << 20;  // 2 MiB: two full-depth directions' worth

  // Out-of-order buffers one direction may hold; bounds the cost of a sorted insert.
  uint32_t max_ooo_segments = 1024;

  // Size of one pool buffer. A segment longer than this spans several buffers; contiguous
  // out-of-order segments are packed into the same buffers.
  uint32_t chunk_size = 2048;

  // Delivered bytes kept per direction (until the receiver ACKs them) so that a retransmission
  // of already-delivered data can be compared and "overlap with different data" detected.
  // 0 disables the comparison (and its copy).
  uint32_t overlap_check_bytes = 64u << 10;  // 64 KiB

  // Slack added to the receiver's advertised window when checking that a segment, FIN, RST or
  // ACK is in window. Loose on purpose: real captures miss window updates.
  uint32_t window_slack = 64u << 10;  // 64 KiB

  [[nodiscard]] Status Validate() const;
};

}  // namespace vigil::sensor
