#include "sensor/reassembly/stream_sink.h"

namespace vigil::sensor {

std::string_view EndReasonName(EndReason r) {
  switch (r) {
    case EndReason::kFin: return "fin";
    case EndReason::kRst: return "rst";
    case EndReason::kFlush: return "flush";
    case EndReason::kDepth: return "depth";
  }
  return "?";
}

}  // namespace vigil::sensor
