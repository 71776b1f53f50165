// FlowStreamSink: the worker's StreamSink. A TcpSession delivers a flow's reassembled bytes,
// gaps, ends and anomalies here; the sink keeps per-flow stream accounting (FlowStreamStats, in
// an array parallel to the flow table), reports anomalies as EVE events and passes the stream on
// to the worker's plugin (app-layer parsers and detection, later).
//
// The sink is shared by all of a worker's sessions, so the worker binds it to the flow (and the
// packet being processed) before each TcpSession call:
//
//   sink.Bind(&flow, &pkt);
//   session.OnPacket(pkt, dir, sink);
//   ...
//   sink.Bind(&flow, nullptr);   // flow end: no current packet
//   session.Flush(sink);
#pragma once

#include <cstdint>

#include "sensor/pipeline/anomaly_reporter.h"
#include "sensor/pipeline/lazy_array.h"
#include "sensor/pipeline/worker_plugin.h"
#include "sensor/reassembly/stream_sink.h"

namespace vigil::sensor {

class FlowStreamSink final : public StreamSink {
 public:
  // capacity: the flow table's. plugin may be null.
  FlowStreamSink(size_t capacity, AnomalyReporter& anomalies, WorkerPlugin* plugin)
      : stats_(capacity), anomalies_(anomalies), plugin_(plugin) {}

  void Bind(const Flow* flow, const Packet* packet) {
    flow_ = flow;
    packet_ = packet;
    if (plugin_ != nullptr) plugin_->OnStreamPacket(packet);
  }

  void OnData(StreamDirection dir, std::span<const uint8_t> bytes, uint64_t offset) override;
  void OnGap(StreamDirection dir, uint64_t offset, uint64_t length) override;
  void OnEnd(StreamDirection dir, EndReason reason) override;
  void OnEvent(StreamDirection dir, StreamEvent event) override;

  // The flow's accounting (zero if it never delivered anything).
  const FlowStreamStats& stats(uint32_t flow_index) { return stats_.At(flow_index); }
  void ResetStats(uint32_t flow_index) {
    if (stats_.IsConstructed(flow_index)) stats_[flow_index] = FlowStreamStats{};
  }

 private:
  static int Index(StreamDirection d) { return d == StreamDirection::kToServer ? 0 : 1; }

  LazyArray<FlowStreamStats> stats_;
  AnomalyReporter& anomalies_;
  WorkerPlugin* plugin_;
  const Flow* flow_ = nullptr;
  const Packet* packet_ = nullptr;
};

}  // namespace vigil::sensor
