// SynthConfig: everything that decides what vigil-synth writes. The CLI (main.cc) fills one from
// its flags; tests and benchmarks fill one directly and call Synthesize() (synthesizer.h).
// The same config with the same seed always produces byte-identical pcap and truth files.
//
//   SynthConfig cfg;
//   cfg.out_path = "/tmp/x.pcap"; cfg.truth_path = "/tmp/x.jsonl";
//   cfg.flows = 200; cfg.seed = 7; cfg.impair.reorder = 0.05;
//   if (auto st = ValidateConfig(cfg); !st) { ... st.error().message ... }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::synth {

// Relative weights of the ordinary flow kinds (they need not add up to 100).
struct TrafficMix {
  uint32_t http = 60;
  uint32_t dns = 20;
  uint32_t tls = 15;
  uint32_t udp = 5;  // UDP noise: random payloads to random high ports
};

// Per-packet probabilities of network impairments, each in [0, 1].
struct Impairments {
  double reorder = 0;     // a TCP data segment swaps places with the next one of its direction
  double retransmit = 0;  // a TCP data segment is sent twice (identical bytes)
  double overlap = 0;     // a TCP data segment starts inside the previous one (identical bytes)
  double fragment = 0;    // a data-bearing IP packet is split into 2-3 IPv4/IPv6 fragments
};

struct SynthConfig {
  std::string out_path;    // pcap to write (required)
  std::string truth_path;  // JSON Lines ground truth; empty = none

  // Stop conditions: no new flow starts once the pcap holds target_bytes, or once `flows`
  // ordinary flows were started; flows in progress always finish. At least one must be set.
  uint64_t target_bytes = 0;  // 0 = no size limit
  uint64_t flows = 0;         // ordinary (non-attack) flows; 0 = no count limit

  uint64_t seed = 1;
  TrafficMix mix;
  uint32_t concurrency = 32;     // flows in progress at once (their packets interleave)
  double ipv6_fraction = 0.0;    // share of flows carried over IPv6, [0, 1]
  uint16_t vlan = 0;             // 802.1Q VLAN id for every frame; 0 = untagged
  uint16_t mss = 1460;           // IPv4 MSS advertised and used; IPv6 uses mss - 20
  uint32_t attacks = 0;          // attack instances embedded (cycling through the kinds)
  int64_t start_time_s = 1704110400;  // capture start, epoch seconds (2024-01-01T12:00:00Z)
  Impairments impair;

  // Shape of the traffic (documented defaults; rarely changed).
  uint32_t clients = 1000;                     // distinct client hosts
  uint32_t max_body_bytes = 256 * 1024;        // largest HTTP response body
  uint32_t max_requests_per_connection = 5;    // HTTP keep-alive: 1..this many requests
  uint32_t max_app_records = 12;               // TLS application-data records per direction
  uint32_t scan_ports = 64;                    // SYN probes per port-scan attack
  bool pad_min_frame = true;                   // pad Ethernet frames to 60 bytes as NICs do
  double progress_interval_s = 2.0;            // how often Synthesize() reports progress
};

// "100MB" -> 100'000'000; accepts B, K/KB, M/MB, G/GB (powers of 10) and KiB/MiB/GiB (powers of
// 2), case-insensitive, with an optional fraction ("1.5GB").
Result<uint64_t> ParseByteSize(std::string_view text);
// "http=60,dns=20,tls=15,udp=5"; kinds left out get weight 0.
Result<TrafficMix> ParseMix(std::string_view text);
// "reorder=0.05,retransmit=0.02,overlap=0.01,fragment=0.01"; kinds left out stay 0.
Result<Impairments> ParseImpairments(std::string_view text);
// Checks ranges and required fields; the message names the offending field.
Status ValidateConfig(const SynthConfig& cfg);

}  // namespace vigil::synth
