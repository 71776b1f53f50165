#include "sensor/inspect/app_buffers.h"

#include <charconv>
#include <string_view>

namespace vigil::sensor {

namespace {

void SetIfPresent(BufferSet& out, BufferId id, std::string_view v) {
  if (!v.empty()) out.Set(id, v);
}

std::string_view HeaderValue(const HttpHeader* h) {
  return h != nullptr ? std::string_view(h->value) : std::string_view();
}

}  // namespace

uint8_t HttpStageOf(const HttpTransaction& tx) {
  if (tx.response_done) return kHttpResponseDone;
  if (!tx.response_start.empty()) return kHttpResponseHeaders;
  if (tx.request_done) return kHttpRequestDone;
  if (!tx.request_start.empty()) return kHttpRequestHeaders;
  return kHttpNothing;
}

void AddHttpBuffers(const HttpTransaction& tx, uint8_t stage, bool to_server,
                    HttpStatusText& status, BufferSet& out) {
  if (stage == kHttpNothing) return;
  if (tx.request_started) {
    out.Set(BufferId::kHttpMethod, tx.method);
    out.Set(BufferId::kHttpUri, tx.uri);
    out.Set(BufferId::kHttpUriRaw, tx.uri_raw);
    out.Set(BufferId::kHttpRequestLine, tx.request_line);
    SetIfPresent(out, BufferId::kHttpHost, tx.host);
    SetIfPresent(out, BufferId::kHttpHostRaw, tx.host_raw);
    SetIfPresent(out, BufferId::kHttpUserAgent, tx.user_agent);
    SetIfPresent(out, BufferId::kHttpReferer, tx.referer);
    SetIfPresent(out, BufferId::kHttpAccept, HeaderValue(tx.FindRequestHeader("Accept")));
    SetIfPresent(out, BufferId::kHttpAcceptLang,
                 HeaderValue(tx.FindRequestHeader("Accept-Language")));
    SetIfPresent(out, BufferId::kHttpAcceptEnc,
                 HeaderValue(tx.FindRequestHeader("Accept-Encoding")));
  }
  if (stage >= kHttpRequestDone) SetIfPresent(out, BufferId::kHttpRequestBody, tx.request_body);
  if (stage >= kHttpResponseHeaders && tx.response_started) {
    out.Set(BufferId::kHttpResponseLine, tx.response_line);
    SetIfPresent(out, BufferId::kHttpStatMsg, tx.status_message);
    if (tx.status_code) {
      auto r = std::to_chars(status.text.data(), status.text.data() + status.text.size(),
                             *tx.status_code);
      status.len = static_cast<uint8_t>(r.ptr - status.text.data());
      out.Set(BufferId::kHttpStatCode, std::string_view(status.text.data(), status.len));
    }
    SetIfPresent(out, BufferId::kHttpServer, tx.server);
    SetIfPresent(out, BufferId::kHttpLocation, tx.location);
  }
  if (stage >= kHttpResponseDone) SetIfPresent(out, BufferId::kHttpResponseBody, tx.response_body);
  // Direction-dependent buffers.
  if (to_server) {
    SetIfPresent(out, BufferId::kHttpProtocol, tx.protocol);
    SetIfPresent(out, BufferId::kHttpHeader, tx.request_header);
    SetIfPresent(out, BufferId::kHttpHeaderRaw, tx.request_header_raw);
    SetIfPresent(out, BufferId::kHttpHeaderNames, tx.request_header_names);
    SetIfPresent(out, BufferId::kHttpStart, tx.request_start);
    SetIfPresent(out, BufferId::kHttpCookie, tx.cookie);
    SetIfPresent(out, BufferId::kHttpContentType, tx.request_content_type);
    SetIfPresent(out, BufferId::kHttpContentLen,
                 HeaderValue(tx.FindRequestHeader("Content-Length")));
    SetIfPresent(out, BufferId::kHttpConnection, HeaderValue(tx.FindRequestHeader("Connection")));
    if (stage >= kHttpRequestDone) SetIfPresent(out, BufferId::kFileData, tx.request_body);
  } else if (stage >= kHttpResponseHeaders) {
    SetIfPresent(out, BufferId::kHttpProtocol, tx.response_protocol);
    SetIfPresent(out, BufferId::kHttpHeader, tx.response_header);
    SetIfPresent(out, BufferId::kHttpHeaderRaw, tx.response_header_raw);
    SetIfPresent(out, BufferId::kHttpHeaderNames, tx.response_header_names);
    SetIfPresent(out, BufferId::kHttpStart, tx.response_start);
    SetIfPresent(out, BufferId::kHttpCookie, tx.set_cookie);
    SetIfPresent(out, BufferId::kHttpContentType, tx.response_content_type);
    SetIfPresent(out, BufferId::kHttpContentLen,
                 HeaderValue(tx.FindResponseHeader("Content-Length")));
    SetIfPresent(out, BufferId::kHttpConnection,
                 HeaderValue(tx.FindResponseHeader("Connection")));
    if (stage >= kHttpResponseDone) SetIfPresent(out, BufferId::kFileData, tx.response_body);
  }
}

void AddDnsBuffers(const DnsMessage& m, size_t q, BufferSet& out) {
  if (m.is_response() || q >= m.questions.size()) return;
  out.Set(BufferId::kDnsQuery, m.questions[q].name);
}

uint8_t TlsStageOf(const TlsSession& s) {
  if (s.client_certificate_seen) return 4;
  if (s.certificate_seen) return 3;
  if (s.server_hello_seen) return 2;
  if (s.client_hello_seen) return 1;
  return 0;
}

namespace {

std::span<const uint8_t> Bytes(std::string_view v) {
  return {reinterpret_cast<const uint8_t*>(v.data()), v.size()};
}

void SetStrings(BufferSet& out, BufferId id, const std::vector<std::string>& values,
                std::vector<std::span<const uint8_t>>& views) {
  views.clear();
  for (const std::string& v : values) views.push_back(Bytes(v));
  out.SetMulti(id, views);
}

void SetRandom(BufferSet& out, const std::array<uint8_t, 32>& r) {
  const std::span<const uint8_t> all(r.data(), r.size());
  out.Set(BufferId::kTlsRandom, all);
  out.Set(BufferId::kTlsRandomTime, all.first(4));
  out.Set(BufferId::kTlsRandomBytes, all.subspan(4));
}

void SetCertificate(BufferSet& out, const CertificateFields& c) {
  SetIfPresent(out, BufferId::kTlsCertSubject, c.subject);
  SetIfPresent(out, BufferId::kTlsCertIssuer, c.issuer);
  SetIfPresent(out, BufferId::kTlsCertSerial, c.serial);
  SetIfPresent(out, BufferId::kTlsCertFingerprint, c.fingerprint);
}

}  // namespace

void AddTlsBuffers(const TlsSession& s, bool to_server, TlsItems& items, BufferSet& out) {
  if (s.client_hello_seen) {
    SetIfPresent(out, BufferId::kTlsSni, s.client_hello.sni);
    SetIfPresent(out, BufferId::kJa3Hash, s.ja3_hash);
    SetIfPresent(out, BufferId::kJa3String, s.ja3_string);
    SetIfPresent(out, BufferId::kJa4Hash, s.ja4);
    if (to_server) {
      SetRandom(out, s.client_hello.random);
      SetStrings(out, BufferId::kTlsAlpn, s.client_hello.alpn, items.alpn);
    }
  }
  if (s.server_hello_seen) {
    SetIfPresent(out, BufferId::kJa3sHash, s.ja3s_hash);
    SetIfPresent(out, BufferId::kJa3sString, s.ja3s_string);
    if (!to_server) {
      SetRandom(out, s.server_hello.random);
      items.alpn.clear();
      if (!s.server_hello.alpn.empty()) items.alpn.push_back(Bytes(s.server_hello.alpn));
      out.SetMulti(BufferId::kTlsAlpn, items.alpn);
    }
  }
  if (to_server && s.client_certificate_seen) {
    SetCertificate(out, s.client_cert);
  } else if (s.certificate_seen) {
    SetCertificate(out, s.cert);
    SetStrings(out, BufferId::kTlsSubjectAltName, s.cert.subject_alt_names, items.san);
  }
}

}  // namespace vigil::sensor
