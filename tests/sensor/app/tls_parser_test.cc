// TLS: record layer and handshake reassembly, hellos, JA3/JA3S/JA4, the first certificate,
// encryption tracking and anomalies.
#include "sensor/app/tls/tls_parser.h"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include "core/counters.h"
#include "sensor/app/tls/ja3.h"
#include "tests/sensor/app/app_test_util.h"
#include "tests/sensor/app/tls_test_util.h"

namespace vigil::sensor {
namespace {

using namespace testing;

struct TlsHarness {
  explicit TlsHarness(TlsConfig c = {}) : cfg(c) {
    counters = *RegisterAppCounters(registry);
    counters.block = registry.NewBlock("t");
    parser = std::make_unique<TlsParser>(cfg, &counters);
  }
  void C(std::string_view s, size_t mode = 0) {
    FeedSplit(s, mode, [&](std::string_view p) { parser->OnData(Direction::kToServer, Bytes(p)); });
  }
  void S(std::string_view s, size_t mode = 0) {
    FeedSplit(s, mode, [&](std::string_view p) { parser->OnData(Direction::kToClient, Bytes(p)); });
  }
  bool HasAnomaly(std::string_view name) const {
    for (const AppAnomaly& a : parser->anomalies().items()) {
      if (a.name == name) return true;
    }
    return false;
  }
  TlsConfig cfg;
  CounterRegistry registry;
  AppCounters counters;
  std::unique_ptr<TlsParser> parser;
};

std::string ModernClientHello() {
  std::string ext = Extension(0x1a1a, "") + SniExtension("www.example.org") +
                    U16ListExtension(10, {0x2a2a, 29, 23, 24}) +
                    Extension(11, std::string("\x01\x00", 2)) +
                    U16ListExtension(13, {0x0403, 0x0804, 0x0401}) +
                    AlpnExtension({"h2", "http/1.1"}) +
                    Extension(43, std::string("\x06\x3a\x3a\x03\x04\x03\x03", 7)) +
                    Extension(23, "") + Extension(65281, std::string("\x00", 1));
  return ClientHelloBody(0x0303, {0x0a0a, 0x1301, 0x1302, 0xc02b, 0xc02f}, ext);
}

TEST(Ja3, PublishedExampleHash) {
  ClientHello ch;
  uint32_t events = 0;
  ASSERT_TRUE(ParseClientHello(Bytes(Ja3ExampleClientHello()), ch, events));
  EXPECT_EQ(events, 0u);
  EXPECT_EQ(Ja3String(ch), "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0");
  EXPECT_EQ(Md5Hex(Ja3String(ch)), "ada70206e40642a3e4461f35503241d5");
}

TEST(Ja3, ModernHelloStringsAndJa4) {
  ClientHello ch;
  uint32_t events = 0;
  ASSERT_TRUE(ParseClientHello(Bytes(ModernClientHello()), ch, events));
  EXPECT_EQ(ch.sni, "www.example.org");
  EXPECT_EQ(ch.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_EQ(ch.supported_versions, (std::vector<uint16_t>{0x3a3a, 0x0304, 0x0303}));
  EXPECT_EQ(ch.signature_algorithms.size(), 3u);
  EXPECT_EQ(ch.session_id.size(), 32u);
  // By hand: GREASE left out of ciphers, extensions and groups.
  EXPECT_EQ(Ja3String(ch), "771,4865-4866-49195-49199,0-10-11-13-16-43-23-65281,29-23-24,0");
  EXPECT_EQ(Md5Hex(Ja3String(ch)), "9ac8a0483a2e25b1a1008ddca8f66e3f");
  // JA4: TLS 1.3 (supported_versions), SNI, 4 ciphers, 8 extensions, ALPN "h2".
  std::string b = Sha256Hex("1301,1302,c02b,c02f").substr(0, 12);
  std::string c = Sha256Hex("000a,000b,000d,0017,002b,ff01_0403,0804,0401").substr(0, 12);
  EXPECT_EQ(Ja4(ch), "t13d0408h2_" + b + "_" + c);
}

TEST(TlsParser, FullTls12HandshakeInAnySplit) {
  std::string cert = MakeTestCertificate();
  std::string sh_ext = Extension(65281, std::string("\x00", 1)) + Extension(11, std::string("\x01\x00", 2)) +
                       Extension(0x0a0a, "");
  std::string server_flight =
      Record(22, Handshake(2, ServerHelloBody(0x0303, 0xc02f, sh_ext)) +
                     Handshake(11, CertificateBody({cert, cert})) + Handshake(14, "")) +
      Record(20, std::string("\x01", 1)) + Record(22, std::string(40, '\x99')) +
      Record(23, std::string(100, '\x77'));
  // The ClientHello split across two records, as large hellos are.
  std::string hs = Handshake(1, ModernClientHello());
  std::string client_flight = Record(22, hs.substr(0, 50), 0x0301) + Record(22, hs.substr(50), 0x0301) +
                              Record(22, Handshake(16, std::string(33, '\x05'))) +
                              Record(20, std::string("\x01", 1)) + Record(22, std::string(40, '\x98'));
  std::string reference;
  for (size_t mode : {size_t{0}, size_t{1}, size_t{3}, size_t{64}}) {
    TlsHarness h;
    h.C(client_flight, mode);
    EXPECT_FALSE(h.parser->TakeLogReady());
    h.S(server_flight, mode);
    const TlsSession& s = h.parser->session();
    ASSERT_TRUE(s.client_hello_seen) << mode;
    ASSERT_TRUE(s.server_hello_seen) << mode;
    ASSERT_TRUE(s.certificate_seen) << mode;
    EXPECT_EQ(s.ja3_hash, "9ac8a0483a2e25b1a1008ddca8f66e3f");
    EXPECT_EQ(s.ja3s_string, "771,49199,65281-11");
    EXPECT_EQ(s.ja3s_hash, Md5Hex("771,49199,65281-11"));
    EXPECT_EQ(s.version_name, "TLS 1.2");
    EXPECT_EQ(s.cert_chain_length, 2u);
    EXPECT_EQ(s.cert.subject, "C=US, O=Example, CN=example.com");
    EXPECT_EQ(s.cert.issuer, "C=US, O=Example CA, CN=Example Root");
    EXPECT_EQ(s.cert.serial, "00:8A:0B:0C");
    EXPECT_EQ(s.cert.not_before, "2024-01-15T09:40:59");
    EXPECT_EQ(s.cert.not_after, "2034-01-15T09:40:59");
    std::string sha1;
    {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned n = 0;
      EVP_Digest(cert.data(), cert.size(), md, &n, EVP_sha1(), nullptr);
      char buf[4];
      for (unsigned i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof(buf), i ? ":%02x" : "%02x", md[i]);
        sha1 += buf;
      }
    }
    EXPECT_EQ(s.cert.fingerprint, sha1);
    EXPECT_EQ(s.cert.fingerprint.size(), 59u);
    EXPECT_TRUE(s.encrypted[0]);
    EXPECT_TRUE(s.encrypted[1]);
    EXPECT_TRUE(h.parser->TakeLogReady());
    EXPECT_FALSE(h.parser->TakeLogReady());  // once per flow
    EXPECT_TRUE(h.parser->anomalies().empty()) << h.parser->anomalies().items()[0].name;
    EXPECT_EQ(h.registry.Total("app.tls.client_hellos"), 1u);
    EXPECT_EQ(h.registry.Total("app.tls.certificates"), 1u);
    // Encrypted records after CCS: 40-byte Finished each side, plus 100 bytes of app data.
    EXPECT_EQ(h.registry.Total("app.tls.encrypted_records"), 3u);
    EXPECT_EQ(h.registry.Total("app.tls.encrypted_bytes"), 180u);

    TlsInfo info;
    FillTlsInfo(s, info);
    EXPECT_EQ(info.sni, "www.example.org");
    EXPECT_EQ(info.version, "TLS 1.2");
    EXPECT_EQ(info.subject, "C=US, O=Example, CN=example.com");
    ASSERT_TRUE(info.ja3);
    EXPECT_EQ(info.ja3->string, s.ja3_string);
    ASSERT_TRUE(info.ja3s);
    std::string summary = s.ja3_string + s.ja3s_string + s.ja4 + s.cert.subject + s.cert.serial;
    if (mode == 0) {
      reference = summary;
    } else {
      EXPECT_EQ(summary, reference) << mode;
    }
  }
}

TEST(TlsParser, Tls13ServerHelloUsesSupportedVersions) {
  TlsHarness h;
  h.C(Record(22, Handshake(1, ModernClientHello()), 0x0301));
  std::string ext = Extension(43, std::string("\x03\x04", 2)) + Extension(51, std::string(36, '\x01'));
  h.S(Record(22, Handshake(2, ServerHelloBody(0x0303, 0x1301, ext))) +
      Record(20, std::string("\x01", 1)) + Record(23, std::string(500, '\x55')));
  EXPECT_EQ(h.parser->session().version, 0x0304);
  EXPECT_EQ(h.parser->session().version_name, "TLS 1.3");
  EXPECT_EQ(h.parser->session().ja3s_string, "771,4865,43-51");
  EXPECT_TRUE(h.parser->TakeLogReady());
}

TEST(TlsParser, RecordLayerAnomaliesStopTheDirection) {
  {
    TlsHarness h;
    h.C(Record(22, Handshake(1, ModernClientHello())) + Record(30, "xx"));
    EXPECT_TRUE(h.HasAnomaly("tls.invalid_record_type"));
    EXPECT_TRUE(h.parser->abandoned(Direction::kToServer));
    EXPECT_TRUE(h.parser->session().client_hello_seen);
    EXPECT_EQ(h.registry.Total("app.tls.abandoned"), 1u);
  }
  {
    TlsHarness h;
    h.C(Record(22, "abcd", 0x0203));
    EXPECT_TRUE(h.HasAnomaly("tls.invalid_record_version"));
  }
  {
    TlsHarness h;
    testing::TlsBytes t;
    t.U8(23); t.U16(0x0303); t.U16(30000);
    h.S(t.b);
    EXPECT_TRUE(h.HasAnomaly("tls.invalid_record_length"));
  }
  {
    TlsHarness h;
    h.C(std::string("\x80\x2e\x01\x00\x02", 5));  // SSLv2 ClientHello header
    EXPECT_TRUE(h.HasAnomaly("tls.invalid_tls_header"));
  }
  {
    TlsHarness h;
    h.C(Record(22, Handshake(1, ModernClientHello())));
    h.parser->OnGap(Direction::kToServer, 100);
    EXPECT_TRUE(h.parser->abandoned(Direction::kToServer));
    EXPECT_FALSE(h.parser->abandoned(Direction::kToClient));
  }
}

TEST(TlsParser, AlertsHeartbeatsAndHandshakeAnomalies) {
  TlsHarness h;
  h.C(Record(22, Handshake(1, ClientHelloBody(0x0303, {0x1301},
                                              SniExtension("a.example") + SniExtension("b.example") +
                                                  SniExtension("x", 7)))));
  h.C(Record(24, std::string("\x01\x40\x00", 3)));
  h.C(Record(22, Handshake(99, "zz")));
  h.S(Record(22, Handshake(1, ModernClientHello())));  // a ClientHello from the server
  h.S(Record(21, std::string("\x02\x28", 2)));         // fatal handshake_failure
  EXPECT_TRUE(h.HasAnomaly("tls.multiple_sni_extensions"));
  EXPECT_TRUE(h.HasAnomaly("tls.heartbeat_message"));
  EXPECT_TRUE(h.HasAnomaly("tls.invalid_handshake_message"));
  EXPECT_TRUE(h.HasAnomaly("tls.error_message_encountered"));
  EXPECT_EQ(h.parser->session().client_hello.sni, "a.example");
  EXPECT_GE(h.registry.Total("app.tls.anomalies"), 4u);

  TlsHarness h2;
  h2.C(Record(22, Handshake(1, ClientHelloBody(0x0303, {0x1301}, SniExtension("x", 7)))));
  EXPECT_TRUE(h2.HasAnomaly("tls.invalid_sni_type"));

  TlsHarness h3;  // extensions length runs past the message
  std::string body = ClientHelloBody(0x0303, {0x1301}, SniExtension("a.example"));
  body[body.size() - SniExtension("a.example").size() - 1] += 5;
  h3.C(Record(22, Handshake(1, body)));
  EXPECT_TRUE(h3.HasAnomaly("tls.handshake_invalid_length"));
}

TEST(X509Certificate, WalkAndFullValidationAgree) {
  std::string der = MakeTestCertificate();
  CertificateFields fast, full;
  ASSERT_TRUE(DecodeCertificate(Bytes(der), fast, false));
  ASSERT_TRUE(DecodeCertificate(Bytes(der), full, true));
  EXPECT_EQ(fast.subject, full.subject);
  EXPECT_EQ(fast.issuer, full.issuer);
  EXPECT_EQ(fast.serial, "00:8A:0B:0C");
  EXPECT_EQ(fast.serial, full.serial);
  EXPECT_EQ(fast.not_before, full.not_before);
  EXPECT_EQ(fast.not_after, "2034-01-15T09:40:59");
  EXPECT_EQ(fast.fingerprint, full.fingerprint);
  // Every truncation and trailing garbage is rejected by both.
  for (size_t cut : {size_t{1}, size_t{10}, der.size() / 2, der.size() - 1}) {
    EXPECT_FALSE(DecodeCertificate(Bytes(std::string_view(der).substr(0, cut)), fast, false)) << cut;
    EXPECT_FALSE(DecodeCertificate(Bytes(std::string_view(der).substr(0, cut)), full, true)) << cut;
  }
  EXPECT_FALSE(DecodeCertificate(Bytes(der + "x"), fast, false));
  EXPECT_FALSE(DecodeCertificate(Bytes(der + "x"), full, true));
}

TEST(TlsParser, CertificateAnomalies) {
  TlsHarness h;
  h.S(Record(22, Handshake(11, CertificateBody({std::string(100, '\x30')}))));
  EXPECT_TRUE(h.HasAnomaly("tls.certificate_invalid_der"));
  TlsHarness h2;
  std::string body = CertificateBody({MakeTestCertificate()});
  body[2] += 1;  // list length disagrees with the message
  h2.S(Record(22, Handshake(11, body)));
  EXPECT_TRUE(h2.HasAnomaly("tls.certificate_invalid_length"));
}

TEST(TlsParser, OversizeHandshakeIsSkippedAndParsingGoesOn) {
  TlsConfig cfg;
  cfg.max_handshake_size = 2048;
  TlsHarness h(cfg);
  std::string big = Handshake(11, std::string(6000, '\x01'));
  std::string stream;
  for (size_t i = 0; i < big.size(); i += 1000) stream += Record(22, big.substr(i, 1000));
  stream += Record(22, Handshake(2, ServerHelloBody(0x0303, 0xc02f, "")));
  h.S(stream, 7);
  EXPECT_EQ(h.registry.Total("app.tls.handshake_too_large"), 1u);
  EXPECT_TRUE(h.parser->session().server_hello_seen);
  EXPECT_FALSE(h.parser->session().certificate_seen);
}

// A certificate with subjectAltName (two dNSNames around an IP address) and a NUL inside the
// subject's O value.
std::string CertificateWithSanAndNul() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  ASN1_TIME_set_string(X509_getm_notBefore(x), "20240115094059Z");
  ASN1_TIME_set_string(X509_getm_notAfter(x), "20340115094059Z");
  X509_NAME* subj = X509_get_subject_name(x);
  const std::string org("Corporat\0on", 11);
  X509_NAME_add_entry_by_txt(subj, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(org.data()),
                             static_cast<int>(org.size()), -1, 0);
  X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("a.example"), -1, -1, 0);
  X509_set_issuer_name(x, subj);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name,
                                            "DNS:a.example,IP:192.0.2.1,DNS:b.example");
  X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
  return SignAndFree(x, key);
}

TEST(X509Certificate, SubjectAltNamesAndEmbeddedNul) {
  CertificateFields f;
  ASSERT_TRUE(DecodeCertificate(Bytes(CertificateWithSanAndNul()), f));
  EXPECT_EQ(f.subject, std::string("O=Corporat\0on, CN=a.example", 27));
  ASSERT_EQ(f.subject_alt_names.size(), 2u);  // the IP address is not a dNSName
  EXPECT_EQ(f.subject_alt_names[0], "a.example");
  EXPECT_EQ(f.subject_alt_names[1], "b.example");
  // Without the extension: no names.
  ASSERT_TRUE(DecodeCertificate(Bytes(MakeTestCertificate()), f));
  EXPECT_TRUE(f.subject_alt_names.empty());
}

TEST(TlsParser, ClientCertificateKeptApartFromTheServers) {
  TlsHarness h;
  h.C(Record(22, Handshake(1, ModernClientHello())));
  h.S(Record(22, Handshake(2, ServerHelloBody(0x0303, 0xc02f, "")) +
                     Handshake(11, CertificateBody({MakeTestCertificate()}))));
  // A client without a certificate answers with an empty list: nothing recorded.
  h.C(Record(22, Handshake(11, CertificateBody({}))));
  EXPECT_FALSE(h.parser->session().client_certificate_seen);
  h.C(Record(22, Handshake(11, CertificateBody({CertificateWithSanAndNul()}))));
  const TlsSession& s = h.parser->session();
  ASSERT_TRUE(s.client_certificate_seen);
  EXPECT_EQ(s.client_cert.subject_alt_names.size(), 2u);
  EXPECT_EQ(s.cert.subject, "C=US, O=Example, CN=example.com");
  EXPECT_EQ(s.cert_chain_length, 1u);
}

TEST(TlsParser, ResetForReuse) {
  TlsHarness h;
  h.C(Record(22, Handshake(1, ModernClientHello())) + Record(99, "x"));
  h.parser->Reset();
  EXPECT_FALSE(h.parser->session().client_hello_seen);
  EXPECT_FALSE(h.parser->abandoned(Direction::kToServer));
  h.C(Record(22, Handshake(1, Ja3ExampleClientHello())));
  EXPECT_EQ(h.parser->session().ja3_hash, "ada70206e40642a3e4461f35503241d5");
}

}  // namespace
}  // namespace vigil::sensor
