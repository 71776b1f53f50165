// Builders of TLS records, hellos and certificates for the TLS tests, benchmarks and seeds.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::sensor::testing {

struct TlsBytes {
  std::string b;
  void U8(unsigned v) { b.push_back(static_cast<char>(v & 0xff)); }
  void U16(unsigned v) { U8(v >> 8); U8(v); }
  void U24(size_t v) { U8(static_cast<unsigned>(v >> 16)); U8(static_cast<unsigned>(v >> 8)); U8(static_cast<unsigned>(v)); }
  void Raw(const std::string& s) { b += s; }
  void Vec8(const std::string& s) { U8(static_cast<unsigned>(s.size())); b += s; }
  void Vec16(const std::string& s) { U16(static_cast<unsigned>(s.size())); b += s; }
};

inline std::string U16List(const std::vector<unsigned>& v) {
  TlsBytes t;
  for (unsigned x : v) t.U16(x);
  return t.b;
}

inline std::string Extension(unsigned type, const std::string& data) {
  TlsBytes t;
  t.U16(type);
  t.Vec16(data);
  return t.b;
}

// An extension whose data is a 16-bit-length list of 16-bit values (supported_groups, sigalgs).
inline std::string U16ListExtension(unsigned type, const std::vector<unsigned>& v) {
  TlsBytes t;
  t.Vec16(U16List(v));
  return Extension(type, t.b);
}

inline std::string SniExtension(const std::string& host, unsigned name_type = 0) {
  TlsBytes entry;
  entry.U8(name_type);
  entry.Vec16(host);
  TlsBytes list;
  list.Vec16(entry.b);
  return Extension(0, list.b);
}

inline std::string AlpnExtension(const std::vector<std::string>& protos) {
  TlsBytes l;
  for (auto& p : protos) l.Vec8(p);
  TlsBytes v;
  v.Vec16(l.b);
  return Extension(16, v.b);
}

// Handshake message: type, 24-bit length, body.
inline std::string Handshake(unsigned type, const std::string& body) {
  TlsBytes t;
  t.U8(type);
  t.U24(body.size());
  t.Raw(body);
  return t.b;
}

// One record (content type, version 0x0301/0x0303, payload).
inline std::string Record(unsigned type, const std::string& payload, unsigned version = 0x0303) {
  TlsBytes t;
  t.U8(type);
  t.U16(version);
  t.U16(static_cast<unsigned>(payload.size()));
  t.Raw(payload);
  return t.b;
}

inline std::string ClientHelloBody(unsigned version, const std::vector<unsigned>& ciphers,
                                   const std::string& extensions, bool with_extensions = true) {
  TlsBytes t;
  t.U16(version);
  t.Raw(std::string(32, '\x11'));
  t.Vec8(std::string(32, '\x22'));
  t.Vec16(U16List(ciphers));
  t.Vec8(std::string(1, '\0'));
  if (with_extensions) t.Vec16(extensions);
  return t.b;
}

inline std::string ServerHelloBody(unsigned version, unsigned cipher, const std::string& extensions) {
  TlsBytes t;
  t.U16(version);
  t.Raw(std::string(32, '\x33'));
  t.Vec8(std::string(32, '\x44'));
  t.U16(cipher);
  t.U8(0);
  t.Vec16(extensions);
  return t.b;
}

// The ClientHello of the JA3 README's example ("769,47-53-5-10-49161-49162-49171-49172-50-56-
// 19-4,0-10-11,23-24-25,0"), with GREASE values added that JA3 must ignore.
inline std::string Ja3ExampleClientHello() {
  std::string ext = SniExtension("example.com") +
                    Extension(0x0a0a, "") +                                   // GREASE extension
                    U16ListExtension(10, {0x1a1a, 23, 24, 25}) +
                    Extension(11, std::string("\x01\x00", 2));
  return ClientHelloBody(0x0301, {0x2a2a, 47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4},
                         ext);
}

// Certificate message body for a chain of DER certificates.
inline std::string CertificateBody(const std::vector<std::string>& ders) {
  TlsBytes list;
  for (auto& d : ders) {
    list.U24(d.size());
    list.Raw(d);
  }
  TlsBytes t;
  t.U24(list.b.size());
  t.Raw(list.b);
  return t.b;
}

// Signs `x` with `key`, returns its DER and frees both.
inline std::string SignAndFree(X509* x, EVP_PKEY* key) {
  X509_set_pubkey(x, key);
  X509_sign(x, key, EVP_sha256());
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

// A self-made certificate: subject C=US, O=Example, CN=example.com; issuer C=US, O=Example CA,
// CN=Example Root; serial 0x8A0B0C; valid 2024-01-15T09:40:59 .. 2034-01-15T09:40:59. DER.
inline std::string MakeTestCertificate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER* serial = ASN1_INTEGER_new();
  ASN1_INTEGER_set(serial, 0x8A0B0C);
  X509_set_serialNumber(x, serial);
  ASN1_INTEGER_free(serial);
  ASN1_TIME_set_string(X509_getm_notBefore(x), "20240115094059Z");
  ASN1_TIME_set_string(X509_getm_notAfter(x), "20340115094059Z");
  X509_NAME* subj = X509_get_subject_name(x);
  auto add = [](X509_NAME* n, const char* f, const char* v) {
    X509_NAME_add_entry_by_txt(n, f, MBSTRING_ASC, reinterpret_cast<const unsigned char*>(v), -1, -1, 0);
  };
  add(subj, "C", "US");
  add(subj, "O", "Example");
  add(subj, "CN", "example.com");
  X509_NAME* iss = X509_NAME_new();
  add(iss, "C", "US");
  add(iss, "O", "Example CA");
  add(iss, "CN", "Example Root");
  X509_set_issuer_name(x, iss);
  X509_NAME_free(iss);
  return SignAndFree(x, key);
}

}  // namespace vigil::sensor::testing
