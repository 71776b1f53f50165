#include "sensor/output/event_sink.h"

namespace vigil::sensor {

Status TeeSink::WriteLines(std::string_view lines) {
  Status first;
  for (EventSink* s : sinks_) {
    Status st = s->WriteLines(lines);
    if (!st && first) first = std::move(st);
  }
  return first;
}

Status TeeSink::Flush() {
  Status first;
  for (EventSink* s : sinks_) {
    Status st = s->Flush();
    if (!st && first) first = std::move(st);
  }
  return first;
}

std::string TeeSink::Describe() const {
  std::string out = "tee:";
  for (const EventSink* s : sinks_) out += " [" + s->Describe() + "]";
  return out;
}

}  // namespace vigil::sensor
