// FlowInspectState: one flow's inspection state, kept by InspectPlugin in an array parallel to
// the flow table (Flow::index) and reset when the flow ends, so its buffers are reused by the
// next flow in the slot: protocol detection, the app-layer parser of the detected protocol,
// detection state (flowbits, pass), one stream window per direction, how far each HTTP
// transaction and the TLS handshake have been inspected, and which transaction-scoped rules
// already alerted (Suricata alerts a rule at most once per transaction).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "sensor/app/app_proto.h"
#include "sensor/app/dns/dns_parser.h"
#include "sensor/app/http/http_parser.h"
#include "sensor/app/mqtt/mqtt_parser.h"
#include "sensor/app/proto_detect.h"
#include "sensor/app/tls/tls_parser.h"
#include "sensor/detect/inspect_input.h"
#include "sensor/detect/stream_window.h"

namespace vigil::sensor {

struct FlowInspectState {
  std::optional<ProtoDetector> detector;  // constructed on first use of the slot
  std::unique_ptr<HttpParser> http;       // taken from the worker's pool on detection, given back
                                          // when the flow ends
  std::unique_ptr<TlsParser> tls;
  std::unique_ptr<DnsParser> dns;
  std::unique_ptr<MqttParser> mqtt;
  AppParser* parser = nullptr;            // the active one, or null
  AppProto proto = AppProto::kUnknown;
  bool active = false;                    // a flow uses the slot now
  bool established = false;               // TCP handshake done / UDP answered (sticky)
  bool established_now = false;           // TCP: became established during this packet
  bool alerted = false;
  uint8_t ended = 0;                      // stream ends seen: bit 0 to_server, bit 1 to_client
  FlowDetectState detect;
  StreamWindow window[2] = {StreamWindow(0, 0), StreamWindow(0, 0)};
  // Stream bytes per direction (0 = client to server) for `stream_size`: delivered in order plus
  // the gaps skipped, i.e. how far the sequence numbers advanced (Suricata: next_seq - isn).
  uint64_t stream_bytes[2] = {0, 0};
  std::vector<uint8_t> http_stages;       // parallel to the HTTP parser's transaction queue
  uint8_t tls_stage = 0;
  // (transaction key, engine rule index) of transaction-scoped alerts already raised.
  std::vector<std::pair<uint64_t, uint32_t>> tx_alerted;
};

}  // namespace vigil::sensor
