// HTTP/1.x parser: buffers, framing, pairing, limits and anomalies, on hand-written streams.
#include "sensor/app/http/http_parser.h"

#include <gtest/gtest.h>

#include "tests/sensor/app/http_test_util.h"

namespace vigil::sensor {
namespace {

using testing::Bytes;
using testing::Compress;
using testing::HttpHarness;

constexpr std::string_view kGet =
    "GET /a/./b/../c%64?x=%41 HTTP/1.1\r\n"
    "Host: WWW.Example.COM:8080\r\n"
    "User-Agent: curl/8.0\r\n"
    "Cookie: sid=1\r\n"
    "Accept: */*\r\n"
    "\r\n";

constexpr std::string_view kOk =
    "HTTP/1.1 200 OK\r\n"
    "Server: nginx\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Set-Cookie: a=b\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";

TEST(HttpParser, RequestAndResponseBuffers) {
  HttpHarness h;
  h.Req(kGet);
  ASSERT_EQ(h.parser->tx_count(), 1u);
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_TRUE(t.request_done);
  EXPECT_FALSE(t.response_done);
  EXPECT_EQ(t.request_line, "GET /a/./b/../c%64?x=%41 HTTP/1.1");
  EXPECT_EQ(t.method, "GET");
  EXPECT_EQ(t.uri_raw, "/a/./b/../c%64?x=%41");
  EXPECT_EQ(t.uri, "/a/cd?x=A");
  EXPECT_EQ(t.protocol, "HTTP/1.1");
  EXPECT_EQ(t.host, "www.example.com");
  EXPECT_EQ(t.host_raw, "WWW.Example.COM:8080");
  ASSERT_TRUE(t.host_port);
  EXPECT_EQ(*t.host_port, 8080);
  EXPECT_EQ(t.user_agent, "curl/8.0");
  EXPECT_EQ(t.cookie, "sid=1");
  EXPECT_EQ(t.request_header,
            "Host: WWW.Example.COM:8080\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(t.request_header_raw,
            "Host: WWW.Example.COM:8080\r\nUser-Agent: curl/8.0\r\nCookie: sid=1\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(t.request_header_names, "\r\nHost\r\nUser-Agent\r\nCookie\r\nAccept\r\n\r\n");
  EXPECT_EQ(t.request_start,
            "GET /a/./b/../c%64?x=%41 HTTP/1.1\r\nHost: WWW.Example.COM:8080\r\n"
            "User-Agent: curl/8.0\r\nCookie: sid=1\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(h.Drain(), 0u);  // the response is still missing

  h.Resp(kOk);
  const HttpTransaction& r = h.parser->tx(0);
  EXPECT_TRUE(r.response_done);
  EXPECT_EQ(r.response_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(*r.status_code, 200);
  EXPECT_EQ(r.status_message, "OK");
  EXPECT_EQ(r.server, "nginx");
  EXPECT_EQ(r.set_cookie, "a=b");
  EXPECT_EQ(r.response_header,
            "Server: nginx\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(r.response_body, "hello");
  EXPECT_EQ(r.response_body_len, 5u);
  EXPECT_EQ(*r.response_content_length, 5u);
  EXPECT_EQ(r.events, 0u);

  HttpInfo info;
  r.FillHttpInfo(info);
  EXPECT_EQ(info.hostname, "www.example.com");
  EXPECT_EQ(info.url, "/a/./b/../c%64?x=%41");
  EXPECT_EQ(info.http_content_type, "text/html");
  EXPECT_EQ(*info.status, 200);
  EXPECT_EQ(*info.length, 5u);

  EXPECT_EQ(h.Drain(), 1u);
  EXPECT_EQ(h.parser->tx_count(), 0u);
  EXPECT_EQ(h.Total("app.http.tx"), 1u);
}

TEST(HttpParser, FoldingAndDuplicateHeaders) {
  HttpHarness h;
  h.Req("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n  two\r\n\tthree\r\nAccept: x\r\nx-a: four\r\n\r\n");
  const HttpTransaction& t = h.parser->tx(0);
  const HttpHeader* xa = t.FindRequestHeader("X-A");
  ASSERT_NE(xa, nullptr);
  EXPECT_EQ(xa->value, "one two three, four");
  EXPECT_EQ(t.request_header, "Host: a\r\nX-A: one two three, four\r\nAccept: x\r\n\r\n");
  EXPECT_EQ(t.request_headers.size(), 3u);
}

TEST(HttpParser, ChunkedBodiesBothDirections) {
  HttpHarness h;
  h.Req("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
  h.Resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n000\r\n\r\n");
  ASSERT_EQ(h.parser->tx_count(), 1u);
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_TRUE(t.done());
  EXPECT_EQ(t.request_body, "hello world");
  EXPECT_EQ(t.request_body_len, 11u);
  EXPECT_EQ(t.response_body, "abc");
  EXPECT_TRUE(t.flags & http_tx_flag::kRequestChunked);
  EXPECT_TRUE(t.flags & http_tx_flag::kResponseChunked);
  EXPECT_EQ(t.events, 0u);
}

TEST(HttpParser, PipeliningPairsInOrderWithHead304And100Continue) {
  HttpHarness h;
  h.Req("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
        "HEAD /2 HTTP/1.1\r\nHost: a\r\n\r\n"
        "GET /3 HTTP/1.1\r\nHost: a\r\nIf-None-Match: x\r\n\r\n"
        "POST /4 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc");
  EXPECT_EQ(h.parser->tx_count(), 4u);
  h.Resp("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr1"
         "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"  // HEAD: no body despite the length
         "HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n"  // no body
         "HTTP/1.1 100 Continue\r\n\r\n"
         "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nr4");
  ASSERT_EQ(h.parser->tx_count(), 4u);
  EXPECT_EQ(h.parser->tx(0).uri, "/1");
  EXPECT_EQ(h.parser->tx(0).response_body, "r1");
  EXPECT_EQ(h.parser->tx(1).method, "HEAD");
  EXPECT_EQ(*h.parser->tx(1).status_code, 200);
  EXPECT_TRUE(h.parser->tx(1).response_body.empty());
  EXPECT_EQ(*h.parser->tx(2).status_code, 304);
  EXPECT_EQ(*h.parser->tx(3).status_code, 201);
  EXPECT_EQ(h.parser->tx(3).response_body, "r4");
  EXPECT_EQ(h.parser->tx(3).request_body, "abc");
  EXPECT_TRUE(h.parser->tx(3).flags & http_tx_flag::kContinueSeen);
  EXPECT_EQ(h.Drain(), 4u);
}

TEST(HttpParser, SecondContinueIsAnAnomaly) {
  HttpHarness h;
  h.Req("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  h.Resp("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_TRUE(h.parser->tx(0).HasEvent(HttpEvent::k100ContinueAlreadySeen));
  EXPECT_TRUE(h.parser->tx(0).done());
}

TEST(HttpParser, ResponseUntilCloseEndsWithStream) {
  HttpHarness h;
  h.Req("GET / HTTP/1.0\r\n\r\n");
  h.Resp("HTTP/1.0 200 OK\r\n\r\nbody until close");
  EXPECT_FALSE(h.parser->tx(0).response_done);
  h.parser->OnEnd(Direction::kToClient);
  EXPECT_TRUE(h.parser->tx(0).response_done);
  EXPECT_EQ(h.parser->tx(0).response_body, "body until close");
  EXPECT_FALSE(h.parser->tx(0).flags & http_tx_flag::kResponseIncomplete);
  EXPECT_FALSE(h.parser->tx(0).HasEvent(HttpEvent::kMissingHostHeader));  // HTTP/1.0
}

TEST(HttpParser, GzipAndDeflateResponsesAreDecompressed) {
  std::string page = "<html>" + std::string(3000, 'x') + "</html>";
  for (auto [encoding, bits] : {std::pair{"gzip", 31}, {"deflate", 15}, {"deflate", -15}}) {
    std::string body = Compress(page, bits);
    HttpHarness h;
    h.Req("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    h.Resp("HTTP/1.1 200 OK\r\nContent-Encoding: " + std::string(encoding) +
               "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
           3);
    const HttpTransaction& t = h.parser->tx(0);
    EXPECT_TRUE(t.done());
    EXPECT_EQ(t.response_body, page) << encoding << bits;
    EXPECT_EQ(t.response_body_len, body.size());
    EXPECT_TRUE(t.flags & http_tx_flag::kDecompressed);
    EXPECT_EQ(t.events, 0u);
  }
}

TEST(HttpParser, GzipBombIsStoppedAndCounted) {
  std::string bomb = Compress(std::string(20 << 20, '\0'), 31);
  HttpHarness h;
  h.Req("GET /bomb HTTP/1.1\r\nHost: a\r\n\r\n");
  h.Resp("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n");
  // Deliver the compressed body as 4 KiB chunks.
  for (size_t i = 0; i < bomb.size(); i += 4096) {
    std::string part = bomb.substr(i, 4096);
    char hex[16];
    std::snprintf(hex, sizeof(hex), "%zx\r\n", part.size());
    h.Resp(std::string(hex) + part + "\r\n");
  }
  h.Resp("0\r\n\r\n");
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_TRUE(t.done());
  EXPECT_TRUE(t.HasEvent(HttpEvent::kCompressionBomb));
  EXPECT_TRUE(t.flags & http_tx_flag::kCompressionBomb);
  EXPECT_LE(t.response_body.size(), h.cfg.response_body_limit);
  EXPECT_EQ(t.response_body_len, bomb.size());
  EXPECT_EQ(h.Total("app.http.compression_bombs"), 1u);
  EXPECT_EQ(h.Total("http.compression_bomb"), 1u);
  EXPECT_TRUE(h.HasAnomaly("http.compression_bomb"));
}

TEST(HttpParser, SizeCapStopsDecompressionWhenBodyLimitIsLarger) {
  HttpConfig cfg;
  cfg.response_body_limit = 8 << 20;
  cfg.decompress_max_output = 1 << 20;
  cfg.decompress_max_ratio = 0;
  std::string body = Compress(std::string(4 << 20, 'a'), 31);
  HttpHarness h(cfg);
  h.Req("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  h.Resp("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body);
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_TRUE(t.HasEvent(HttpEvent::kCompressionBomb));
  EXPECT_EQ(t.response_body.size(), 1u << 20);
}

TEST(HttpParser, BodyLimitsTruncateButCount) {
  HttpConfig cfg;
  cfg.request_body_limit = 4;
  cfg.response_body_limit = 3;
  HttpHarness h(cfg);
  h.Req("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789");
  h.Resp("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabcdef");
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_EQ(t.request_body, "0123");
  EXPECT_EQ(t.request_body_len, 10u);
  EXPECT_TRUE(t.request_body_truncated);
  EXPECT_EQ(t.response_body, "abc");
  EXPECT_TRUE(t.response_body_truncated);
  EXPECT_TRUE(t.done());
  EXPECT_EQ(h.Total("app.http.request_body_truncated"), 1u);
}

TEST(HttpParser, LineAndHeaderLimits) {
  HttpConfig cfg;
  cfg.max_line_length = 64;
  cfg.max_header_count = 2;
  cfg.max_header_bytes = 1024;
  HttpHarness h(cfg);
  std::string longline = "GET /" + std::string(100, 'a') + " HTTP/1.1\r\n";
  h.Req(longline + "Host: a\r\nB: b\r\nC: c\r\nX: " + std::string(80, 'x') + "\r\n\r\n", 1);
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_TRUE(t.request_done);
  EXPECT_TRUE(t.HasEvent(HttpEvent::kRequestFieldTooLong));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kRequestTooManyHeaders));
  EXPECT_EQ(t.request_headers.size(), 2u);
  EXPECT_LE(t.request_line.size(), 64u);
  EXPECT_TRUE(h.HasAnomaly("http.request_field_too_long"));
  EXPECT_TRUE(h.HasAnomaly("http.request_too_many_headers"));

  HttpConfig small;
  small.max_header_bytes = 1024;
  HttpHarness h2(small);
  std::string req = "GET / HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 100; ++i) req += "X-" + std::to_string(i) + ": 0123456789\r\n";
  h2.Req(req + "\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(h2.parser->tx_count(), 2u);
  EXPECT_TRUE(h2.parser->tx(0).HasEvent(HttpEvent::kRequestFieldTooLong));
  EXPECT_LE(h2.parser->tx(0).request_header_raw.size(), 1024u);
  EXPECT_EQ(h2.parser->tx(1).uri, "/next");
}

TEST(HttpParser, TransactionQueueLimit) {
  HttpConfig cfg;
  cfg.max_transactions = 3;
  HttpHarness h(cfg);
  std::string reqs;
  for (int i = 0; i < 5; ++i) reqs += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: a\r\n\r\n";
  h.Req(reqs);
  EXPECT_EQ(h.parser->tx_count(), 3u);
  EXPECT_TRUE(h.HasAnomaly("http.too_many_transactions"));
  EXPECT_EQ(h.Total("app.http.tx_queue_full"), 1u);
  EXPECT_GT(h.Total("app.http.ignored_bytes"), 0u);
}

TEST(HttpParser, AnomaliesOnMalformedInput) {
  HttpHarness h;
  h.Req(" GET\t/x\tHTTP/1.1\r\nNoColon\r\nBad Name : v\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nz");
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_TRUE(t.HasEvent(HttpEvent::kRequestLineLeadingWhitespace));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kMethodDelimNonCompliant));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kUriDelimNonCompliant));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kRequestFieldMissingColon));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kRequestHeaderInvalid));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kDuplicateContentLengthFieldInRequest));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kMissingHostHeader));
  EXPECT_EQ(t.request_body, "z");
  EXPECT_EQ(t.method, "GET");
  EXPECT_EQ(t.uri_raw, "/x");

  HttpHarness h2;
  h2.Req("GET http://one.example/ HTTP/1.1\r\nHost: two.example\r\n\r\n");
  EXPECT_TRUE(h2.parser->tx(0).HasEvent(HttpEvent::kHostHeaderAmbiguous));
  EXPECT_EQ(h2.parser->tx(0).host, "one.example");
  EXPECT_EQ(h2.parser->tx(0).uri, "/");

  HttpHarness h3;
  h3.Req("GET / FOO/1.0\r\nHost: a:0\r\n  folded-first\r\n\r\n");
  EXPECT_TRUE(h3.parser->tx(0).HasEvent(HttpEvent::kRequestLineInvalid));
  EXPECT_TRUE(h3.parser->tx(0).HasEvent(HttpEvent::kInvalidAuthorityPort));

  HttpHarness h4;
  h4.Req("GET / HTTP/1.1\r\n  folded\r\nHost: a\r\n\r\n");
  EXPECT_TRUE(h4.parser->tx(0).HasEvent(HttpEvent::kInvalidRequestFieldFolding));
}

TEST(HttpParser, InvalidChunkLengthAndResync) {
  HttpHarness h;
  h.Req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\ngarbage\r\n"
        "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(h.parser->tx_count(), 2u);
  EXPECT_TRUE(h.parser->tx(0).HasEvent(HttpEvent::kInvalidRequestChunkLen));
  EXPECT_TRUE(h.parser->tx(0).flags & http_tx_flag::kRequestIncomplete);
  EXPECT_EQ(h.parser->tx(1).uri, "/after");
}

TEST(HttpParser, UnmatchedResponseAndResponseAnomalies) {
  HttpHarness h;
  h.Resp("HTTP/1.1 2x0 Weird\r\nContent-Length: abc\r\nTransfer-Encoding: gzip\r\n\r\n");
  ASSERT_EQ(h.parser->tx_count(), 1u);
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_TRUE(t.HasEvent(HttpEvent::kUnableToMatchResponseToRequest));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kResponseInvalidStatus));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kInvalidContentLengthFieldInResponse));
  EXPECT_TRUE(t.HasEvent(HttpEvent::kInvalidTransferEncodingValueInResponse));
  EXPECT_TRUE(t.flags & http_tx_flag::kUnmatchedResponse);
}

TEST(HttpParser, Http09RequestAndResponse) {
  HttpHarness h;
  h.Req("GET /old\r\n");
  h.Resp("<html>raw</html>");
  h.parser->OnEnd(Direction::kToClient);
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_TRUE(t.flags & http_tx_flag::kHttp09);
  EXPECT_TRUE(t.HasEvent(HttpEvent::kRequestLineMissingProtocol));
  EXPECT_FALSE(t.HasEvent(HttpEvent::kResponseInvalidProtocol));
  EXPECT_EQ(t.response_body, "<html>raw</html>");
  EXPECT_TRUE(t.done());
}

TEST(HttpParser, SwitchingProtocolsStopsParsing) {
  HttpHarness h;
  h.Req("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
  h.Resp("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello");
  h.Req("\x81\x85garbage that is not http\r\n\r\n");
  ASSERT_EQ(h.parser->tx_count(), 1u);
  EXPECT_TRUE(h.parser->tx(0).done());
  EXPECT_TRUE(h.parser->tx(0).flags & http_tx_flag::kProtocolSwitch);
  EXPECT_GT(h.Total("app.http.ignored_bytes"), 0u);
}

TEST(HttpParser, GapInBodyCountsBytesAndKeepsFraming) {
  HttpHarness h;
  h.Req("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nab");
  h.parser->OnGap(Direction::kToServer, 5);
  h.Req("xyz");
  h.Req("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(h.parser->tx_count(), 2u);
  const HttpTransaction& t = h.parser->tx(0);
  EXPECT_TRUE(t.request_done);
  EXPECT_EQ(t.request_body, "abxyz");
  EXPECT_EQ(t.request_body_len, 10u);
  EXPECT_TRUE(t.flags & http_tx_flag::kRequestGap);
  EXPECT_EQ(h.parser->tx(1).uri, "/next");
}

TEST(HttpParser, GapInHeadersResynchronises) {
  HttpHarness h;
  h.Req("GET /a HTTP/1.1\r\nHost: a\r\nX-Long: ");
  h.parser->OnGap(Direction::kToServer, 100);
  h.Req("rest of a lost line\r\nmore: junk\r\n\r\nGET /b HTTP/1.1\r\nHost: b\r\n\r\n");
  ASSERT_EQ(h.parser->tx_count(), 2u);
  EXPECT_TRUE(h.parser->tx(0).flags & http_tx_flag::kRequestGap);
  EXPECT_TRUE(h.parser->tx(0).request_done);
  EXPECT_EQ(h.parser->tx(1).uri, "/b");
  EXPECT_EQ(h.parser->tx(1).host, "b");
  EXPECT_EQ(h.Total("app.http.gaps"), 1u);
}

TEST(HttpParser, EndOfFlowHandsOverIncompleteTransactions) {
  HttpHarness h;
  h.Req("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\npartial");
  h.parser->OnEnd(Direction::kToServer);
  h.parser->OnEnd(Direction::kToClient);
  EXPECT_EQ(h.Drain(), 0u);  // no responses
  EXPECT_EQ(h.DrainAll(), 2u);
  ASSERT_EQ(h.done.size(), 2u);
  EXPECT_NE(h.done[1].find("req_body=[partial]"), std::string::npos);
  EXPECT_NE(h.done[1].find("flags=[" + std::to_string(http_tx_flag::kRequestIncomplete) + "]"),
            std::string::npos);
}

// The core incremental property: any split of the streams gives the same transactions.
TEST(HttpParser, AnySplitGivesTheSameTransactions) {
  std::string gz = Compress("compressed body " + std::string(5000, 'z'), 31);
  std::string req = std::string(kGet) +
                    "POST /p%2Fq HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n"
                    "GET /gz HTTP/1.1\r\nHost: c\r\nX-F: a\r\n b\r\n\r\n"
                    "HEAD /h HTTP/1.1\r\nHost: c\r\n\r\n";
  std::string resp = std::string(kOk) +
                     "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "3\r\nabc\r\n0\r\n\r\n"
                     "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
                     std::to_string(gz.size()) + "\r\n\r\n" + gz +
                     "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n";
  std::vector<std::string> reference;
  for (size_t mode : {size_t{0}, size_t{1}, size_t{2}, size_t{5}, size_t{17}, size_t{300}}) {
    HttpHarness h;
    h.Req(req, mode);
    h.Resp(resp, mode);
    h.parser->OnEnd(Direction::kToServer);
    h.parser->OnEnd(Direction::kToClient);
    h.DrainAll();
    ASSERT_EQ(h.done.size(), 4u) << "mode " << mode;
    if (mode == 0) {
      reference = h.done;
      EXPECT_NE(reference[2].find("resp_body=[compressed body zzz"), std::string::npos);
    } else {
      for (size_t i = 0; i < reference.size(); ++i) {
        EXPECT_EQ(h.done[i], reference[i]) << "mode " << mode << " tx " << i;
      }
    }
  }
}

TEST(HttpParser, DrainAllMidFlowIsSafe) {
  HttpHarness h;
  h.Req("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
  h.Resp("HTTP/1.1 200 OK\r\nX: ");
  EXPECT_EQ(h.DrainAll(), 1u);
  h.Req("defghij\r\n");  // rest of the handed-over body: skipped while resynchronising
  h.Resp("y\r\n\r\n");
  h.Req("GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(h.parser->tx_count(), 1u);
  EXPECT_EQ(h.parser->tx(0).uri, "/b");
}

TEST(HttpParser, ResetMakesTheParserReusable) {
  HttpHarness h;
  h.Req("GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: 50\r\n\r\npart");
  h.parser->Reset();
  EXPECT_EQ(h.parser->tx_count(), 0u);
  EXPECT_TRUE(h.parser->anomalies().empty());
  h.Req(kGet);
  h.Resp(kOk);
  ASSERT_EQ(h.parser->tx_count(), 1u);
  EXPECT_EQ(h.parser->tx(0).id, 0u);
  EXPECT_EQ(h.parser->tx(0).uri, "/a/cd?x=A");
  EXPECT_TRUE(h.parser->tx(0).done());
}

// Fuzzer regression (tests/fuzz/corpus/http_fuzz/diff_deflate_garbage): a read-until-close
// response labelled "deflate" whose body is garbage. Decoding must give the same transaction
// whether the body arrives whole or a byte at a time.
TEST(HttpParser, CorruptDeflateUntilCloseIsSplitIndependent) {
  HttpConfig small = testing::FuzzSmallLimits();
  const std::string req("GET ///b../a,/l%64?x=1 \xc8TTP/2/1.1\r\nHost: a\r\n\r\n");
  const std::string resp(
      "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n"
      "s2t: Wx\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x82\x82\x82\x82\x82\x82\x82\x82\x82"
      "\x82\x82\xff\xff\xff%\xff\x82\xff");
  std::vector<std::string> reference;
  for (size_t mode : {size_t{0}, size_t{1}, size_t{2}}) {
    HttpHarness h(small);
    h.Req(req, mode);
    h.Resp(resp, mode);
    h.parser->OnEnd(Direction::kToServer);
    h.parser->OnEnd(Direction::kToClient);
    h.DrainAll();
    ASSERT_EQ(h.done.size(), 1u) << "mode " << mode;
    if (mode == 0) {
      reference = h.done;
    } else {
      EXPECT_EQ(h.done, reference) << "mode " << mode;
    }
  }
}

}  // namespace
}  // namespace vigil::sensor
