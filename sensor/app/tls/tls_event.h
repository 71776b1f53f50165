// TlsEvent: named TLS anomalies, with Suricata's app-layer-event names ("tls.*").
//
// The table doubles as the counter definitions.
//
//   TlsEventName(TlsEvent::kInvalidRecordType) == "tls.invalid_record_type"
#pragma once

#include <cstdint>
#include <iterator>
#include <string_view>

#include "core/counters.h"

namespace vigil::sensor {

// Index into kTlsEventDefs; keep the two in the same order.
enum class TlsEvent : uint8_t {
  kInvalidTlsHeader,
  kInvalidRecordVersion,
  kInvalidRecordType,
  kInvalidRecordLength,
  kInvalidHandshakeMessage,
  kHandshakeInvalidLength,
  kCertificateInvalidLength,
  kCertificateInvalidDer,
  kErrorMessageEncountered,
  kHeartbeatMessage,
  kMultipleSniExtensions,
  kInvalidSniType,
  kInvalidSniLength,
  kCount,
};

inline constexpr CounterDef kTlsEventDefs[] = {
    {"tls.invalid_tls_header", "stream does not start with a TLS record header (e.g. SSLv2); parsing stopped"},
    {"tls.invalid_record_version", "record version whose major is not 3; parsing stopped"},
    {"tls.invalid_record_type", "record content type outside 20..24; parsing stopped"},
    {"tls.invalid_record_length", "record longer than 2^14+2048 bytes; parsing stopped"},
    {"tls.invalid_handshake_message", "unknown handshake type, or a hello sent the wrong way"},
    {"tls.handshake_invalid_length", "handshake message whose inner lengths run past its end, or over max_handshake_size"},
    {"tls.certificate_invalid_length", "Certificate message whose list lengths are inconsistent"},
    {"tls.certificate_invalid_der", "first certificate is not valid DER X.509"},
    {"tls.error_message_encountered", "fatal alert record seen in clear text"},
    {"tls.heartbeat_message", "heartbeat record seen"},
    {"tls.multiple_sni_extensions", "ClientHello with more than one server_name extension"},
    {"tls.invalid_sni_type", "server_name entry whose type is not host_name"},
    {"tls.invalid_sni_length", "server_name extension whose lengths are inconsistent"},
};
static_assert(std::size(kTlsEventDefs) == static_cast<size_t>(TlsEvent::kCount));

inline std::string_view TlsEventName(TlsEvent e) {
  auto i = static_cast<size_t>(e);
  return i < std::size(kTlsEventDefs) ? kTlsEventDefs[i].name : std::string_view("tls.unknown");
}

}  // namespace vigil::sensor
