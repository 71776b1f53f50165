#include "sensor/app/tls/tls_parser.h"

#include <algorithm>

#include "sensor/app/tls/ja3.h"

namespace vigil::sensor {

void TlsSession::Clear() {
  client_hello_seen = server_hello_seen = certificate_seen = false;
  client_hello.Clear();
  server_hello.Clear();
  ja3_string.clear();
  ja3_hash.clear();
  ja3s_string.clear();
  ja3s_hash.clear();
  ja4.clear();
  version = 0;
  version_name = {};
  cert.Clear();
  client_certificate_seen = false;
  client_cert.Clear();
  cert_chain_length = 0;
  encrypted[0] = encrypted[1] = false;
}

std::string_view TlsVersionName(uint16_t v) {
  switch (v) {
    case 0x0002: return "SSLv2";
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv1";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    default: return "UNDETERMINED";
  }
}

void FillTlsInfo(const TlsSession& s, TlsInfo& info) {
  info = TlsInfo{};
  info.subject = s.cert.subject;
  info.issuerdn = s.cert.issuer;
  info.serial = s.cert.serial;
  info.fingerprint = s.cert.fingerprint;
  info.notbefore = s.cert.not_before;
  info.notafter = s.cert.not_after;
  info.sni = s.client_hello.sni;
  if (s.server_hello_seen) {
    info.version = s.version_name;
  } else if (s.client_hello_seen) {
    info.version = TlsVersionName(s.client_hello.legacy_version);
  }
  if (!s.ja3_hash.empty()) info.ja3 = TlsFingerprint{s.ja3_hash, s.ja3_string};
  if (!s.ja3s_hash.empty()) info.ja3s = TlsFingerprint{s.ja3s_hash, s.ja3s_string};
  info.subjectaltname = s.cert.subject_alt_names;
  info.client_alpns = s.client_hello.alpn;
  if (s.server_hello_seen) info.server_alpn = s.server_hello.alpn;
}

TlsParser::TlsParser(const TlsConfig& cfg, const AppCounters* counters)
    : cfg_(cfg), counters_(counters) {
  anomalies_.set_capacity(cfg_.max_pending_anomalies);
}

void TlsParser::Reset() {
  for (DirState& d : dirs_) {
    d.state = State::kHeader;
    d.hdr_have = 0;
    d.remaining = 0;
    d.first_record = true;
    d.alert_have = 0;
    d.hs.clear();
    d.hs_skip = 0;
  }
  session_.Clear();
  log_done_ = log_ready_ = false;
  anomalies_.Reset();
}

bool TlsParser::TakeLogReady() {
  if (!log_ready_ || log_done_) return false;
  log_done_ = true;
  return true;
}

void TlsParser::Raise(Direction dir, TlsEvent e) {
  if (counters_ != nullptr) {
    counters_->Add(e);
    counters_->Add(AppCounter::kTlsAnomalies);
  }
  if (!anomalies_.Push(AppAnomaly{TlsEventName(e), dir, std::nullopt})) {
    Count(counters_, AppCounter::kAnomaliesDropped);
  }
}

void TlsParser::RaiseAll(Direction dir, uint32_t events) {
  for (unsigned e = 0; e < static_cast<unsigned>(TlsEvent::kCount); ++e) {
    if ((events >> e) & 1u) Raise(dir, static_cast<TlsEvent>(e));
  }
}

void TlsParser::Abandon(DirState& d) {
  if (d.state == State::kDead) return;
  d.state = State::kDead;
  d.hs.clear();
  d.hs.shrink_to_fit();
  Count(counters_, AppCounter::kTlsAbandoned);
}

void TlsParser::OnData(Direction dir, std::span<const uint8_t> data) {
  DirState& d = dirs_[DirIndex(dir)];
  while (!data.empty()) {
    switch (d.state) {
      case State::kDead:
        return;
      case State::kHeader: {
        size_t n = std::min<size_t>(5 - d.hdr_have, data.size());
        std::copy_n(data.begin(), n, d.hdr + d.hdr_have);
        d.hdr_have += n;
        data = data.subspan(n);
        if (d.hdr_have == 5) Header(dir, d);
        break;
      }
      case State::kHandshake: {
        size_t n = std::min<size_t>(d.remaining, data.size());
        HandshakeBytes(dir, d, data.first(n));
        data = data.subspan(n);
        d.remaining -= n;
        if (d.remaining == 0 && d.state == State::kHandshake) d.state = State::kHeader;
        break;
      }
      case State::kAlert: {
        size_t n = std::min<size_t>(d.remaining, data.size());
        for (size_t i = 0; i < n && d.alert_have < 2; ++i) d.alert[d.alert_have++] = data[i];
        data = data.subspan(n);
        d.remaining -= n;
        if (d.remaining == 0) {
          if (d.alert_have == 2 && d.alert[0] == 2) Raise(dir, TlsEvent::kErrorMessageEncountered);
          d.state = State::kHeader;
        }
        break;
      }
      case State::kSkip: {
        size_t n = std::min<size_t>(d.remaining, data.size());
        if (d.encrypted_record) Count(counters_, AppCounter::kTlsEncryptedBytes, n);
        data = data.subspan(n);
        d.remaining -= n;
        if (d.remaining == 0) d.state = State::kHeader;
        break;
      }
    }
  }
}

void TlsParser::Header(Direction dir, DirState& d) {
  d.hdr_have = 0;
  uint8_t type = d.hdr[0];
  bool first = d.first_record;
  d.first_record = false;
  if (first && (type & 0x80)) {
    // SSLv2-style record header: not parsed.
    Raise(dir, TlsEvent::kInvalidTlsHeader);
    Abandon(d);
    return;
  }
  if (type < 20 || type > 24) {
    Raise(dir, TlsEvent::kInvalidRecordType);
    Abandon(d);
    return;
  }
  if (d.hdr[1] != 3) {
    Raise(dir, TlsEvent::kInvalidRecordVersion);
    Abandon(d);
    return;
  }
  size_t len = (size_t{d.hdr[3]} << 8) | d.hdr[4];
  if (len > cfg_.max_record_length) {
    Raise(dir, TlsEvent::kInvalidRecordLength);
    Abandon(d);
    return;
  }
  d.remaining = len;
  bool& encrypted = session_.encrypted[DirIndex(dir)];
  d.encrypted_record = encrypted || type == 23;
  if (encrypted) {
    Count(counters_, AppCounter::kTlsEncryptedRecords);
    d.state = State::kSkip;
  } else {
    switch (type) {
      case 20:  // ChangeCipherSpec: everything after it in this direction is encrypted
        encrypted = true;
        d.state = State::kSkip;
        break;
      case 21:
        d.alert_have = 0;
        d.state = State::kAlert;
        break;
      case 22:
        d.state = State::kHandshake;
        break;
      case 23:  // application data (TLS 1.3 sends its encrypted handshake this way too)
        encrypted = true;
        Count(counters_, AppCounter::kTlsEncryptedRecords);
        d.state = State::kSkip;
        break;
      default:  // 24: heartbeat
        Raise(dir, TlsEvent::kHeartbeatMessage);
        d.state = State::kSkip;
        break;
    }
  }
  if (encrypted && dir == Direction::kToClient && session_.client_hello_seen) log_ready_ = true;
  if (d.remaining == 0 && d.state != State::kDead) d.state = State::kHeader;
}

void TlsParser::HandshakeBytes(Direction dir, DirState& d, std::span<const uint8_t> bytes) {
  if (d.hs_skip > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(d.hs_skip, bytes.size()));
    d.hs_skip -= n;
    bytes = bytes.subspan(n);
    if (bytes.empty()) return;
  }
  d.hs.insert(d.hs.end(), bytes.begin(), bytes.end());
  size_t off = 0;
  while (d.hs.size() - off >= 4) {
    const uint8_t* h = d.hs.data() + off;
    uint8_t type = h[0];
    size_t len = (size_t{h[1]} << 16) | (size_t{h[2]} << 8) | h[3];
    if (len > cfg_.max_handshake_size) {
      Count(counters_, AppCounter::kTlsHandshakeTooLarge);
      size_t have = d.hs.size() - off - 4;
      if (have >= len) {
        off += 4 + len;
        continue;
      }
      d.hs_skip = len - have;
      off = d.hs.size();
      break;
    }
    if (d.hs.size() - off - 4 < len) break;  // wait for more records
    HandleMessage(dir, type, std::span<const uint8_t>(h + 4, len));
    off += 4 + len;
    if (d.state == State::kDead) return;
  }
  d.hs.erase(d.hs.begin(), d.hs.begin() + static_cast<ptrdiff_t>(off));
  // hs_skip may still apply to bytes arriving later in this record or the next.
}

void TlsParser::HandleMessage(Direction dir, uint8_t type, std::span<const uint8_t> body) {
  uint32_t events = 0;
  switch (type) {
    case 1:  // ClientHello
      if (dir != Direction::kToServer) {
        Raise(dir, TlsEvent::kInvalidHandshakeMessage);
        return;
      }
      Count(counters_, AppCounter::kTlsClientHellos);
      if (session_.client_hello_seen) return;  // keep the first (a retry after HRR is similar)
      ParseClientHello(body, session_.client_hello, events);
      RaiseAll(dir, events);
      session_.client_hello_seen = true;
      if (cfg_.ja3) {
        session_.ja3_string = Ja3String(session_.client_hello);
        session_.ja3_hash = Md5Hex(session_.ja3_string);
      }
      if (cfg_.ja4) session_.ja4 = Ja4(session_.client_hello);
      return;
    case 2:  // ServerHello (also HelloRetryRequest: the last one wins)
      if (dir != Direction::kToClient) {
        Raise(dir, TlsEvent::kInvalidHandshakeMessage);
        return;
      }
      Count(counters_, AppCounter::kTlsServerHellos);
      ParseServerHello(body, session_.server_hello, events);
      RaiseAll(dir, events);
      session_.server_hello_seen = true;
      session_.version = session_.server_hello.version();
      session_.version_name = TlsVersionName(session_.version);
      if (cfg_.ja3) {
        session_.ja3s_string = Ja3sString(session_.server_hello);
        session_.ja3s_hash = Md5Hex(session_.ja3s_string);
      }
      // TLS 1.3: everything after the ServerHello is encrypted.
      if (session_.version == 0x0304) log_ready_ = session_.client_hello_seen;
      return;
    case 11:  // Certificate (the client's when the server asked for one)
      HandleCertificate(dir, body);
      return;
    case 0: case 3: case 4: case 5: case 6: case 8: case 12: case 13: case 14: case 15:
    case 16: case 20: case 21: case 22: case 23: case 24: case 25: case 254:
      return;  // known, nothing to extract
    default:
      Raise(dir, TlsEvent::kInvalidHandshakeMessage);
      return;
  }
}

void TlsParser::HandleCertificate(Direction dir, std::span<const uint8_t> body) {
  const bool server = dir == Direction::kToClient;
  bool& seen = server ? session_.certificate_seen : session_.client_certificate_seen;
  if (seen) return;
  if (body.size() < 3) {
    Raise(dir, TlsEvent::kCertificateInvalidLength);
    return;
  }
  size_t total = (size_t{body[0]} << 16) | (size_t{body[1]} << 8) | body[2];
  if (total != body.size() - 3) {
    Raise(dir, TlsEvent::kCertificateInvalidLength);
    return;
  }
  std::span<const uint8_t> list = body.subspan(3);
  if (!server && list.empty()) return;  // a client without a certificate sends an empty list
  seen = true;
  size_t count = 0;
  std::span<const uint8_t> first;
  while (!list.empty()) {
    if (list.size() < 3) {
      Raise(dir, TlsEvent::kCertificateInvalidLength);
      break;
    }
    size_t len = (size_t{list[0]} << 16) | (size_t{list[1]} << 8) | list[2];
    if (len > list.size() - 3) {
      Raise(dir, TlsEvent::kCertificateInvalidLength);
      break;
    }
    if (count == 0) first = list.subspan(3, len);
    ++count;
    list = list.subspan(3 + len);
  }
  if (server) session_.cert_chain_length = count;
  if (count == 0 || !cfg_.decode_certificate) return;
  CertificateFields& fields = server ? session_.cert : session_.client_cert;
  if (DecodeCertificate(first, fields, cfg_.validate_certificate_der)) {
    Count(counters_, AppCounter::kTlsCertificates);
  } else {
    Raise(dir, TlsEvent::kCertificateInvalidDer);
  }
}

void TlsParser::OnGap(Direction dir, uint64_t length) {
  if (length == 0) return;
  Abandon(dirs_[DirIndex(dir)]);
}

void TlsParser::OnEnd(Direction dir) {
  DirState& d = dirs_[DirIndex(dir)];
  d.state = State::kDead;  // not counted as abandoned: the stream simply ended
  d.hs.clear();
  if (session_.client_hello_seen) log_ready_ = true;
}

}  // namespace vigil::sensor
