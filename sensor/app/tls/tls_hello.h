// ClientHello / ServerHello: the fields of the TLS hello messages that fingerprints, `tls.sni`
// and version detection need, and their bounds-checked parsers.
//
// Input is the handshake message body (after the 4-byte handshake header). Every length is
// checked against what remains; a length that runs past its container stops the parse
// (tls.handshake_invalid_length) and what parsed so far is kept. Extension values are decoded
// for server_name (0), supported_groups (10), ec_point_formats (11), signature_algorithms (13),
// ALPN (16) and supported_versions (43); every extension type is recorded in order.
//
//   ClientHello ch;
//   uint32_t events = 0;
//   ParseClientHello(body, ch, events);   // events: bit i = TlsEvent i
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vigil::sensor {

struct ClientHello {
  uint16_t legacy_version = 0;
  std::array<uint8_t, 32> random{};
  std::vector<uint8_t> session_id;
  std::vector<uint16_t> cipher_suites;
  std::vector<uint8_t> compression_methods;
  std::vector<uint16_t> extensions;  // types, in order
  std::string sni;                   // first host_name
  std::vector<uint16_t> supported_groups;
  std::vector<uint8_t> ec_point_formats;
  std::vector<uint16_t> signature_algorithms;
  std::vector<std::string> alpn;
  std::vector<uint16_t> supported_versions;
  void Clear();
};

struct ServerHello {
  uint16_t legacy_version = 0;
  std::array<uint8_t, 32> random{};
  std::vector<uint8_t> session_id;
  uint16_t cipher_suite = 0;
  uint8_t compression_method = 0;
  std::vector<uint16_t> extensions;
  std::optional<uint16_t> selected_version;  // supported_versions (TLS 1.3)
  std::string alpn;                          // selected protocol
  void Clear();
  // The negotiated version: supported_versions if present, else the legacy field.
  uint16_t version() const { return selected_version.value_or(legacy_version); }
};

// Both return false when the message is truncated or inconsistent (fields parsed before the
// error are kept). Anomalies are OR-ed into `events` (bit i = TlsEvent i).
bool ParseClientHello(std::span<const uint8_t> body, ClientHello& out, uint32_t& events);
bool ParseServerHello(std::span<const uint8_t> body, ServerHello& out, uint32_t& events);

// GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ..., 0xfafa.
inline bool IsGrease(uint16_t v) { return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff); }

}  // namespace vigil::sensor
