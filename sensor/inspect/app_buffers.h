// App-layer sticky buffers: which bytes of an HTTP transaction, a DNS message or a TLS session
// each BufferId (http.uri, dns.query, tls.sni, ...) inspects, as Suricata defines them.
//
// A transaction is inspected in stages as it fills in (request headers, request body, response
// headers, response body); each stage offers every buffer available so far. Header buffers that
// depend on direction (http.header, http.cookie, http.content_type, file.data...) take the
// request's for a to_server inspection and the response's for a to_client one. Buffers of absent
// headers are left out (a rule on them cannot match), as in Suricata.
//
//   BufferSet bufs;
//   HttpStatusText st;
//   AddHttpBuffers(tx, HttpStageOf(tx), /*to_server=*/true, st, bufs);
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "sensor/app/dns/dns_message.h"
#include "sensor/app/http/http_transaction.h"
#include "sensor/app/tls/tls_parser.h"
#include "sensor/detect/inspect_input.h"

namespace vigil::sensor {

// How far a transaction has come (each stage includes the earlier ones).
enum HttpStage : uint8_t {
  kHttpNothing = 0,
  kHttpRequestHeaders = 1,
  kHttpRequestDone = 2,
  kHttpResponseHeaders = 3,
  kHttpResponseDone = 4,
};
uint8_t HttpStageOf(const HttpTransaction& tx);

// Storage for http.stat_code text ("200"), which the transaction keeps as a number.
struct HttpStatusText {
  std::array<char, 8> text{};
  uint8_t len = 0;
};

void AddHttpBuffers(const HttpTransaction& tx, uint8_t stage, bool to_server,
                    HttpStatusText& status, BufferSet& out);

// dns.query for question `q` of a query message (responses add nothing: Suricata's dns.query
// inspects requests).
void AddDnsBuffers(const DnsMessage& m, size_t q, BufferSet& out);

// TLS stages: 1 ClientHello, 2 ServerHello, 3 server certificate, 4 client certificate.
uint8_t TlsStageOf(const TlsSession& s);
// Item views of the TLS multi-buffers (tls.alpn, tls.subjectaltname); reused between calls.
struct TlsItems {
  std::vector<std::span<const uint8_t>> alpn;
  std::vector<std::span<const uint8_t>> san;
};
// Direction-dependent buffers follow Suricata: tls.random* and tls.alpn are the client's for a
// to_server inspection and the server's for a to_client one; the certificate buffers are the
// client certificate's for a to_server inspection when the client sent one (mutual TLS), else
// the server certificate's.
void AddTlsBuffers(const TlsSession& s, bool to_server, TlsItems& items, BufferSet& out);

}  // namespace vigil::sensor
