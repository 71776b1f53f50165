// TlsParser: the per-flow TLS parser: record layer, handshake reassembly, hellos, fingerprints
// and the first server certificate, feeding one TlsSession.
//
// Each direction is a stream of records (5-byte header, payload) split anywhere across chunks;
// handshake payloads are reassembled across records into messages (4-byte header, body) bounded
// by max_handshake_size. After a direction sends ChangeCipherSpec or application data its records
// are encrypted: they are still framed and counted (app.tls.encrypted_records/_bytes) but not
// parsed. An invalid record header (type, version, length), or a gap, ends parsing of that
// direction: without the lost bytes record boundaries cannot be found again.
//
//   TlsParser tls(cfg.tls, &counters);
//   tls.OnData(Direction::kToServer, bytes);
//   if (tls.TakeLogReady()) { TlsInfo info; FillTlsInfo(tls.session(), info); Log(info); }
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "sensor/app/app_counters.h"
#include "sensor/app/app_parser.h"
#include "sensor/app/tls/tls_config.h"
#include "sensor/app/tls/tls_hello.h"
#include "sensor/app/tls/x509_certificate.h"

namespace vigil::sensor {

// What a flow's handshake revealed. Strings are owned; FillTlsInfo points an EVE payload at them.
struct TlsSession {
  bool client_hello_seen = false;
  bool server_hello_seen = false;
  bool certificate_seen = false;
  ClientHello client_hello;
  ServerHello server_hello;
  std::string ja3_string, ja3_hash;
  std::string ja3s_string, ja3s_hash;
  std::string ja4;
  uint16_t version = 0;         // negotiated (ServerHello, supported_versions first)
  std::string_view version_name;  // "TLS 1.2", ... (static storage)
  CertificateFields cert;       // first certificate of the server's chain
  bool client_certificate_seen = false;
  CertificateFields client_cert;  // first certificate of the client's chain (mutual TLS)
  size_t cert_chain_length = 0;
  bool encrypted[2] = {false, false};  // per direction (DirIndex): CCS or application data seen
  void Clear();
};

// Suricata's names: "SSLv2", "SSLv3", "TLSv1", "TLS 1.1", "TLS 1.2", "TLS 1.3"; else
// "UNDETERMINED".
std::string_view TlsVersionName(uint16_t version);

// Fills the EVE payload from the session; `info` points into `s`.
void FillTlsInfo(const TlsSession& s, TlsInfo& info);

class TlsParser final : public AppParser {
 public:
  // `cfg` and `counters` must outlive the parser; counters may be null.
  TlsParser(const TlsConfig& cfg, const AppCounters* counters);

  void OnData(Direction dir, std::span<const uint8_t> bytes) override;
  void OnGap(Direction dir, uint64_t length) override;
  void OnEnd(Direction dir) override;
  void Reset() override;
  AppProto proto() const override { return AppProto::kTls; }

  const TlsSession& session() const { return session_; }
  // True once per flow, when the handshake is as far as it will be in clear text (the server
  // started encrypting) or, for a flow that ended earlier, at the first end of stream after a
  // ClientHello. The pipeline writes the TLS event then.
  bool TakeLogReady();
  // Parsing stopped in this direction (invalid record, gap, end).
  bool abandoned(Direction dir) const { return dirs_[DirIndex(dir)].state == State::kDead; }

 private:
  enum class State : uint8_t { kHeader, kHandshake, kAlert, kSkip, kDead };
  struct DirState {
    State state = State::kHeader;
    uint8_t hdr[5] = {0, 0, 0, 0, 0};
    size_t hdr_have = 0;
    size_t remaining = 0;     // payload bytes left in the current record
    bool encrypted_record = false;  // the record being skipped is encrypted (counted)
    bool first_record = true;
    uint8_t alert[2] = {0, 0};
    size_t alert_have = 0;
    std::vector<uint8_t> hs;  // handshake bytes not yet forming a whole message
    uint64_t hs_skip = 0;     // bytes of an oversize handshake message still to skip
  };

  void Header(Direction dir, DirState& d);
  void HandshakeBytes(Direction dir, DirState& d, std::span<const uint8_t> bytes);
  void HandleMessage(Direction dir, uint8_t type, std::span<const uint8_t> body);
  void HandleCertificate(Direction dir, std::span<const uint8_t> body);
  void Raise(Direction dir, TlsEvent e);
  void RaiseAll(Direction dir, uint32_t events);
  void Abandon(DirState& d);

  const TlsConfig& cfg_;
  const AppCounters* counters_;
  DirState dirs_[2];
  TlsSession session_;
  bool log_done_ = false;
  bool log_ready_ = false;
};

}  // namespace vigil::sensor
