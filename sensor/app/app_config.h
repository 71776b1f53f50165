// AppLayerConfig: the configuration of the whole app-layer stage (detection and each parser).
//
// Built and validated once at load, then shared read-only by every worker; a reload builds a new
// one and swaps the pointer. Each member documents its own limits and defaults.
//
//   AppLayerConfig cfg;
//   cfg.http.request_body_limit = 1 << 20;
//   if (auto s = cfg.Validate(); !s) return s.error();
#pragma once

#include "core/result.h"
#include "sensor/app/dns/dns_config.h"
#include "sensor/app/http/http_config.h"
#include "sensor/app/mqtt/mqtt_config.h"
#include "sensor/app/proto_detect.h"
#include "sensor/app/tls/tls_config.h"

namespace vigil::sensor {

struct AppLayerConfig {
  ProtoDetectConfig detect;
  HttpConfig http;
  DnsConfig dns;
  TlsConfig tls;
  MqttConfig mqtt;

  [[nodiscard]] Status Validate() const {
    VIGIL_CHECK_OK(detect.Validate());
    VIGIL_CHECK_OK(http.Validate());
    VIGIL_CHECK_OK(dns.Validate());
    VIGIL_CHECK_OK(tls.Validate());
    VIGIL_CHECK_OK(mqtt.Validate());
    return Ok();
  }
};

}  // namespace vigil::sensor
