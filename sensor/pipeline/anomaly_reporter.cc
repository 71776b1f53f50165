#include "sensor/pipeline/anomaly_reporter.h"

#include "sensor/pipeline/event_fields.h"

namespace vigil::sensor {

AnomalyReporter::AnomalyReporter(EventWriter& writer, const PipelineCounters& ids,
                                 CounterBlock* block, bool enabled)
    : writer_(writer), ids_(ids), block_(block), enabled_(enabled) {
  for (size_t i = 0; i < kDecodeEventCount; ++i) {
    decode_names_[i] = "decoder." + std::string(DecodeEventName(static_cast<DecodeEvent>(i)));
  }
}

void AnomalyReporter::Emit(const EventEnvelope& env, std::string_view type,
                           std::string_view name) {
  ids_.Add(block_, PipelineCounter::kAnomalies);
  if (!enabled_) return;
  AnomalyInfo info;
  info.type = type;
  info.event = name;
  Event ev;
  ev.type = EventType::kAnomaly;
  ev.envelope = env;
  ev.anomaly = &info;
  writer_.Write(ev);
}

void AnomalyReporter::Decode(const Packet& p, const Flow* flow) {
  if (p.event_count == 0) return;
  EventEnvelope env;
  FillPacketEnvelope(p, flow, env);
  for (uint8_t i = 0; i < p.event_count && i < kMaxDecodeEvents; ++i) {
    const auto idx = static_cast<size_t>(p.events[i]);
    if (idx >= kDecodeEventCount) continue;
    Emit(env, "decode", decode_names_[idx]);
  }
}

void AnomalyReporter::Defrag(const Packet& p, uint32_t events) {
  if (events == 0) return;
  EventEnvelope env;
  FillPacketEnvelope(p, nullptr, env);
  for (unsigned b = 0; b < kDefragEventCount; ++b) {
    if (((events >> b) & 1u) != 0) Emit(env, "decode", DefragEventName(b));
  }
}

void AnomalyReporter::Stream(const Packet* p, const Flow& flow, StreamEvent event) {
  EventEnvelope env;
  if (p != nullptr) {
    FillPacketEnvelope(*p, &flow, env);
  } else {
    FillFlowEnvelope(flow, env);
  }
  Emit(env, "stream", StreamEventName(event));
}

}  // namespace vigil::sensor
