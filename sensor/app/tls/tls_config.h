// TlsConfig: the TLS parser's limits and switches, with their defaults.
//
//   TlsConfig cfg;  cfg.max_handshake_size = 256 * 1024;
#pragma once

#include <cstddef>

#include "core/result.h"

namespace vigil::sensor {

struct TlsConfig {
  // Largest handshake message reassembled (across records). Larger messages (huge certificate
  // chains) are skipped without buffering and counted (app.tls.handshake_too_large).
  size_t max_handshake_size = 64 * 1024;
  // Records longer than this raise tls.invalid_record_length and stop parsing of the direction.
  // The protocol allows 2^14 bytes of plaintext plus 2048 of expansion.
  size_t max_record_length = 16384 + 2048;
  bool decode_certificate = true;  // first server certificate (TLS <= 1.2)
  // Also run OpenSSL's full d2i_X509 on it (checks the whole DER, public key included). Off by
  // default: with OpenSSL 3 it costs ~30x the field extraction (see x509_certificate.h).
  bool validate_certificate_der = false;
  bool ja3 = true;                 // JA3 / JA3S strings and MD5 hashes
  bool ja4 = true;                 // JA4 client fingerprint
  // Anomalies a flow keeps between two drains of its AnomalyLog (all are counted regardless).
  size_t max_pending_anomalies = 32;

  [[nodiscard]] Status Validate() const {
    if (max_handshake_size < 1024) {
      return Error(ErrorCode::kInvalidArgument, "app.tls.max_handshake_size must be >= 1024");
    }
    if (max_record_length < 512 || max_record_length > 65535) {
      return Error(ErrorCode::kInvalidArgument, "app.tls.max_record_length must be in 512..65535");
    }
    return Ok();
  }
};

}  // namespace vigil::sensor
