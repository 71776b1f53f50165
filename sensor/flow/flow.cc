#include "sensor/flow/flow.h"

namespace vigil::sensor {

std::string_view FlowStateName(FlowState s) {
  switch (s) {
    case FlowState::kNew: return "new";
    case FlowState::kEstablished: return "established";
    case FlowState::kClosed: return "closed";
  }
  return "?";
}

std::string_view FlowEndReasonName(FlowEndReason r) {
  switch (r) {
    case FlowEndReason::kNone: return "none";
    case FlowEndReason::kTimeout: return "timeout";
    case FlowEndReason::kTcpClosed: return "tcp_closed";
    case FlowEndReason::kForced: return "forced";
    case FlowEndReason::kShutdown: return "shutdown";
    case FlowEndReason::kEmergencyEviction: return "emergency_eviction";
  }
  return "?";
}

FlowProto FlowProtoOf(uint8_t ip_proto) {
  switch (ip_proto) {
    case 6: return FlowProto::kTcp;
    case 17: return FlowProto::kUdp;
    case 1:
    case 58: return FlowProto::kIcmp;
    default: return FlowProto::kOther;
  }
}

}  // namespace vigil::sensor
