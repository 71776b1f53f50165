// DetectThread: one worker's matcher over a shared DetectEngine — Hyperscan scratch, PCRE
// scratch, candidate list, threshold state, counters and rule profile. Not thread-safe; make
// one per worker thread. Inspect() allocates nothing in steady state.
//
// Per inspection: pick the groups for (transport, direction, dport, sport); scan each present
// buffer with the group's database for that buffer (the match callback only records rule
// indices); add the group's always-check rules; sort and de-duplicate candidates (the engine's
// rule order is evaluation order: pass first, then flowbit setters, then priority, then sid);
// evaluate each fully; apply flowbits, xbits, flowints, pass, noalert, suppress and thresholds;
// queue alerts. Transformed buffers (dotprefix, to_lowercase...) are computed on first use in
// an inspection — by the prefilter scan or a candidate rule — and reused by every other rule and
// database of that inspection (one output vector per chain, kept between inspections).
// xbits live in a per-thread XbitsTable (see xbits_table.h for what that means).
//
//   DetectThread t(engine, block, ids);   // block/ids may be null/empty (local stats only)
//   AlertQueue q;
//   t.Inspect(input, &q);
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/counters.h"
#include "sensor/detect/alert.h"
#include "sensor/detect/detect_counters.h"
#include "sensor/detect/detect_engine.h"
#include "sensor/detect/inspect_input.h"
#include "sensor/detect/threshold_tracker.h"
#include "sensor/detect/transform_chain.h"
#include "sensor/detect/xbits_table.h"

namespace vigil::sensor {

class DetectThread {
 public:
  explicit DetectThread(const DetectEngine& engine, CounterBlock* block = nullptr,
                        CounterGroup ids = {});

  // Evaluates the rules for one inspection; appends alerts to `out` (cleared first). Returns the
  // number of alerts queued.
  size_t Inspect(const InspectInput& in, AlertQueue* out);

  // Local totals (mirrors the counters), for tests and benches without a registry.
  uint64_t local(uint32_t counter) const { return local_[counter]; }
  const std::vector<RuleProfile>& profile() const { return profile_; }
  bool ok() const { return ok_; }
  // Id of the last stream inspection that scanned with a carry (0: none yet); see
  // InspectInput::stream_scan_id.
  uint64_t stream_scan_id() const { return stream_scan_id_; }

 private:
  bool Evaluate(const EngineRule& er, const InspectInput& in);
  void Count(uint32_t c, uint64_t n = 1) {
    local_[c] += n;
    if (block_ && ids_.size() > c) block_->Add(ids_[c], n);
  }
  bool AlertAllowed(uint32_t ri, const EngineRule& er, const InspectInput& in);
  // The bytes of `buffer` after transform chain `chain` (0: none) for this inspection; null
  // when the buffer is absent. kBase64Data is the current rule's base64_decode output.
  const std::span<const uint8_t>* View(BufferId buffer, uint32_t chain, const InspectInput& in);
  // One item of a multi-buffer through transform `chain` (0: none); not cached.
  std::span<const uint8_t> ItemView(std::span<const uint8_t> item, uint32_t chain);
  bool FlowintChecks(const EngineRule& er, const InspectInput& in) const;
  // Candidates from the met groups' flowbit-gated rules (RuleGroup::flowbit_gated): those of
  // every flowbit set on the flow or set/toggled by a candidate, with their body present.
  void AddFlowbitGated(const uint32_t* gids, const InspectInput& in);
  void ApplyActions(const EngineRule& er, const InspectInput& in);

  const DetectEngine& engine_;
  CounterBlock* block_;
  CounterGroup ids_;
  HsScratch hs_;
  PcreScratch pcre_;
  InspectScratch scratch_;
  ThresholdTracker thresholds_;
  XbitsTable xbits_;
  TransformScratch xf_;
  // Per transform chain: output bytes, their view, and the inspection they belong to.
  std::vector<std::vector<uint8_t>> xf_out_;
  std::vector<std::span<const uint8_t>> xf_view_;
  std::vector<uint64_t> xf_stamp_;
  uint64_t generation_ = 0;
  std::span<const uint8_t> base64_view_;
  std::span<const uint8_t> header_view_;  // ipv4.hdr, tcp.hdr... of the inspected packet
  std::span<const uint8_t> ip_view_[2];  // ip.src / ip.dst of the current packet
  std::vector<uint32_t> candidates_;
  // Per buffer, this inspection's use of the transaction's TxScanMemo (0 scan, 1 scan and
  // record the hits, 2 hits taken from the memo); set for the present buffers only.
  std::array<uint8_t, BufferSet::kSize> memo_mode_{};
  std::vector<uint32_t> carry_hits_;  // this stream inspection's carried-database hits
  // The last stream inspection's hits in unbounded untransformed pkt_data databases, for the
  // packet call of the packet whose payload was exactly that chunk (InspectInput::stream_scan_id).
  std::vector<uint32_t> stream_hits_;
  // Per flowbit: already taken by AddFlowbitGated in this inspection (reset via bits_seen_).
  std::vector<uint8_t> bit_seen_;
  std::vector<uint32_t> bits_seen_;
  uint64_t stream_scan_id_ = 0;
  std::vector<RuleProfile> profile_;
  uint64_t local_[DetectCounters::kCount] = {};
  bool ok_ = true;
};

}  // namespace vigil::sensor
