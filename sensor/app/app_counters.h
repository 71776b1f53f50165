// AppCounters: the app-layer stage's named counters ("app.*") and one counter per anomaly name
// ("http.*", "dns.*", "tls.*"), plus the worker's block to bump.
//
// Registered once at setup; each worker then sets `block` to its own CounterBlock and hands a
// pointer to the parsers it creates. A null pointer, or a null block, disables counting (tests).
//
//   VIGIL_TRY(AppCounters ac, RegisterAppCounters(registry));
//   ac.block = registry.NewBlock("worker-0");
//   HttpParser http(cfg.http, &ac);
#pragma once

#include <cstdint>
#include <iterator>

#include "core/counters.h"
#include "core/result.h"
#include "sensor/app/dns/dns_event.h"
#include "sensor/app/http/http_event.h"
#include "sensor/app/tls/tls_event.h"

namespace vigil::sensor {

// Index into kAppCounterDefs; keep the two in the same order.
enum class AppCounter : uint32_t {
  kDetectHttp,
  kDetectTls,
  kDetectDns,
  kDetectFailed,
  kDetectGap,
  kHttpTx,
  kHttpAnomalies,
  kHttpRequestBodyTruncated,
  kHttpResponseBodyTruncated,
  kHttpDecompressedBytes,
  kHttpCompressionBombs,
  kHttpTxQueueFull,
  kHttpGaps,
  kHttpIgnoredBytes,
  kDnsQueries,
  kDnsAnswers,
  kDnsMalformed,
  kDnsAnomalies,
  kDnsQueueFull,
  kDnsTcpGaps,
  kTlsClientHellos,
  kTlsServerHellos,
  kTlsCertificates,
  kTlsAnomalies,
  kTlsEncryptedRecords,
  kTlsEncryptedBytes,
  kTlsAbandoned,
  kTlsHandshakeTooLarge,
  kAnomaliesDropped,
  kCount,
};

inline constexpr CounterDef kAppCounterDefs[] = {
    {"app.detect.http", "flows detected as HTTP"},
    {"app.detect.tls", "flows detected as TLS"},
    {"app.detect.dns", "flows detected as DNS (TCP; UDP datagrams that parse as DNS)"},
    {"app.detect.failed", "flows where detection gave up (max_detect_bytes reached, end of stream, or no match)"},
    {"app.detect.gap", "flows where a gap arrived before detection decided (detection failed)"},
    {"app.http.tx", "HTTP transactions handed to the consumer"},
    {"app.http.anomalies", "HTTP anomalies recorded (all http.* events)"},
    {"app.http.request_body_truncated", "request bodies longer than request_body_limit (rest not kept)"},
    {"app.http.response_body_truncated", "response bodies longer than response_body_limit (rest not kept)"},
    {"app.http.decompressed_bytes", "response body bytes produced by gzip/deflate decompression"},
    {"app.http.compression_bombs", "response bodies whose decompression hit the ratio or size cap"},
    {"app.http.tx_queue_full", "flows whose transaction queue filled (requests no longer parsed)"},
    {"app.http.gaps", "gaps in HTTP streams (body bytes lost, or parser resynchronised)"},
    {"app.http.ignored_bytes", "HTTP bytes not parsed (after a protocol switch, queue full, HTTP/0.9)"},
    {"app.dns.queries", "DNS query messages parsed (QR=0)"},
    {"app.dns.answers", "DNS response messages parsed (QR=1)"},
    {"app.dns.malformed", "DNS messages that failed to parse"},
    {"app.dns.anomalies", "DNS anomalies recorded (all dns.* events)"},
    {"app.dns.queue_full", "DNS messages dropped: the flow's message queue was full"},
    {"app.dns.tcp_gaps", "gaps in DNS-over-TCP streams (framing lost, direction abandoned)"},
    {"app.tls.client_hellos", "TLS ClientHello messages parsed"},
    {"app.tls.server_hellos", "TLS ServerHello messages parsed"},
    {"app.tls.certificates", "TLS server certificates decoded"},
    {"app.tls.anomalies", "TLS anomalies recorded (all tls.* events)"},
    {"app.tls.encrypted_records", "TLS records after ChangeCipherSpec / application data (not parsed)"},
    {"app.tls.encrypted_bytes", "bytes in those records"},
    {"app.tls.abandoned", "TLS directions whose parsing stopped (invalid record, gap)"},
    {"app.tls.handshake_too_large", "handshake messages over max_handshake_size (skipped)"},
    {"app.anomalies_dropped", "anomalies counted but not kept: the flow's anomaly log was full"},
};
static_assert(std::size(kAppCounterDefs) == static_cast<size_t>(AppCounter::kCount));

struct AppCounters {
  CounterGroup app;
  CounterGroup http_events;
  CounterGroup dns_events;
  CounterGroup tls_events;
  CounterBlock* block = nullptr;  // the worker's block; null = counting disabled

  void Add(AppCounter c, uint64_t n = 1) const {
    if (block != nullptr) block->Add(app[static_cast<uint32_t>(c)], n);
  }
  void Add(HttpEvent e) const {
    if (block != nullptr) block->Add(http_events[static_cast<uint32_t>(e)]);
  }
  void Add(DnsEvent e) const {
    if (block != nullptr) block->Add(dns_events[static_cast<uint32_t>(e)]);
  }
  void Add(TlsEvent e) const {
    if (block != nullptr) block->Add(tls_events[static_cast<uint32_t>(e)]);
  }
};

// Registers every app.*, http.*, dns.* and tls.* counter. Call once, before NewBlock().
[[nodiscard]] Result<AppCounters> RegisterAppCounters(CounterRegistry& registry);

// Null-safe helper used by the parsers: counters may be absent.
inline void Count(const AppCounters* c, AppCounter which, uint64_t n = 1) {
  if (c != nullptr) c->Add(which, n);
}

}  // namespace vigil::sensor
