// Synthesize(): runs the traffic synthesizer described by a SynthConfig, writing the pcap (and
// the truth file) and returning what was written. This is the library entry point that the
// vigil-synth CLI, tests and benchmarks share.
//
// `concurrency` flows are in progress at once; each flow is generated whole (frames in capture
// order), then the frames of all flows in progress are merged by timestamp, so packets of
// different flows interleave as a single capture point would see them. When a flow ends, the next
// one starts in its place a little later. Every random choice is drawn from one seeded Rng in a
// fixed order, so the same config gives byte-identical output.
//
//   SynthConfig cfg; cfg.out_path = "x.pcap"; cfg.flows = 100;
//   auto stats = Synthesize(cfg);
//   if (!stats) { ... stats.error().ToString() ... }
#pragma once

#include <cstdint>
#include <functional>

#include "core/result.h"
#include "tools/synth/synth_config.h"

namespace vigil::synth {

struct SynthStats {
  uint64_t flows = 0;             // ordinary flows started
  uint64_t attacks = 0;           // attack instances embedded
  uint64_t attack_flows = 0;      // truth records (5-tuples) belonging to attacks
  uint64_t truth_records = 0;     // all truth records (5-tuples)
  uint64_t packets = 0;           // frames written
  uint64_t pcap_bytes = 0;        // size of the pcap file
  uint64_t frame_bytes = 0;       // sum of frame lengths
  int64_t first_ns = 0;           // capture time span
  int64_t last_ns = 0;
  double elapsed_s = 0;           // wall time spent
};

using ProgressFn = std::function<void(const SynthStats&)>;

// progress (optional) is called about every cfg.progress_interval_s seconds of wall time.
Result<SynthStats> Synthesize(const SynthConfig& cfg, const ProgressFn& progress = {});

}  // namespace vigil::synth
