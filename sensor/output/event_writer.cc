#include "sensor/output/event_writer.h"

#include "core/eve_writer.h"

namespace vigil::sensor {

Result<OutputCounters> RegisterOutputCounters(CounterRegistry& registry) {
  VIGIL_TRY(CounterGroup g, registry.Register(kOutputCounterDefs));
  return OutputCounters{g};
}

EventWriter::EventWriter(EventSink& sink, const EventWriterConfig& config,
                         OutputCounters counters, CounterBlock* block)
    : sink_(sink), config_(config), counters_(counters), block_(block) {
  batch_.reserve(config_.batch_bytes + 4096);
}

EventWriter::~EventWriter() { (void)Flush(); }

void EventWriter::Write(const Event& event) {
  // Stamp the identity without copying the payloads: the envelope is small.
  const Event* ev = &event;
  Event stamped;
  if ((event.envelope.sensor_id.empty() && !config_.sensor_id.empty()) ||
      (event.envelope.province.empty() && !config_.province.empty())) {
    stamped = event;
    if (stamped.envelope.sensor_id.empty()) stamped.envelope.sensor_id = config_.sensor_id;
    if (stamped.envelope.province.empty()) stamped.envelope.province = config_.province;
    ev = &stamped;
  }
  line_.Clear();
  if (Status st = WriteEve(*ev, line_); !st || !line_.Complete()) {
    Count(OutputCounter::kFormatErrors);
    last_error_ = st ? Error(ErrorCode::kInternal, "eve: incomplete event") : st.error();
    return;
  }
  batch_.append(line_.view());
  batch_.push_back('\n');
  ++events_;
  switch (event.type) {
    case EventType::kAlert: Count(OutputCounter::kAlert); break;
    case EventType::kFlow: Count(OutputCounter::kFlow); break;
    case EventType::kDns: Count(OutputCounter::kDns); break;
    case EventType::kHttp: Count(OutputCounter::kHttp); break;
    case EventType::kTls: Count(OutputCounter::kTls); break;
    case EventType::kAnomaly: Count(OutputCounter::kAnomaly); break;
    case EventType::kStats: Count(OutputCounter::kStats); break;
    case EventType::kMqtt: break;  // counted in events_ only
  }
  if (batch_.size() >= config_.batch_bytes) (void)Flush();
}

Status EventWriter::Flush() {
  if (batch_.empty()) return Ok();
  Status st = sink_.WriteLines(batch_);
  batch_.clear();  // keeps the capacity
  Count(OutputCounter::kBatches);
  if (!st) {
    Count(OutputCounter::kWriteErrors);
    last_error_ = st.error();
  }
  return st;
}

Status EventWriter::FlushThrough() {
  Status st = Flush();
  Status sink = sink_.Flush();
  return st ? sink : st;
}

}  // namespace vigil::sensor
