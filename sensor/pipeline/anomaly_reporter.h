// AnomalyReporter: turns the named anomalies of every stage into EVE `anomaly` events, in
// Suricata's format:
//   decoder:  {"type":"decode","event":"decoder.ipv4.trunc_pkt"}
//   defrag:   {"type":"decode","event":"defrag.ipv4.fragment_overlap"}   (Suricata counts
//             defragmentation anomalies as decode events; our names keep the defrag. prefix)
//   stream:   {"type":"stream","event":"stream.pkt_invalid_ack"}
// The stages have already counted each anomaly under its own name; this only writes the event
// (and counts pipeline.anomalies). One per thread; event names are precomputed, so reporting
// allocates nothing.
//
//   AnomalyReporter anomalies(writer, ids, block, /*enabled=*/true);
//   anomalies.Decode(pkt, flow);                 // every DecodeEvent recorded on the packet
//   anomalies.Stream(&pkt, flow, dir, event);    // from StreamSink::OnEvent
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/counters.h"
#include "sensor/decode/decode_event.h"
#include "sensor/decode/packet.h"
#include "sensor/defrag/defrag_events.h"
#include "sensor/flow/flow.h"
#include "sensor/output/event_writer.h"
#include "sensor/pipeline/pipeline_counters.h"
#include "sensor/reassembly/stream_sink.h"

namespace vigil::sensor {

class AnomalyReporter {
 public:
  // `writer` and `block` belong to the calling thread. With enabled false nothing is written
  // (the stages' counters still count every anomaly).
  AnomalyReporter(EventWriter& writer, const PipelineCounters& ids, CounterBlock* block,
                  bool enabled);

  // One event per DecodeEvent recorded on the packet (at most kMaxDecodeEvents; the decoder
  // counts the overflow).
  void Decode(const Packet& p, const Flow* flow);
  // One event per bit set in `events` (DefragResult::events).
  void Defrag(const Packet& p, uint32_t events);
  // A stream anomaly of `flow`; p is the packet being processed, or null during a flush.
  void Stream(const Packet* p, const Flow& flow, StreamEvent event);

 private:
  void Emit(const EventEnvelope& env, std::string_view type, std::string_view name);

  EventWriter& writer_;
  const PipelineCounters& ids_;
  CounterBlock* block_;
  const bool enabled_;
  std::array<std::string, kDecodeEventCount> decode_names_;  // "decoder.ipv4.trunc_pkt"
};

}  // namespace vigil::sensor
