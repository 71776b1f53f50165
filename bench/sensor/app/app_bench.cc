// Throughput of the app-layer parsers on synthetic flows fed in MSS-sized chunks, as TCP
// reassembly delivers them: HTTP keep-alive (plain and gzip bodies), DNS over UDP and TCP, TLS
// handshakes (hellos, JA3/JA4, certificate decoding) and encrypted records, and detection.
// Reports bytes/s (MB/s) and items/s (transactions, messages or handshakes).
//
//   build-<x>/bin/app_bench --benchmark_min_time=1s
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "sensor/app/dns/dns_parser.h"
#include "sensor/app/http/http_parser.h"
#include "sensor/app/proto_detect.h"
#include "sensor/app/tls/tls_parser.h"
#include "tests/sensor/app/app_test_util.h"
#include "tests/sensor/app/tls_test_util.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;
using vigil::sensor::testing::Bytes;

constexpr size_t kMss = 1448;

void FeedChunks(AppParser& p, Direction d, const std::string& s) {
  for (size_t i = 0; i < s.size(); i += kMss) {
    p.OnData(d, Bytes(std::string_view(s).substr(i, kMss)));
  }
}

struct HttpFlow {
  std::string req, resp;
  size_t txs = 0;
};

HttpFlow MakeHttpFlow(size_t txs, size_t body, bool gzip) {
  HttpFlow f;
  f.txs = txs;
  std::string page;
  for (size_t i = 0; page.size() < body; ++i) page += "<p>item " + std::to_string(i * 31 % 977) + " of the page</p>\n";
  page.resize(body);
  std::string payload = gzip ? testing::Compress(page, 31, 6) : page;
  for (size_t i = 0; i < txs; ++i) {
    f.req += "GET /static/js/app." + std::to_string(i) + ".js?v=3&x=%41%42 HTTP/1.1\r\n"
             "Host: www.example.com\r\n"
             "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
             "Accept: */*\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n"
             "Referer: https://www.example.com/index.html\r\nCookie: session=abcdef0123456789\r\n"
             "Connection: keep-alive\r\n\r\n";
    f.resp += "HTTP/1.1 200 OK\r\nServer: nginx/1.24\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
              "Content-Type: application/javascript\r\nContent-Length: " +
              std::to_string(payload.size()) + "\r\n" + (gzip ? "Content-Encoding: gzip\r\n" : "") +
              "Cache-Control: max-age=3600\r\nConnection: keep-alive\r\n\r\n" + payload;
  }
  return f;
}

void RunHttp(benchmark::State& state, bool gzip) {
  HttpFlow f = MakeHttpFlow(100, static_cast<size_t>(state.range(0)), gzip);
  HttpConfig cfg;
  HttpParser p(cfg, nullptr);
  size_t txs = 0;
  for (auto _ : state) {
    // Requests and responses alternate in windows, as a keep-alive flow would.
    size_t rq = 0, rs = 0;
    while (rq < f.req.size() || rs < f.resp.size()) {
      if (rq < f.req.size()) {
        size_t n = std::min(kMss * 2, f.req.size() - rq);
        FeedChunks(p, Direction::kToServer, f.req.substr(rq, n));
        rq += n;
      }
      if (rs < f.resp.size()) {
        size_t n = std::min(kMss * 8, f.resp.size() - rs);
        FeedChunks(p, Direction::kToClient, f.resp.substr(rs, n));
        rs += n;
      }
      txs += p.DrainCompleted([](const HttpTransaction& t) { benchmark::DoNotOptimize(t.uri.size()); });
    }
    p.Reset();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (f.req.size() + f.resp.size())));
  state.SetItemsProcessed(static_cast<int64_t>(txs));
}

void BM_HttpKeepAlive(benchmark::State& state) { RunHttp(state, false); }
void BM_HttpKeepAliveGzip(benchmark::State& state) { RunHttp(state, true); }
BENCHMARK(BM_HttpKeepAlive)->Arg(512)->Arg(16 << 10)->Arg(256 << 10);
BENCHMARK(BM_HttpKeepAliveGzip)->Arg(16 << 10)->Arg(256 << 10);

std::string DnsName(std::string_view n) {
  std::string out;
  while (!n.empty()) {
    size_t dot = n.find('.');
    std::string_view l = n.substr(0, dot);
    out.push_back(static_cast<char>(l.size()));
    out.append(l);
    if (dot == std::string_view::npos) break;
    n.remove_prefix(dot + 1);
  }
  out.push_back('\0');
  return out;
}

std::pair<std::string, std::string> DnsPair() {
  std::string question = DnsName("www.some-cdn.example.com") + std::string("\x00\x01\x00\x01", 4);
  std::string q = std::string("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12) + question;
  std::string target = DnsName("edge.cdn.net");
  std::string r = std::string("\x12\x34\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00", 12) + question;
  r += std::string("\xc0\x0c\x00\x05\x00\x01\x00\x00\x01\x2c\x00", 11) + static_cast<char>(target.size()) + target;
  for (int i = 0; i < 2; ++i) {
    r += std::string("\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x5d\xb8\xd8", 15) + static_cast<char>(34 + i);
  }
  return {q, r};
}

void BM_DnsUdp(benchmark::State& state) {
  auto [q, r] = DnsPair();
  DnsConfig cfg;
  DnsParser p(cfg, nullptr);
  for (auto _ : state) {
    p.OnDatagram(Direction::kToServer, Bytes(q));
    p.OnDatagram(Direction::kToClient, Bytes(r));
    p.Drain([&](const DnsMessage& m) {
      if (m.malformed) state.SkipWithError("malformed DNS in the benchmark");
      benchmark::DoNotOptimize(m.answers.size());
    });
    p.anomalies().Clear();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (q.size() + r.size())));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 2));
}
BENCHMARK(BM_DnsUdp);

void BM_DnsTcp(benchmark::State& state) {
  auto [q, r] = DnsPair();
  std::string stream;
  for (int i = 0; i < 200; ++i) {
    stream.push_back(static_cast<char>(q.size() >> 8));
    stream.push_back(static_cast<char>(q.size() & 0xff));
    stream += q;
  }
  DnsConfig cfg;
  DnsParser p(cfg, nullptr);
  for (auto _ : state) {
    FeedChunks(p, Direction::kToServer, stream);
    p.Drain([](const DnsMessage& m) { benchmark::DoNotOptimize(m.id); });
    p.Reset();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 200));
}
BENCHMARK(BM_DnsTcp);

struct TlsFlights {
  std::string client, server;
};

TlsFlights MakeTlsFlights(size_t app_bytes) {
  using namespace vigil::sensor::testing;
  std::string ext = Extension(0x1a1a, "") + SniExtension("www.example.org") +
                    U16ListExtension(10, {0x2a2a, 29, 23, 24}) + Extension(11, std::string("\x01\x00", 2)) +
                    U16ListExtension(13, {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501}) +
                    AlpnExtension({"h2", "http/1.1"}) + Extension(43, std::string("\x04\x03\x04\x03\x03", 5)) +
                    Extension(23, "") + Extension(65281, std::string("\x00", 1)) + Extension(21, std::string(200, '\0'));
  std::vector<unsigned> ciphers = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
                                   0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  TlsFlights f;
  f.client = Record(22, Handshake(1, ClientHelloBody(0x0303, ciphers, ext)), 0x0301) +
             Record(20, std::string("\x01", 1));
  std::string cert = MakeTestCertificate();
  f.server = Record(22, Handshake(2, ServerHelloBody(0x0303, 0xc02f, Extension(65281, std::string("\x00", 1)))) +
                            Handshake(11, CertificateBody({cert, cert})) + Handshake(14, "")) +
             Record(20, std::string("\x01", 1));
  for (size_t done = 0; done < app_bytes; done += 16384) {
    f.server += Record(23, std::string(std::min<size_t>(16384, app_bytes - done), '\x42'));
  }
  return f;
}

// Arg: 1 = decode the certificate with OpenSSL, 0 = hellos and fingerprints only.
void BM_TlsHandshake(benchmark::State& state) {
  TlsFlights f = MakeTlsFlights(0);
  TlsConfig cfg;
  cfg.decode_certificate = state.range(0) != 0;
  TlsParser p(cfg, nullptr);
  for (auto _ : state) {
    FeedChunks(p, Direction::kToServer, f.client);
    FeedChunks(p, Direction::kToClient, f.server);
    benchmark::DoNotOptimize(p.session().ja3_hash.size());
    p.Reset();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (f.client.size() + f.server.size())));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_TlsHandshake)->Arg(1)->Arg(0);

void BM_TlsEncryptedStream(benchmark::State& state) {
  TlsFlights f = MakeTlsFlights(4 << 20);
  TlsConfig cfg;
  TlsParser p(cfg, nullptr);
  for (auto _ : state) {
    FeedChunks(p, Direction::kToServer, f.client);
    FeedChunks(p, Direction::kToClient, f.server);
    p.Reset();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (f.client.size() + f.server.size())));
}
BENCHMARK(BM_TlsEncryptedStream);

void BM_ProtoDetect(benchmark::State& state) {
  TlsFlights t = MakeTlsFlights(0);
  std::string http = "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n";
  ProtoDetectConfig cfg;
  DnsConfig dns;
  ProtoDetector d(cfg, dns, nullptr);
  for (auto _ : state) {
    d.Reset();
    benchmark::DoNotOptimize(d.OnData(Direction::kToServer, Bytes(http)));
    d.Reset();
    benchmark::DoNotOptimize(d.OnData(Direction::kToServer, Bytes(std::string_view(t.client).substr(0, 1448))));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 2));
}
BENCHMARK(BM_ProtoDetect);

}  // namespace

BENCHMARK_MAIN();
