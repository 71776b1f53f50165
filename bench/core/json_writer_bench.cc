// JsonWriter / WriteEve throughput: events per second and bytes per second for the events a
// sensor writes most (an alert with its HTTP transaction and flow summary, a flow event) and for
// strings that need heavy escaping (binary-ish URIs and user agents).
#include <benchmark/benchmark.h>

#include <string>

#include "core/eve_writer.h"
#include "core/json_writer.h"

namespace vigil {
namespace {

EventEnvelope Envelope() {
  EventEnvelope e;
  e.timestamp = Timestamp::FromMicros(1'700'000'000'123'456);
  e.flow_id = 1234567890123456;
  e.sensor_id = "moh-dc1-s01";
  e.in_iface = "eth0";
  e.pcap_cnt = 123456;
  e.src_ip = *IpAddress::Parse("192.168.10.24");
  e.dest_ip = *IpAddress::Parse("203.0.113.77");
  e.src_port = 51234;
  e.dest_port = 80;
  e.ip_proto = 6;
  e.pkt_src = "wire/pcap";
  e.community_id = "1:wCb3OG7yAFWelaUydu0D+125CLM=";
  e.tx_id = 0;
  e.app_proto = "http";
  e.direction = Direction::kToServer;
  e.province = "north";
  return e;
}

void Run(benchmark::State& state, const Event& ev) {
  JsonWriter w;
  size_t bytes = 0;
  for (auto _ : state) {
    w.Clear();
    Status st = WriteEve(ev, w);
    if (!st.ok()) state.SkipWithError(st.error().message.c_str());
    bytes += w.size();
    benchmark::DoNotOptimize(w.view().data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["event_bytes"] = static_cast<double>(w.size());
}

void BM_AlertWithHttp(benchmark::State& state) {
  const std::string_view targets[] = {"Client_Endpoint"};
  const std::string_view dates[] = {"2016_06_17"};
  const AlertMetadata meta[] = {{"attack_target", targets}, {"created_at", dates}};
  AlertInfo alert{.signature_id = 2016141, .rev = 5,
                  .signature = "ET INFO Executable Download from dotted-quad Host",
                  .category = "A Network Trojan was detected", .severity = 1, .metadata = meta};
  HttpInfo http{.hostname = "203.0.113.77", .url = "/download/setup_v2.3.1.exe?id=8812&src=mail",
                .http_user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                                   "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
                .http_content_type = "application/octet-stream", .http_method = "GET",
                .protocol = "HTTP/1.1", .status = 200, .length = 1843200};
  FlowInfo flow{.pkts_toserver = 12, .pkts_toclient = 1300, .bytes_toserver = 1200,
                .bytes_toclient = 1900000, .start = Timestamp::FromSeconds(1'700'000'000)};
  Event ev{.type = EventType::kAlert, .envelope = Envelope(), .alert = &alert, .flow = &flow,
           .http = &http};
  Run(state, ev);
}
BENCHMARK(BM_AlertWithHttp);

void BM_FlowEvent(benchmark::State& state) {
  FlowInfo flow{.pkts_toserver = 12, .pkts_toclient = 1300, .bytes_toserver = 1200,
                .bytes_toclient = 1900000, .start = Timestamp::FromSeconds(1'700'000'000),
                .end = Timestamp::FromSeconds(1'700'000'042), .age = 42, .state = "closed",
                .reason = "timeout", .alerted = false};
  EventEnvelope e = Envelope();
  e.pcap_cnt.reset();
  e.tx_id.reset();
  e.direction = Direction::kNone;
  Event ev{.type = EventType::kFlow, .envelope = e, .flow = &flow};
  Run(state, ev);
}
BENCHMARK(BM_FlowEvent);

// An HTTP event whose fields are full of quotes, control bytes and (in the second case)
// invalid UTF-8, the worst case for the escaper.
void BM_HttpEscapeHeavy(benchmark::State& state) {
  std::string url, ua;
  for (int i = 0; i < 200; ++i) {
    url += "/a\"b\\c\n\x01";
    ua += state.range(0) ? "\xff\xfe\x80" : "\t\"x\"";
  }
  HttpInfo http{.hostname = "evil\"host\r\n", .url = url, .http_user_agent = ua,
                .http_method = "GET", .protocol = "HTTP/1.1"};
  Event ev{.type = EventType::kHttp, .envelope = Envelope(), .http = &http};
  Run(state, ev);
}
BENCHMARK(BM_HttpEscapeHeavy)->Arg(0)->Arg(1)->ArgName("invalid_utf8");

// The escaper alone on 4 KiB of plain ASCII (the fast path) and of valid UTF-8.
void BM_EscapeString(benchmark::State& state) {
  std::string s;
  while (s.size() < 4096) s += state.range(0) ? "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 " : "GET /index.html ";
  std::string out;
  out.reserve(s.size() * 2);
  for (auto _ : state) {
    out.clear();
    JsonWriter::AppendEscaped(out, s);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.size()));
}
BENCHMARK(BM_EscapeString)->Arg(0)->Arg(1)->ArgName("utf8");

}  // namespace
}  // namespace vigil

BENCHMARK_MAIN();
