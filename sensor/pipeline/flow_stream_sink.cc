#include "sensor/pipeline/flow_stream_sink.h"

namespace vigil::sensor {

void FlowStreamSink::OnData(StreamDirection dir, std::span<const uint8_t> bytes,
                            uint64_t offset) {
  if (flow_ == nullptr) return;
  stats_.At(flow_->index).bytes[Index(dir)] += bytes.size();
  if (plugin_ != nullptr) plugin_->OnStreamData(*flow_, dir, bytes, offset);
}

void FlowStreamSink::OnGap(StreamDirection dir, uint64_t offset, uint64_t length) {
  if (flow_ == nullptr) return;
  FlowStreamStats& s = stats_.At(flow_->index);
  ++s.gaps[Index(dir)];
  s.gap_bytes[Index(dir)] += length;
  if (plugin_ != nullptr) plugin_->OnStreamGap(*flow_, dir, offset, length);
}

void FlowStreamSink::OnEnd(StreamDirection dir, EndReason reason) {
  if (flow_ != nullptr && plugin_ != nullptr) plugin_->OnStreamEnd(*flow_, dir, reason);
}

void FlowStreamSink::OnEvent(StreamDirection dir, StreamEvent event) {
  (void)dir;
  if (flow_ != nullptr) anomalies_.Stream(packet_, *flow_, event);
}

}  // namespace vigil::sensor
