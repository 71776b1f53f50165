// DetectConfig: the limits and choices of the signature detection engine, validated once at load.
//
//   DetectConfig cfg;                       // Suricata-like defaults
//   cfg.stream_window_bytes = 4096;
//   auto engine = DetectEngine::Build(rules, cfg, &classes, &thresholds);
//
// Every limit says what happens when it is hit; each hit is counted (see detect_counters.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "rules/signature/sticky_buffer.h"

namespace vigil::sensor {

struct DetectConfig {
  // Alerts kept per inspection (Suricata's packet_alert_max). Further alerts are dropped and
  // counted in detect.alert_queue_overflow; the highest-priority ones are kept because rules
  // are evaluated in priority order.
  uint32_t max_alerts_per_inspection = 15;
  // A rule whose destination (or source) port expression lists more ports than this goes in the
  // "any port" group instead of one group per port.
  uint32_t max_ports_per_rule_group = 64;
  // Fast patterns shorter than this are avoided when the rule has a longer content.
  uint32_t min_preferred_fast_pattern = 4;
  // Content inspection recursion (backtracking) budget per rule evaluation, as Suricata's
  // detect.inspection-recursion-limit; exceeding it makes the rule not match (counted).
  uint32_t inspection_recursion_limit = 3000;
  // PCRE2 match limit (Suricata pcre.match-limit 3500) and recursion/depth limit (1500); rules
  // with the O flag use the library defaults. Hitting it counts detect.pcre_match_limit.
  uint32_t pcre_match_limit = 3500;
  uint32_t pcre_depth_limit = 1500;
  // TCP streams: bytes of reassembled data kept from the previous chunk so a pattern crossing a
  // chunk boundary matches (StreamWindow), and the maximum stream bytes inspected per direction
  // (Suricata stream.reassembly.depth 1 MiB); past it stream inspection stops (counted).
  uint32_t stream_window_bytes = 4096;
  uint64_t stream_depth_bytes = 1 << 20;
  // Threshold / detection_filter tracking entries per thread; when full, the oldest expired
  // entry is reused, else the new key is not tracked and the alert passes (counted).
  uint32_t threshold_table_size = 65536;
  // xbits (host / host-pair bits) per thread; when full, expired bits are swept, else the new
  // bit is not set (counted in detect.xbits_table_full).
  uint32_t xbits_table_size = 65536;
  // Directory of the compiled-database cache (empty: no cache).
  std::string cache_dir;
  // Rule-profiling timing (two clock reads per rule check). Counts are always kept.
  bool profile_timing = false;
  // Optional: the transaction side of a buffer (1 request, 2 response, 3 either), from the app
  // layer (sensor/inspect BufferSide). With it, transaction-scoped rules without side effects
  // are grouped only in the direction they can alert in (detect_engine.cc TransactionSide).
  uint8_t (*buffer_side)(rules::BufferId) = nullptr;
  // Busy ports whose TCP/UDP port groups also hold the "any port" group's unbounded pkt_data
  // literals (detect_engine.cc BuildGroups): a packet or stream chunk meeting such a group skips
  // the any group's pkt_data scan, so each byte is scanned once instead of twice. Each listed
  // port costs one more database compile per (transport, direction, dport/sport).
  std::vector<uint16_t> fold_any_ports{53, 80, 443, 8080};

  Status Validate() const;
};

}  // namespace vigil::sensor
