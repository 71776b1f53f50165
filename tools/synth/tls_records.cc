#include "tools/synth/tls_records.h"

#include <initializer_list>
#include <string_view>

#include "tools/synth/der_certificate.h"

namespace vigil::synth {
namespace {

constexpr uint8_t kChangeCipherSpec = 20;
constexpr uint8_t kAlert = 21;
constexpr uint8_t kHandshake = 22;
constexpr uint8_t kApplicationData = 23;
constexpr size_t kAeadOverhead = 16 + 8;  // GCM tag + explicit nonce (1.2) / tag + type (1.3)

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<uint8_t>& out) : out_(out) {}
  void U8(uint8_t v) { out_.push_back(v); }
  void U16(uint16_t v) {
    U8(static_cast<uint8_t>(v >> 8));
    U8(static_cast<uint8_t>(v));
  }
  void U24(uint32_t v) {
    U8(static_cast<uint8_t>(v >> 16));
    U16(static_cast<uint16_t>(v));
  }
  void Bytes(const uint8_t* p, size_t n) { out_.insert(out_.end(), p, p + n); }
  void Str(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  void Random(Rng& rng, size_t n) {
    const size_t at = out_.size();
    out_.resize(at + n);
    rng.Fill(out_.data() + at, n);
  }
  // Opens a length field of `width` bytes; Close() writes the length of what followed.
  size_t Open(int width) {
    const size_t at = out_.size();
    out_.insert(out_.end(), static_cast<size_t>(width), 0);
    return at;
  }
  void Close(size_t at, int width) {
    size_t len = out_.size() - at - static_cast<size_t>(width);
    for (int i = width - 1; i >= 0; --i) {
      out_[at + static_cast<size_t>(i)] = static_cast<uint8_t>(len);
      len >>= 8;
    }
  }
  size_t size() const { return out_.size(); }

 private:
  std::vector<uint8_t>& out_;
};

// Record header + handshake header around body(); returns nothing, appends to out.
template <typename Body>
void HandshakeRecord(ByteWriter& w, uint8_t hs_type, uint16_t record_version, Body&& body) {
  w.U8(kHandshake);
  w.U16(record_version);
  const size_t rec = w.Open(2);
  w.U8(hs_type);
  const size_t hs = w.Open(3);
  body();
  w.Close(hs, 3);
  w.Close(rec, 2);
}

void OpaqueRecord(Rng& rng, ByteWriter& w, uint8_t type, size_t len) {
  w.U8(type);
  w.U16(0x0303);
  w.U16(static_cast<uint16_t>(len));
  w.Random(rng, len);
}

void Extension(ByteWriter& w, uint16_t type, std::initializer_list<uint16_t> u16_list, int list_len_width) {
  w.U16(type);
  const size_t ext = w.Open(2);
  const size_t list = w.Open(list_len_width);
  for (uint16_t v : u16_list) w.U16(v);
  w.Close(list, list_len_width);
  w.Close(ext, 2);
}

constexpr uint16_t kClientCiphers[] = {
    0x1301, 0x1302, 0x1303,                  // TLS 1.3 AES-128-GCM, AES-256-GCM, CHACHA20
    0xc02b, 0xc02f, 0xc02c, 0xc030,          // ECDHE-ECDSA/RSA AES-GCM
    0xcca9, 0xcca8,                          // ECDHE CHACHA20-POLY1305
    0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};

}  // namespace

TlsSessionSpec RandomTlsSession(Rng& rng, const std::string& sni) {
  TlsSessionSpec s;
  s.sni = sni;
  s.offer_tls13 = rng.Chance(0.85);
  s.tls13 = s.offer_tls13 && rng.Chance(0.8);
  s.alpn_h2 = rng.Chance(0.7);
  static constexpr uint16_t k13[] = {0x1301, 0x1302, 0x1303};
  static constexpr uint16_t k12[] = {0xc02f, 0xc030, 0xc02b, 0xcca8};
  s.cipher = s.tls13 ? rng.Pick(k13) : rng.Pick(k12);
  return s;
}

void WriteClientHello(Rng& rng, const TlsSessionSpec& s, std::vector<uint8_t>& out) {
  out.clear();
  ByteWriter w(out);
  HandshakeRecord(w, 1, 0x0301, [&] {
    w.U16(0x0303);     // legacy_version TLS 1.2
    w.Random(rng, 32);  // random
    w.U8(32);           // session id (middlebox compatibility mode)
    w.Random(rng, 32);
    const size_t cs = w.Open(2);
    for (uint16_t c : kClientCiphers) {
      if (!s.offer_tls13 && c >= 0x1301 && c <= 0x1303) continue;
      w.U16(c);
    }
    w.Close(cs, 2);
    w.U8(1);  // compression methods: null
    w.U8(0);
    const size_t exts = w.Open(2);
    // server_name
    w.U16(0x0000);
    const size_t sn = w.Open(2);
    const size_t sn_list = w.Open(2);
    w.U8(0);  // host_name
    const size_t host = w.Open(2);
    w.Str(s.sni);
    w.Close(host, 2);
    w.Close(sn_list, 2);
    w.Close(sn, 2);
    w.U16(0x0017);  // extended_master_secret
    w.U16(0);
    w.U16(0xff01);  // renegotiation_info
    w.U16(1);
    w.U8(0);
    Extension(w, 0x000a, {0x001d, 0x0017, 0x0018, 0x0019}, 2);  // supported_groups
    w.U16(0x000b);  // ec_point_formats: uncompressed
    w.U16(2);
    w.U8(1);
    w.U8(0);
    w.U16(0x0023);  // session_ticket
    w.U16(0);
    // ALPN
    w.U16(0x0010);
    const size_t alpn = w.Open(2);
    const size_t alpn_list = w.Open(2);
    if (s.alpn_h2) {
      w.U8(2);
      w.Str("h2");
    }
    w.U8(8);
    w.Str("http/1.1");
    w.Close(alpn_list, 2);
    w.Close(alpn, 2);
    w.U16(0x0005);  // status_request (OCSP)
    w.U16(5);
    w.U8(1);
    w.U16(0);
    w.U16(0);
    Extension(w, 0x000d, {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601}, 2);  // signature_algorithms
    if (s.offer_tls13) {
      // key_share: x25519
      w.U16(0x0033);
      const size_t ks = w.Open(2);
      const size_t ks_list = w.Open(2);
      w.U16(0x001d);
      w.U16(32);
      w.Random(rng, 32);
      w.Close(ks_list, 2);
      w.Close(ks, 2);
      w.U16(0x002d);  // psk_key_exchange_modes: psk_dhe_ke
      w.U16(2);
      w.U8(1);
      w.U8(1);
      Extension(w, 0x002b, {0x0304, 0x0303}, 1);  // supported_versions
    }
    w.Close(exts, 2);
  });
}

void WriteServerFirstFlight(Rng& rng, const TlsSessionSpec& s, int64_t now_s, std::vector<uint8_t>& out) {
  out.clear();
  ByteWriter w(out);
  HandshakeRecord(w, 2, 0x0303, [&] {
    w.U16(0x0303);
    w.Random(rng, 32);
    w.U8(32);  // echo of a session id: its bytes are not checked by decoders
    w.Random(rng, 32);
    w.U16(s.cipher);
    w.U8(0);
    const size_t exts = w.Open(2);
    if (s.tls13) {
      w.U16(0x002b);  // supported_versions: TLS 1.3
      w.U16(2);
      w.U16(0x0304);
      w.U16(0x0033);  // key_share x25519
      w.U16(36);
      w.U16(0x001d);
      w.U16(32);
      w.Random(rng, 32);
    } else {
      w.U16(0xff01);
      w.U16(1);
      w.U8(0);
      w.U16(0x0017);
      w.U16(0);
      w.U16(0x000b);
      w.U16(2);
      w.U8(1);
      w.U8(0);
      w.U16(0x0010);  // ALPN: http/1.1 chosen
      w.U16(11);
      w.U16(9);
      w.U8(8);
      w.Str("http/1.1");
    }
    w.Close(exts, 2);
  });
  if (s.tls13) {
    // Compatibility CCS, then EncryptedExtensions..Finished as one opaque record.
    w.U8(kChangeCipherSpec);
    w.U16(0x0303);
    w.U16(1);
    w.U8(1);
    OpaqueRecord(rng, w, kApplicationData, rng.Range(1800, 4200));
    return;
  }
  std::vector<uint8_t> cert;
  WriteSelfSignedCertificate(rng, s.sni, now_s, cert);
  HandshakeRecord(w, 11, 0x0303, [&] {
    w.U24(static_cast<uint32_t>(cert.size() + 3));
    w.U24(static_cast<uint32_t>(cert.size()));
    w.Bytes(cert.data(), cert.size());
  });
  HandshakeRecord(w, 12, 0x0303, [&] {  // ServerKeyExchange: ECDHE x25519, RSA-PSS signature
    w.U8(3);  // named_curve
    w.U16(0x001d);
    w.U8(32);
    w.Random(rng, 32);
    w.U16(0x0804);
    w.U16(256);
    w.Random(rng, 256);
  });
  HandshakeRecord(w, 14, 0x0303, [] {});  // ServerHelloDone
}

void WriteClientFinish(Rng& rng, const TlsSessionSpec& s, std::vector<uint8_t>& out) {
  out.clear();
  ByteWriter w(out);
  if (!s.tls13) {
    HandshakeRecord(w, 16, 0x0303, [&] {  // ClientKeyExchange
      w.U8(32);
      w.Random(rng, 32);
    });
  }
  w.U8(kChangeCipherSpec);
  w.U16(0x0303);
  w.U16(1);
  w.U8(1);
  if (s.tls13) {
    OpaqueRecord(rng, w, kApplicationData, 53);  // encrypted Finished
  } else {
    OpaqueRecord(rng, w, kHandshake, 40);  // encrypted Finished
  }
}

void WriteServerFinish(Rng& rng, const TlsSessionSpec& s, std::vector<uint8_t>& out) {
  out.clear();
  if (s.tls13) return;
  ByteWriter w(out);
  w.U8(kChangeCipherSpec);
  w.U16(0x0303);
  w.U16(1);
  w.U8(1);
  OpaqueRecord(rng, w, kHandshake, 40);
}

void WriteApplicationData(Rng& rng, size_t plaintext_len, std::vector<uint8_t>& out) {
  out.clear();
  ByteWriter w(out);
  do {
    const size_t n = plaintext_len < 16384 ? plaintext_len : 16384;
    OpaqueRecord(rng, w, kApplicationData, n + kAeadOverhead);
    plaintext_len -= n;
  } while (plaintext_len > 0);
}

void WriteCloseNotify(Rng& rng, const TlsSessionSpec& s, std::vector<uint8_t>& out) {
  out.clear();
  ByteWriter w(out);
  if (s.tls13) {
    OpaqueRecord(rng, w, kApplicationData, 19);
  } else {
    OpaqueRecord(rng, w, kAlert, 26);
  }
}

}  // namespace vigil::synth
