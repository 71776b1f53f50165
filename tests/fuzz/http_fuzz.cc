// libFuzzer target for sensor/app/http: drives one HttpParser with arbitrary request/response
// bytes, gaps and ends.
//
// Input: byte 0 picks the mode and small/default limits; the rest is either
//  - ops (mode bit 0 clear): [op][len][len bytes]...  op%4: 0 data to_server, 1 data to_client,
//    2 gap (len bytes long), 3 end of one direction;
//  - a differential run (bit 0 set): the rest, cut at its first 0xff byte, is a request stream
//    and a response stream; they are fed whole and in pieces (1 byte, then sizes from the input),
//    and every transaction must come out identical.
// Invariants: bounded queue and bodies, anomalies bounded, DrainAll() mid-flow and Reset() safe.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sensor/app/http/http_parser.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/two_streams.h"

namespace {

using namespace vigil;
using namespace vigil::sensor;

std::string Describe(const HttpTransaction& t) {
  std::string s = std::to_string(t.id) + "|" + std::to_string(t.flags) + "|" +
                  std::to_string(t.events) + "|" + t.request_line + "|" + t.uri + "|" + t.host +
                  "|" + t.request_header + "|" + t.request_header_raw + "|" + t.request_body + "|" +
                  std::to_string(t.request_body_len) + "|" + t.response_line + "|" +
                  t.response_header_raw + "|" + t.response_body + "|" +
                  std::to_string(t.response_body_len) + "|" + std::to_string(t.done());
  s += "|" + t.method + "|" + t.protocol + "|" + t.request_header_names + "|" +
       std::to_string(t.request_body_truncated) + "|" + std::to_string(t.status_code.value_or(0)) +
       "|" + t.status_message + "|" + t.response_header + "|" +
       std::string(t.content_encoding) + "|" + std::to_string(t.response_body_truncated);
  return s;
}

void CheckTx(const HttpConfig& cfg, const HttpTransaction& t) {
  FUZZ_CHECK(t.request_body.size() <= cfg.request_body_limit);
  FUZZ_CHECK(t.response_body.size() <= cfg.response_body_limit);
  FUZZ_CHECK(t.request_headers.size() <= cfg.max_header_count);
  FUZZ_CHECK(t.request_header_raw.size() <= cfg.max_header_bytes);
  FUZZ_CHECK(t.request_line.size() <= cfg.max_line_length);
}

std::vector<std::string> Run(const HttpConfig& cfg, std::string_view req, std::string_view resp,
                             size_t piece) {
  HttpParser p(cfg, nullptr);
  std::vector<std::string> out;
  auto feed = [&](Direction d, std::string_view v) { FeedInPieces(p, d, v, piece); };
  feed(Direction::kToServer, req);
  feed(Direction::kToClient, resp);
  p.OnEnd(Direction::kToServer);
  p.OnEnd(Direction::kToClient);
  p.DrainAll([&](const HttpTransaction& t) {
    CheckTx(cfg, t);
    out.push_back(Describe(t));
  });
  return out;
}

// On a differential mismatch, prints both runs' first differing transaction (escaped) so the
// finding can be read without a debugger.
void PrintMismatch(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  auto esc = [](const std::string& x) {
    std::string o;
    for (unsigned char c : x) {
      if (c >= 0x20 && c < 0x7f) o += static_cast<char>(c);
      else { char buf[8]; std::snprintf(buf, sizeof buf, "\\x%02x", c); o += buf; }
    }
    return o;
  };
  std::fprintf(stderr, "transactions: %zu vs %zu\n", a.size(), b.size());
  for (size_t i = 0; i < a.size() || i < b.size(); ++i) {
    std::string x = i < a.size() ? a[i] : "(none)", y = i < b.size() ? b[i] : "(none)";
    if (x == y) continue;
    std::fprintf(stderr, "tx %zu whole: %s\ntx %zu split: %s\n", i, esc(x).c_str(), i, esc(y).c_str());
    break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  HttpConfig cfg;
  if (data[0] & 0x02) {
    cfg.max_line_length = 64;
    cfg.max_header_count = 4;
    cfg.max_header_bytes = 1024;
    cfg.request_body_limit = 16;
    cfg.response_body_limit = 32;
    cfg.max_transactions = 3;
    cfg.decompress_max_output = 4096;
    cfg.decompress_ratio_min_output = 512;
    cfg.decompress_max_ratio = 20;
  }
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);

  if (data[0] & 0x01) {
    size_t cut = in.find('\xff');
    std::string_view req = in.substr(0, cut);
    std::string_view resp = cut == std::string_view::npos ? std::string_view() : in.substr(cut + 1);
    std::vector<std::string> whole = Run(cfg, req, resp, in.size() + 1);
    std::vector<std::string> bytes = Run(cfg, req, resp, 1);
    if (whole != bytes) PrintMismatch(whole, bytes);
    FUZZ_CHECK(whole == bytes);
    std::vector<std::string> odd = Run(cfg, req, resp, 1 + (data[0] >> 4));
    if (whole != odd) PrintMismatch(whole, odd);
    FUZZ_CHECK(whole == odd);
    return 0;
  }

  HttpParser p(cfg, nullptr);
  for (int round = 0; round < 2; ++round) {
    size_t i = 0;
    while (i + 2 <= in.size()) {
      uint8_t op = static_cast<uint8_t>(in[i]);
      size_t len = static_cast<uint8_t>(in[i + 1]);
      i += 2;
      Direction d = (op & 0x10) ? Direction::kToClient : Direction::kToServer;
      switch (op % 4) {
        case 0:
        case 1: {
          len = std::min(len, in.size() - i);
          d = (op % 4 == 1) ? Direction::kToClient : Direction::kToServer;
          p.OnData(d, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(in.data() + i), len));
          i += len;
          break;
        }
        case 2:
          p.OnGap(d, len);
          break;
        default:
          p.OnEnd(d);
          break;
      }
      FUZZ_CHECK(p.tx_count() <= cfg.max_transactions);
      FUZZ_CHECK(p.anomalies().items().size() <= cfg.max_pending_anomalies);
      for (size_t t = 0; t < p.tx_count(); ++t) CheckTx(cfg, p.tx(t));
      if (op & 0x20) p.DrainCompleted([&](const HttpTransaction& t) { CheckTx(cfg, t); });
      if (op & 0x40) p.anomalies().Clear();
      if ((op & 0x80) && (op & 0x08)) p.DrainAll([&](const HttpTransaction& t) { CheckTx(cfg, t); });
    }
    p.DrainAll([&](const HttpTransaction& t) { CheckTx(cfg, t); });
    p.Reset();
    FUZZ_CHECK(p.tx_count() == 0);
  }
  return 0;
}
