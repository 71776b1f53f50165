// HTTP test helpers: a parser with counters, collection of drained transactions as text
// summaries, and feeding of request/response streams in any split.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/counters.h"
#include "sensor/app/app_counters.h"
#include "sensor/app/http/http_parser.h"
#include "tests/sensor/app/app_test_util.h"

namespace vigil::sensor::testing {

// Every field of a transaction in one string, for "same result whatever the split" checks.
inline std::string Describe(const HttpTransaction& t) {
  std::string s;
  auto add = [&](std::string_view k, std::string_view v) {
    s += k;
    s += "=[";
    s += v;
    s += "]\n";
  };
  add("id", std::to_string(t.id));
  add("done", std::to_string(t.request_done) + std::to_string(t.response_done));
  add("flags", std::to_string(t.flags));
  add("events", std::to_string(t.events));
  add("request_line", t.request_line);
  add("method", t.method);
  add("uri", t.uri);
  add("uri_raw", t.uri_raw);
  add("protocol", t.protocol);
  add("host", t.host);
  add("host_raw", t.host_raw);
  add("req_header", t.request_header);
  add("req_header_raw", t.request_header_raw);
  add("req_names", t.request_header_names);
  add("req_start", t.request_start);
  add("req_body", t.request_body);
  add("req_body_len", std::to_string(t.request_body_len));
  add("req_body_truncated", std::to_string(t.request_body_truncated));
  add("response_line", t.response_line);
  add("status", t.status_code ? std::to_string(*t.status_code) : "-");
  add("status_msg", t.status_message);
  add("resp_header", t.response_header);
  add("resp_header_raw", t.response_header_raw);
  add("resp_body", t.response_body);
  add("resp_body_len", std::to_string(t.response_body_len));
  add("resp_body_truncated", std::to_string(t.response_body_truncated));
  return s;
}

struct HttpHarness {
  explicit HttpHarness(HttpConfig c = {}) : cfg(c) {
    counters = *RegisterAppCounters(registry);
    counters.block = registry.NewBlock("test");
    parser = std::make_unique<HttpParser>(cfg, &counters);
  }
  void Req(std::string_view s, size_t mode = 0) {
    FeedSplit(s, mode, [&](std::string_view p) { parser->OnData(Direction::kToServer, Bytes(p)); });
  }
  void Resp(std::string_view s, size_t mode = 0) {
    FeedSplit(s, mode, [&](std::string_view p) { parser->OnData(Direction::kToClient, Bytes(p)); });
  }
  // Drains finished transactions into `done`.
  size_t Drain() {
    return parser->DrainCompleted([&](const HttpTransaction& t) { done.push_back(Describe(t)); });
  }
  size_t DrainAll() {
    return parser->DrainAll([&](const HttpTransaction& t) { done.push_back(Describe(t)); });
  }
  uint64_t Total(std::string_view name) const { return registry.Total(name); }
  bool HasAnomaly(std::string_view name) const {
    for (const AppAnomaly& a : parser->anomalies().items()) {
      if (a.name == name) return true;
    }
    return false;
  }

  HttpConfig cfg;
  CounterRegistry registry;
  AppCounters counters;
  std::unique_ptr<HttpParser> parser;
  std::vector<std::string> done;
};

// The small limits of http_fuzz (first input byte with bit 1 set), for its regressions.
inline HttpConfig FuzzSmallLimits() {
  HttpConfig c;
  c.max_line_length = 64;
  c.max_header_count = 4;
  c.max_header_bytes = 1024;
  c.request_body_limit = 16;
  c.response_body_limit = 32;
  c.max_transactions = 3;
  c.decompress_max_output = 4096;
  c.decompress_ratio_min_output = 512;
  c.decompress_max_ratio = 20;
  return c;
}

// One connection: the request stream then the response stream, each fed in split `mode`, both
// ended, then every transaction handed to fn(const HttpTransaction&), oldest first.
template <typename F>
void RunExchange(const HttpConfig& cfg, std::string_view req, std::string_view resp,
                 size_t mode, F&& fn) {
  HttpHarness h(cfg);
  h.Req(req, mode);
  h.Resp(resp, mode);
  h.parser->OnEnd(Direction::kToServer);
  h.parser->OnEnd(Direction::kToClient);
  h.parser->DrainAll(fn);
}

// One GET and a response (ended by the stream's close): the first transaction's response body,
// events and flags, and every transaction described.
struct ResponseOutcome {
  std::string body;
  std::string described;
  uint64_t events = 0;
  uint32_t flags = 0;
  size_t txs = 0;
  bool Has(HttpEvent e) const { return events & (uint64_t{1} << static_cast<unsigned>(e)); }
};

inline ResponseOutcome RunResponse(const HttpConfig& cfg, std::string_view resp, size_t mode) {
  constexpr std::string_view kReq = "GET /f HTTP/1.1\r\nHost: a\r\n\r\n";
  ResponseOutcome o;
  RunExchange(cfg, kReq, resp, mode, [&](const HttpTransaction& t) {
    if (o.txs++ == 0) {
      o.body = t.response_body;
      o.events = t.events;
      o.flags = t.flags;
    }
    o.described += Describe(t);
  });
  return o;
}

// RunResponse whole, then in several splits, each checked identical to the whole one.
inline ResponseOutcome RunAllSplits(std::string_view resp, const HttpConfig& cfg = {}) {
  ResponseOutcome ref = RunResponse(cfg, resp, 0);
  for (size_t mode : {size_t{1}, size_t{2}, size_t{5}, size_t{17}}) {
    EXPECT_EQ(RunResponse(cfg, resp, mode).described, ref.described) << "mode " << mode;
  }
  return ref;
}

}  // namespace vigil::sensor::testing
