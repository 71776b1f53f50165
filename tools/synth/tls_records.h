// TlsRecords: the bytes of a TLS 1.2 or 1.3 session as a client and server put them on the wire:
// ClientHello (SNI, cipher suites, supported_groups, ec_point_formats, signature_algorithms,
// ALPN, supported_versions, key_share...), the server's first flight (TLS 1.3: ServerHello +
// ChangeCipherSpec + encrypted handshake; TLS 1.2: ServerHello, Certificate with a self-signed
// certificate, ServerKeyExchange, ServerHelloDone), the client's finish, and opaque
// application-data records. Every length field is consistent, so tshark decodes each message.
//
//   TlsSessionSpec s = RandomTlsSession(rng, "www.example.com");
//   WriteClientHello(rng, s, bytes);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/synth/rng.h"

namespace vigil::synth {

struct TlsSessionSpec {
  std::string sni;
  bool tls13 = true;          // negotiate TLS 1.3 (else 1.2 with a Certificate message)
  bool offer_tls13 = true;    // ClientHello carries supported_versions with 1.3
  bool alpn_h2 = true;        // ALPN offers h2 first
  uint16_t cipher = 0x1301;   // chosen by the server
};

TlsSessionSpec RandomTlsSession(Rng& rng, const std::string& sni);

void WriteClientHello(Rng& rng, const TlsSessionSpec& s, std::vector<uint8_t>& out);
// Server's reply to the ClientHello. now_s dates the certificate.
void WriteServerFirstFlight(Rng& rng, const TlsSessionSpec& s, int64_t now_s, std::vector<uint8_t>& out);
// Client's second flight: 1.2 ClientKeyExchange + ChangeCipherSpec + Finished; 1.3 CCS + Finished.
void WriteClientFinish(Rng& rng, const TlsSessionSpec& s, std::vector<uint8_t>& out);
// TLS 1.2 server's ChangeCipherSpec + Finished (nothing for 1.3).
void WriteServerFinish(Rng& rng, const TlsSessionSpec& s, std::vector<uint8_t>& out);
// Application data records carrying `plaintext_len` bytes in total (records of <= 16 KiB).
void WriteApplicationData(Rng& rng, size_t plaintext_len, std::vector<uint8_t>& out);
// An encrypted close_notify alert (an alert record in 1.2, an application-data record in 1.3).
void WriteCloseNotify(Rng& rng, const TlsSessionSpec& s, std::vector<uint8_t>& out);

}  // namespace vigil::synth
