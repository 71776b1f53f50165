// HTTP/1.x parser: regressions found by http_fuzz's differential mode (the same streams fed
// whole, byte by byte and in odd pieces must give identical transactions). Each case is the
// minimised fuzz input, fed in every split and compared field by field with the unsplit run.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "sensor/app/http/http_parser.h"
#include "tests/sensor/app/http_test_util.h"

namespace vigil::sensor {
namespace {

using testing::Describe;
using testing::HttpHarness;

struct Outcome {
  std::vector<std::string> described;  // every transaction, oldest first
  std::string body;                    // first transaction's response body
  uint64_t body_len = 0;
  uint64_t events = 0;
};

Outcome Run(const HttpConfig& cfg, std::string_view req, std::string_view resp, size_t mode) {
  Outcome o;
  testing::RunExchange(cfg, req, resp, mode, [&](const HttpTransaction& t) {
    if (o.described.empty()) {
      o.body = t.response_body;
      o.body_len = t.response_body_len;
      o.events = t.events;
    }
    o.described.push_back(Describe(t));
  });
  return o;
}

// Whole, byte by byte and random pieces: every split must match the whole-stream run.
Outcome RunAllSplits(const HttpConfig& cfg, std::string_view req, std::string_view resp) {
  Outcome whole = Run(cfg, req, resp, 0);
  for (size_t mode : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{16}, size_t{65}}) {
    Outcome o = Run(cfg, req, resp, mode);
    EXPECT_EQ(o.described, whole.described) << "split mode " << mode;
  }
  return whole;
}

bool Has(const Outcome& o, HttpEvent e) {
  return (o.events & (uint64_t{1} << static_cast<unsigned>(e))) != 0;
}

constexpr std::string_view kGet = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
constexpr std::string_view kChunkedHead =
    "HTTP/1.1 200 ok\r\nTransfer-Encoding: chunked\r\n\r\n";

// tests/fuzz/corpus/http_fuzz/diff_chunk_ws_run_past_line_limit: a "chunk size" line whose
// leading whitespace (79 tabs) outruns max_line_length before its first non-hex byte. Fed
// whole, the probe saw the 'r' and read all 79 tabs as body; fed in pieces, the line reader
// had already cut the held run at 64 bytes, so 15 body bytes were lost (response_body_len
// 152 against 167).
TEST(HttpSplit, WhitespaceRunPastLineLimitBeforeNonHexIsAllBody) {
  HttpConfig cfg = testing::FuzzSmallLimits();
  std::string tail = std::string(79, '\t') + "r  body";
  Outcome o = RunAllSplits(cfg, kGet, std::string(kChunkedHead) + tail);
  EXPECT_EQ(o.body_len, tail.size());
  EXPECT_EQ(o.body, std::string(32, '\t'));
  EXPECT_TRUE(Has(o, HttpEvent::kInvalidResponseChunkLen));
}

// The run alone decides once it reaches the line limit, whatever follows it (a hex digit
// there would be cut off by the line reader anyway).
TEST(HttpSplit, WhitespaceRunReachingLineLimitMeansNotChunked) {
  HttpConfig cfg = testing::FuzzSmallLimits();
  std::string tail = std::string(64, ' ') + "5\r\nhello\r\n0\r\n\r\n";
  Outcome o = RunAllSplits(cfg, kGet, std::string(kChunkedHead) + tail);
  EXPECT_EQ(o.body_len, tail.size());
  EXPECT_TRUE(Has(o, HttpEvent::kInvalidResponseChunkLen));
  // With no byte after the run, the run is still the whole body.
  Outcome only = RunAllSplits(cfg, kGet, std::string(kChunkedHead) + std::string(64, '\v'));
  EXPECT_EQ(only.body_len, 64u);
}

// One byte short of the limit, the size still fits in the line and is read as a chunk size.
TEST(HttpSplit, WhitespaceRunJustUnderLineLimitStillChunked) {
  HttpConfig cfg = testing::FuzzSmallLimits();
  std::string tail = std::string(63, ' ') + "5\r\nhello\r\n0\r\n\r\n";
  Outcome o = RunAllSplits(cfg, kGet, std::string(kChunkedHead) + tail);
  EXPECT_EQ(o.body, "hello");
  EXPECT_EQ(o.body_len, 5u);
  EXPECT_FALSE(Has(o, HttpEvent::kInvalidResponseChunkLen));
}

// tests/fuzz/corpus/http_fuzz/diff_ws_line_verdict_past_line_limit: after a whitespace-only
// response header line, the next line decides whether the headers ended ("token:" follows or
// not). Its token ran past max_line_length before the byte that decided: fed whole, the probe
// saw that byte and read the whole line as body; fed in pieces, the line reader had already cut
// the held line at 64 bytes, so 23 body bytes were lost (response_body_len 171 against 194).
TEST(HttpSplit, TokenPastLineLimitAfterWhitespaceLineIsAllBody) {
  HttpConfig cfg = testing::FuzzSmallLimits();
  std::string tail = " " + std::string(90, 'j') + "\x13 rest\r\nmore";
  Outcome o = RunAllSplits(cfg, kGet, "HTTP/1.1 200 OK\r\n \r\n" + tail);
  EXPECT_EQ(o.body_len, tail.size());
  EXPECT_EQ(o.body, tail.substr(0, 32));
}

// The line limit is the boundary: a colon at the 64th byte still makes the line a header (cut
// by the line reader), one at the 65th does not and the line is body.
TEST(HttpSplit, WhitespaceLineVerdictDecidesAtTheLineLimit) {
  HttpConfig cfg = testing::FuzzSmallLimits();
  std::string head = "HTTP/1.1 200 OK\r\n \r\n";
  std::string fits = " " + std::string(62, 'x') + ": v\r\n\r\nbody";
  Outcome header = RunAllSplits(cfg, kGet, head + fits);
  EXPECT_EQ(header.body, "body");
  EXPECT_EQ(header.body_len, 4u);
  EXPECT_TRUE(Has(header, HttpEvent::kResponseFieldTooLong));
  std::string past = " " + std::string(63, 'x') + ": v\r\n\r\nbody";
  Outcome body = RunAllSplits(cfg, kGet, head + past);
  EXPECT_EQ(body.body_len, past.size());
  EXPECT_FALSE(Has(body, HttpEvent::kResponseFieldTooLong));
}

// A body labelled gzip that is not compressed passes through raw (libhtp's passthrough). Fed
// whole, the parser kept only the first body-limit bytes for the passthrough and did not mark
// the body truncated; fed in pieces, the bytes after the decision were appended (and cut) one
// by one and did mark it.
TEST(HttpSplit, PassthroughPastBodyLimitIsTruncatedInEverySplit) {
  HttpConfig cfg = testing::FuzzSmallLimits();
  std::string body(40, 'A');  // 'A' 'A' is neither gzip magic nor a zlib header: raw deflate
  for (std::string_view framing : {std::string_view("Content-Length: 40\r\n"),
                                   std::string_view("")}) {
    std::string resp = "HTTP/1.1 200 ok\r\nContent-Encoding: gzip\r\n" + std::string(framing) +
                       "\r\n" + body;
    HttpHarness whole(cfg);
    whole.Req(kGet);
    whole.Resp(resp);
    whole.parser->OnEnd(Direction::kToClient);
    ASSERT_EQ(whole.DrainAll(), 1u);
    Outcome o = RunAllSplits(cfg, kGet, resp);
    EXPECT_EQ(o.body, body.substr(0, 32));
    EXPECT_EQ(o.body_len, 40u);
    EXPECT_TRUE(Has(o, HttpEvent::kGzipDecompressionFailed));
    EXPECT_NE(o.described[0].find("resp_body_truncated=[1]"), std::string::npos);
    EXPECT_EQ(whole.Total("app.http.response_body_truncated"), 1u);
  }
}

// A gzip bomb under the default limits: the ratio check ran whenever zlib returned, so fed
// whole the body stopped at 65536 bytes (16 KiB output steps) and fed byte by byte at 65792.
// It now runs at fixed output offsets, and the bomb stops at the same byte in every split.
TEST(HttpSplit, RatioBombStopsAtTheSameLengthInEverySplit) {
  HttpConfig cfg;
  std::string gz = testing::Compress(std::string(200000, '\0'), 31);
  std::string resp = "HTTP/1.1 200 ok\r\nContent-Encoding: gzip\r\nContent-Length: " +
                     std::to_string(gz.size()) + "\r\n\r\n" + gz;
  Outcome o = RunAllSplits(cfg, kGet, resp);
  EXPECT_EQ(o.body.size(), 64u * 1024);
  EXPECT_TRUE(Has(o, HttpEvent::kCompressionBomb));
}

// Bodies whose ratio sits near the cap (runs of zeros between random bytes): wherever the check
// trips, or does not, must not depend on the split.
TEST(HttpSplit, RatioNearTheCapDoesNotDependOnTheSplit) {
  HttpConfig cfg;
  cfg.decompress_max_ratio = 60;
  cfg.decompress_ratio_min_output = 4096;
  std::mt19937 rng(7);
  size_t bombs = 0;
  for (int round = 0; round < 12; ++round) {
    std::string plain;
    size_t run = 100 + static_cast<size_t>(round) * 40;
    while (plain.size() < 90000) {
      plain.append(run, '\0');
      for (int k = 0; k < 3; ++k) plain.push_back(static_cast<char>(rng()));
    }
    std::string gz = testing::Compress(plain, round % 2 ? 31 : 15);
    std::string resp = "HTTP/1.1 200 ok\r\nContent-Encoding: gzip\r\n\r\n" + gz;
    Outcome o = RunAllSplits(cfg, kGet, resp);
    if (Has(o, HttpEvent::kCompressionBomb)) ++bombs;
  }
  EXPECT_GT(bombs, 0u);   // some rounds trip the cap...
  EXPECT_LT(bombs, 12u);  // ...and some do not
}

}  // namespace
}  // namespace vigil::sensor
