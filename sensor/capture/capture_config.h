// CaptureConfig: every knob of packet capture and of the reader -> worker handoff.
//
// One immutable struct, validated once (Validate()) and passed by const reference to the capture
// source, the packet pool and the dispatcher. Either `inputs` (offline: files and directories) or
// `interface` (live) is set, never both.
//
//   CaptureConfig cfg;
//   cfg.inputs = {"/data/pcaps"};          // a directory: its regular files, sorted by name
//   cfg.bpf_filter = "tcp port 80";        // optional, offline too
//   if (auto st = cfg.Validate(); !st) return st.error();
//
// Defaults follow what a sensor on a normal Ethernet link needs; each is written next to the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigil::sensor {

// What the reader does when a worker's ring (or the packet pool) is full.
enum class QueueFullPolicy {
  kBlock,  // wait until the worker catches up: nothing is lost (offline default: a file can wait)
  kDrop,   // drop the packet and count it (live default: the wire cannot wait, and blocking
           // would only move the loss into the kernel ring where it is less visible)
};

const char* QueueFullPolicyName(QueueFullPolicy p);

struct CaptureConfig {
  // ---- Source selection ----
  // Offline: files and/or directories, read in the order given; a directory contributes its
  // regular files sorted by name (not recursive). pcap and pcapng are both accepted.
  std::vector<std::string> inputs;
  // Live: the interface to capture on (e.g. "eth0"). Empty for offline runs.
  std::string interface;

  // ---- Both ----
  // BPF filter in tcpdump syntax; empty = every packet. Compiled per file (offline, because each
  // file may have another link type) or once (live). A syntax error is a configuration error.
  std::string bpf_filter;
  // Bytes kept per packet. 262144 is libpcap's and tcpdump's default: whole frames, including
  // GRO/TSO-merged ones seen on virtual and loopback interfaces. Must be in [64, 262144].
  uint32_t snaplen = 262144;

  // ---- Live only ----
  bool promiscuous = true;  // see traffic not addressed to this host (a monitoring port needs it)
  // Kernel capture buffer (pcap_set_buffer_size). libpcap's own default is 2 MiB, which a burst
  // at 10 Gbit/s fills in under 2 ms; 64 MiB rides out short worker stalls. Minimum 1 MiB.
  uint32_t buffer_bytes = 64u << 20;
  // Deliver each packet as soon as it arrives instead of when the kernel block fills or the
  // timeout expires. Costs CPU under load. Default off. Caution (Linux): in immediate mode
  // libpcap uses TPACKET_V2, one fixed frame of ~snaplen bytes per packet, so the ring holds only
  // buffer_bytes / snaplen packets (256 with the defaults) and bursts drop; lower snaplen with it.
  bool immediate_mode = false;
  // Read timeout in milliseconds (pcap_set_timeout), also the poll() timeout: the longest a
  // reader waits before it returns kTimeout (letting the caller do housekeeping). Breakloop()
  // wakes the reader at once regardless. Must be in [1, 10000]. Default 100 ms.
  int timeout_ms = 100;
  // How often (milliseconds of wall time) the live reader refreshes kernel statistics
  // (pcap_stats) into the capture.kernel_* counters. Default 1000 ms.
  int stats_interval_ms = 1000;

  // ---- Offline only ----
  // The progress callback fires each time this many more bytes of input have been read (and at
  // the end of every file). Default 8 MiB. Must be >= 4096.
  uint64_t progress_step_bytes = 8u << 20;

  // ---- Handoff: packet pool and worker rings ----
  // Bytes of one pool slot. Frames up to this size are copied into a slot; larger frames (jumbo,
  // GRO-merged, up to snaplen) borrow one of `large_slots` snaplen-sized overflow buffers.
  // 2048 covers a 1500-byte MTU with VLAN tags. Must be in [64, snaplen].
  uint32_t slot_bytes = 2048;
  // Packet slots shared by all workers (memory: pool_slots * slot_bytes; default 16 MiB).
  // In flight at most this many packets between the reader and the workers. Must be >= 2.
  uint32_t pool_slots = 8192;
  // Overflow buffers for frames larger than slot_bytes (memory: large_slots * snaplen;
  // default 64 * 256 KiB = 16 MiB). May be 0 when snaplen <= slot_bytes.
  uint32_t large_slots = 64;
  // Capacity of each reader -> worker ring, rounded up to a power of two. Default 4096.
  uint32_t worker_ring_size = 4096;
  // Unset: kBlock for offline input, kDrop for live capture (see QueueFullPolicy).
  std::optional<QueueFullPolicy> queue_full_policy;

  bool is_live() const { return !interface.empty(); }
  QueueFullPolicy EffectivePolicy() const {
    if (queue_full_policy) return *queue_full_policy;
    return is_live() ? QueueFullPolicy::kDrop : QueueFullPolicy::kBlock;
  }

  // Checks ranges and consistency; the message names the offending field.
  [[nodiscard]] Status Validate() const;
  // Only the handoff fields (pool and rings); used by PacketPool and Dispatcher.
  [[nodiscard]] Status ValidateHandoff() const;
};

}  // namespace vigil::sensor
