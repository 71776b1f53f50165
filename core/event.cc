#include "core/event.h"

namespace vigil {

std::string_view EventTypeName(EventType t) {
  switch (t) {
    case EventType::kAlert: return "alert";
    case EventType::kFlow: return "flow";
    case EventType::kDns: return "dns";
    case EventType::kHttp: return "http";
    case EventType::kTls: return "tls";
    case EventType::kAnomaly: return "anomaly";
    case EventType::kStats: return "stats";
    case EventType::kMqtt: return "mqtt";
  }
  return "unknown";
}

std::string_view DirectionName(Direction d) {
  switch (d) {
    case Direction::kToServer: return "to_server";
    case Direction::kToClient: return "to_client";
    case Direction::kNone: break;
  }
  return {};
}

std::string_view ProtoName(uint8_t p) {
  // Names as Suricata writes them (its table follows /etc/protocols).
  switch (p) {
    case 1: return "ICMP";
    case 2: return "IGMP";
    case 4: return "IPIP";
    case 6: return "TCP";
    case 17: return "UDP";
    case 41: return "IPv6";
    case 47: return "GRE";
    case 50: return "ESP";
    case 51: return "AH";
    case 58: return "IPv6-ICMP";
    case 103: return "PIM";
    case 132: return "SCTP";
    default: return {};
  }
}

}  // namespace vigil
