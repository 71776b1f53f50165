// AppProto: the application protocol of a flow, as protocol detection decided it.
//
// Names are Suricata's `app_proto` strings, so EVE consumers and `alert http ...` rule headers
// mean the same thing here: "http", "tls", "dns", "mqtt", and "failed" once detection gave up.
//
//   AppProto p = detector.proto();
//   ev.envelope.app_proto = AppProtoName(p);   // "" while still unknown
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::sensor {

enum class AppProto : uint8_t {
  kUnknown,  // not decided yet (detection still needs bytes)
  kHttp,
  kTls,
  kDns,
  kMqtt,
  kFailed,   // detection gave up: no known protocol in the bytes it may inspect
};

// "http", "tls", "dns", "failed"; "" for kUnknown (EVE omits an empty app_proto).
std::string_view AppProtoName(AppProto p);

}  // namespace vigil::sensor
