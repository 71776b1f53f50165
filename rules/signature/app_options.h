// App-layer and stream keywords that are not payload matches.
//
//   app-layer-protocol:!http;        app-layer-event:http.invalid_header;
//   tls.version:1.2;                 ssl_version:tls1.2,!sslv3;      ssl_state:client_hello;
//   stream_size:server,>,1000;     dns.opcode:!0;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "rules/signature/integer_match.h"
#include "rules/signature/mqtt_option.h"

namespace vigil::rules {

struct AppLayerProtocolOption {
  std::string protocol;  // as written, lower-cased ("http", "tls", "failed", ...)
  bool negated = false;
  std::string mode;  // optional second argument ("final", "original", "either", "direction")
};

struct TlsVersionOption {
  uint16_t version = 0;  // on-the-wire value: 0x0300 SSLv3, 0x0301 TLS 1.0 ... 0x0304 TLS 1.3
};

struct NamedFlag {
  std::string name;
  bool negated = false;
};

enum class StreamSide : uint8_t { kServer, kClient, kBoth, kEither };

struct StreamSizeOption {
  StreamSide side = StreamSide::kBoth;
  IntegerMatch size;
};

struct AppOptions {
  std::vector<AppLayerProtocolOption> app_layer_protocols;
  std::vector<std::string> app_layer_events;
  std::optional<TlsVersionOption> tls_version;
  std::vector<NamedFlag> ssl_versions;  // sslv2 sslv3 tls1.0 tls1.1 tls1.2 tls1.3
  std::vector<NamedFlag> ssl_states;    // client_hello server_hello client_keyx server_keyx unknown
  std::vector<StreamSizeOption> stream_sizes;  // all must hold
  std::optional<IntegerMatch> dns_opcode;      // dns.opcode:[!]N (also <, >, ranges)
  MqttOptions mqtt;  // mqtt.type, mqtt.flags, ... (mqtt_option.h)
};

bool IsAppKeyword(std::string_view keyword);
Status ApplyAppOption(AppOptions* a, std::string_view keyword, std::string_view value, bool has_value);

}  // namespace vigil::rules
