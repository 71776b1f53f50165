// HTTP/1.x parser: the libhtp(-rs) behaviours behind the http-evader cases that need more than a
// lenient token reader (layered Content-Encoding, bodies of 1xx/204/304 responses, folded and
// deformed header lines, odd line ends, junk before the status line). Each is checked in several
// splits (whole, byte by byte, small chunks): the result must not depend on segmenting.
#include <gtest/gtest.h>

#include <string>

#include "sensor/app/http/http_parser.h"
#include "tests/sensor/app/http_test_util.h"

namespace vigil::sensor {
namespace {

using testing::Compress;
using testing::Describe;
using testing::HttpHarness;

constexpr std::string_view kText = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE";

using Outcome = testing::ResponseOutcome;
using testing::RunAllSplits;

bool Has(const Outcome& o, HttpEvent e) { return o.events & (uint64_t{1} << static_cast<unsigned>(e)); }

std::string WithLength(std::string_view head, std::string_view body) {
  return std::string(head) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

// --- Content-Encoding layers --------------------------------------------------------------

TEST(HttpEvader, TwoCodingsAreUndoneLastFirst) {
  std::string gz_then_deflate = Compress(Compress(kText, 31), -15);
  Outcome o = RunAllSplits(WithLength("HTTP/1.1 200 ok\r\nContent-Encoding: gzip, deflate\r\n",
                                      gz_then_deflate));
  EXPECT_EQ(o.body, kText);
  EXPECT_FALSE(Has(o, HttpEvent::kGzipDecompressionFailed));
  // The same list split over two headers (joined as libhtp joins them).
  Outcome two = RunAllSplits(WithLength(
      "HTTP/1.1 200 ok\r\nContent-Encoding: gzip\r\nContent-Encoding: deflate\r\n", gz_then_deflate));
  EXPECT_EQ(two.body, kText);
  // gzip twice.
  Outcome twice = RunAllSplits(WithLength(
      "HTTP/1.1 200 ok\r\nContent-Encoding: gzip\r\nContent-Encoding: gzip\r\n",
      Compress(Compress(kText, 31), 31)));
  EXPECT_EQ(twice.body, kText);
}

TEST(HttpEvader, LayersPastTheLimitAreNotUndone) {
  std::string three = Compress(Compress(Compress(kText, -15), 31), -15);
  std::string resp =
      WithLength("HTTP/1.1 200 ok\r\nContent-Encoding: deflate,gzip,deflate\r\n", three);
  Outcome two = RunAllSplits(resp);  // default: 2 layers
  EXPECT_NE(two.body, kText);
  HttpConfig cfg;
  cfg.decompress_max_layers = 3;
  Outcome all = RunAllSplits(resp, cfg);
  EXPECT_EQ(all.body, kText);
}

TEST(HttpEvader, TokenContainingACodingNameSelectsIt) {
  // libhtp: a token that contains "gzip" / "deflate" (here after a NBSP) is that coding.
  Outcome o = RunAllSplits(
      WithLength("HTTP/1.1 200 ok\r\nContent-Encoding:\xa0gzip\r\n", Compress(kText, 31)));
  EXPECT_EQ(o.body, kText);
  Outcome d = RunAllSplits(
      WithLength("HTTP/1.1 200 ok\r\nContent-Encoding: deflate\xa0\r\n", Compress(kText, -15)));
  EXPECT_EQ(d.body, kText);
}

TEST(HttpEvader, PlainLayerUnderARealOnePassesThrough) {
  // "gzip, gzip" over a body gzipped once: the second layer finds plain text and passes it on.
  Outcome o = RunAllSplits(
      WithLength("HTTP/1.1 200 ok\r\nContent-Encoding: gzip, gzip\r\n", Compress(kText, 31)));
  EXPECT_EQ(o.body, kText);
  EXPECT_TRUE(Has(o, HttpEvent::kGzipDecompressionFailed));
}

TEST(HttpEvader, PlainTextThatInflatesToGarbageIsTakenBack) {
  // '{' starts a valid raw-deflate block: it decodes a few garbage bytes before failing. libhtp
  // re-reads such a body as not coded (the garbage never reaches its 8 KiB output block).
  std::string json = R"({"sdk_version":11026,"app_package":"com.x","device_id":"35067"})";
  Outcome o = RunAllSplits(WithLength("HTTP/1.1 200 ok\r\nContent-Encoding: gzip\r\n", json));
  EXPECT_EQ(o.body, json);
  EXPECT_TRUE(Has(o, HttpEvent::kGzipDecompressionFailed));
}

TEST(HttpEvader, RequestBodyWithContentEncodingIsDecoded) {
  std::string form = "name=value&x=1";
  for (std::string_view coded : {std::string_view("gzip"), std::string_view("plain")}) {
    std::string body = coded == "gzip" ? Compress(form, 31) : form;
    std::string req = "POST /p HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body;
    for (size_t mode : {size_t{0}, size_t{1}, size_t{5}}) {
      std::string got;
      testing::RunExchange({}, req, "HTTP/1.1 200 ok\r\nContent-Length: 0\r\n\r\n", mode,
                           [&](const HttpTransaction& t) { got = t.request_body; });
      EXPECT_EQ(got, form) << coded << " mode " << mode;
    }
  }
}

TEST(HttpEvader, BombCapsHoldForEveryLayer) {
  std::string zeros(4 * 1024 * 1024, '\0');
  std::string bomb = Compress(Compress(zeros, 31), 31);
  HttpConfig cfg;
  cfg.response_body_limit = 8 * 1024 * 1024;
  Outcome o = testing::RunResponse(cfg, WithLength("HTTP/1.1 200 ok\r\nContent-Encoding: gzip, gzip\r\n", bomb), 0);
  EXPECT_TRUE(Has(o, HttpEvent::kCompressionBomb));
  EXPECT_LE(o.body.size(), cfg.decompress_max_output);
}

// --- bodies where RFC says none -------------------------------------------------------------

TEST(HttpEvader, NoBodyStatusWithFramingHasABody) {
  for (std::string_view status : {"100", "101", "102", "204", "304"}) {
    Outcome o = RunAllSplits(WithLength("HTTP/1.1 " + std::string(status) + " ok\r\n", kText));
    EXPECT_EQ(o.body, kText) << status;
    EXPECT_FALSE(o.flags & http_tx_flag::kProtocolSwitch) << status;
  }
  Outcome chunked = RunAllSplits(
      "HTTP/1.1 204 ok\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.body, "hello");
  // Without framing they still have none: the next response pairs with the next request.
  HttpHarness h;
  h.Req("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
  h.Resp("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr2");
  ASSERT_EQ(h.parser->tx_count(), 2u);
  EXPECT_TRUE(h.parser->tx(0).response_body.empty());
  EXPECT_EQ(h.parser->tx(1).response_body, "r2");
}

// --- header lines -------------------------------------------------------------------------

TEST(HttpEvader, FoldedLineThatReadsAsAFieldIsANewField) {
  for (std::string_view fold : {" ", "\t"}) {
    Outcome o = RunAllSplits("HTTP/1.1 200 ok\r\nConnection: close\r\n" + std::string(fold) +
                             "Transfer-Encoding: chunked\r\nX: y\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(o.body, "hello");
  }
  // A folded continuation that is no field still joins the value.
  HttpHarness h;
  h.Req("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  h.Resp("HTTP/1.1 200 ok\r\nServer: a\r\n b c\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(h.parser->tx_count(), 1u);
  EXPECT_EQ(h.parser->tx(0).server, "a b c");
}

TEST(HttpEvader, NameWaitingForItsColonTakesTheFoldedLines) {
  for (std::string_view sep : {"\r\n :\r\n ", "\r\n \r\n :\r\n ", "\r\n :"}) {
    Outcome o = RunAllSplits("HTTP/1.1 200 ok\r\nTransfer-Encoding" + std::string(sep) +
                             "chunked\r\nX: y\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(o.body, "hello");
  }
}

TEST(HttpEvader, EmptyValueTakesTheNextLine) {
  // libhtp-rs' deformed separator: "Name:" + line end + anything is that name's value.
  Outcome te = RunAllSplits("HTTP/1.1 200 ok\r\nTransfer-Encoding:\n" + std::string(1, '\0') +
                            "chunked\r\nX: y\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(te.body, "hello");
  Outcome sp = RunAllSplits("HTTP/1.1 200 ok\r\nTransfer-Encoding: \r\n \r\n chunked\r\n\r\n"
                            "5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(sp.body, "hello");
}

TEST(HttpEvader, WhitespaceLineEndsHeadersUnlessAFieldFollows) {
  Outcome end = RunAllSplits("HTTP/1.1 200 ok\r\nTransfer-Encoding: chunked\r\nX: y\n \n"
                             "5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(end.body, "hello");
  Outcome tab = RunAllSplits("HTTP/1.1 200 ok\r\nContent-Length: 5\n\t\nhello");
  EXPECT_EQ(tab.body, "hello");
  Outcome field = RunAllSplits("HTTP/1.1 200 ok\r\nX: y\r\n \r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(field.body, "hello");
}

TEST(HttpEvader, OddLineEndsInResponseHeaders) {
  // "\n\r" is one end of line.
  Outcome lfcr = RunAllSplits("HTTP/1.1 200 ok\n\rContent-Length: 5\n\rX: y\r\n\r\nhello");
  EXPECT_EQ(lfcr.body, "hello");
  // "\n\r\r\n" then a body: the headers ended; then a blank line: one deformed end of line.
  Outcome ended = RunAllSplits("HTTP/1.1 200 ok\r\nContent-Length: 5\n\r\r\nhello");
  EXPECT_EQ(ended.body, "hello");
  Outcome deformed = RunAllSplits("HTTP/1.1 200 ok\r\nContent-Length: 5\n\r\r\n\r\nhello");
  EXPECT_EQ(deformed.body, "hello");
  // "\r\n\r\r\n" inside the headers does not end them.
  Outcome inside = RunAllSplits("HTTP/1.1 200 ok\r\nX: y\r\n\r\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(inside.body, "hello");
  // A status line and header lines ended by a lone CR.
  Outcome cr = RunAllSplits("HTTP/1.1 200 ok\rContent-Length: 5\rX: y\r\n\nhello");
  EXPECT_EQ(cr.body, "hello");
}

// --- before the status line ------------------------------------------------------------------

TEST(HttpEvader, JunkBeforeTheStatusLine) {
  for (std::string_view junk : {" \r\n", " \n", " \t\r\r\n", "foobar\r\n", "ab\r\n"}) {
    Outcome o = RunAllSplits(std::string(junk) + "HTTP/1.1 200 ok\r\nContent-Length: 5\r\n\r\nhello");
    EXPECT_EQ(o.body, "hello") << junk;
    EXPECT_EQ(o.txs, 1u) << junk;
  }
  // A longer line that no status line follows starts a bare body.
  Outcome bare = RunAllSplits("foobar\r\nhello");
  EXPECT_EQ(bare.body, "foobar\r\nhello");
  // A bare body with no line end at all, ended by the close.
  Outcome close = RunAllSplits(kText);
  EXPECT_EQ(close.body, kText);
}

}  // namespace
}  // namespace vigil::sensor
