#include "sensor/app/app_proto.h"

namespace vigil::sensor {

std::string_view AppProtoName(AppProto p) {
  switch (p) {
    case AppProto::kHttp: return "http";
    case AppProto::kTls: return "tls";
    case AppProto::kDns: return "dns";
    case AppProto::kMqtt: return "mqtt";
    case AppProto::kFailed: return "failed";
    case AppProto::kUnknown: break;
  }
  return {};
}

}  // namespace vigil::sensor
