// HTTP/1.x parser: what libhtp accepts from odd servers (the http-evader cases), each checked
// in several splits (whole, byte by byte, random chunks) so leniency never depends on segmenting.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sensor/app/http/http_parser.h"
#include "tests/sensor/app/http_test_util.h"

namespace vigil::sensor {
namespace {

using testing::Compress;
using testing::Describe;
using testing::HttpHarness;

constexpr std::string_view kBodyText = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS";

using Outcome = testing::ResponseOutcome;
using testing::RunAllSplits;

bool Has(const Outcome& o, HttpEvent e) { return o.events & (uint64_t{1} << static_cast<unsigned>(e)); }

std::string Chunked(std::string_view size_suffix) {
  std::string out;
  std::string_view rest = kBodyText;
  while (!rest.empty()) {
    size_t n = std::min<size_t>(rest.size(), 15);
    char hex[8];
    std::snprintf(hex, sizeof(hex), "%zx", n);
    out += hex;
    out += size_suffix;
    out += "\r\n";
    out += rest.substr(0, n);
    out += "\r\n";
    rest.remove_prefix(n);
  }
  return out + "0\r\n\r\n";
}

constexpr std::string_view kChunkedHead = "HTTP/1.1 200 ok\r\nTransfer-Encoding: chunked\r\n\r\n";

TEST(HttpLeniency, JunkAfterChunkSizeIsIgnored) {
  // A stray CR, NUL, VT, FF or " x" after the hex digits: libhtp cuts it off.
  for (std::string_view junk : {std::string_view("\r"), std::string_view("\0", 1),
                                std::string_view("\v"), std::string_view("\f"),
                                std::string_view(" x"), std::string_view(";ext=1")}) {
    Outcome o = RunAllSplits(std::string(kChunkedHead) + Chunked(junk));
    EXPECT_EQ(o.body, kBodyText) << "junk " << static_cast<int>(junk[0]);
    EXPECT_FALSE(Has(o, HttpEvent::kInvalidResponseChunkLen));
  }
}

TEST(HttpLeniency, LeadingWhitespaceBeforeChunkSizeIsSkipped) {
  Outcome o = RunAllSplits(std::string(kChunkedHead) + "  \t5\r\nhello\r\n\v0\r\n\r\n");
  EXPECT_EQ(o.body, "hello");
}

TEST(HttpLeniency, ResponseThatIsNotChunkedAfterAllIsReadUntilClose) {
  // Transfer-Encoding says chunked, the body is not: libhtp falls back to identity.
  Outcome o = RunAllSplits(std::string(kChunkedHead) + std::string(kBodyText));
  EXPECT_EQ(o.body, kBodyText);
  EXPECT_TRUE(Has(o, HttpEvent::kInvalidResponseChunkLen));
  // A chunk size too large for libhtp (over INT32_MAX) is invalid too.
  Outcome big = RunAllSplits(std::string(kChunkedHead) + "80000000\r\nabc");
  EXPECT_EQ(big.body, "80000000\r\nabc");
  EXPECT_TRUE(Has(big, HttpEvent::kInvalidResponseChunkLen));
}

TEST(HttpLeniency, RequestWithInvalidChunkSizeStillResynchronises) {
  HttpHarness h;
  h.Req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
        "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(h.parser->tx_count(), 2u);
  EXPECT_TRUE(h.parser->tx(0).HasEvent(HttpEvent::kInvalidRequestChunkLen));
}

TEST(HttpLeniency, ChunkedAnywhereInTransferEncodingMeansChunked) {
  for (std::string_view te : {"chunked;", "chunkedx", "x chunked", "x \r\n chunked", "lalala, chunked",
                              ": chunked", "CHUNKED"}) {
    Outcome o = RunAllSplits("HTTP/1.1 200 ok\r\nTransfer-Encoding: " + std::string(te) +
                             "\r\n\r\n" + Chunked(""));
    EXPECT_EQ(o.body, kBodyText) << te;
    EXPECT_EQ(Has(o, HttpEvent::kInvalidTransferEncodingValueInResponse), te != "CHUNKED") << te;
  }
  Outcome plain = RunAllSplits("HTTP/1.1 200 ok\r\nTransfer-Encoding: gzip\r\n\r\n5\r\nhello");
  EXPECT_EQ(plain.body, "5\r\nhello");  // no "chunked": read until close
}

TEST(HttpLeniency, StatusLineProtocolIsCaseInsensitive) {
  Outcome o = RunAllSplits("http/1.1 200 ok\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(o.body, "hello");
  EXPECT_FALSE(Has(o, HttpEvent::kResponseInvalidProtocol));
  EXPECT_NE(o.described.find("status=[200]"), std::string::npos);
  Outcome bad = RunAllSplits("htp/1.1 200 ok\r\n\r\n");
  EXPECT_TRUE(Has(bad, HttpEvent::kResponseInvalidProtocol));
}

TEST(HttpLeniency, LoneCrEndsAResponseHeaderLine) {
  Outcome o = RunAllSplits("HTTP/1.1 200 ok\r\nX-A: 1\rTransfer-Encoding: chunked\r\n\r\n" +
                           Chunked(""));
  EXPECT_EQ(o.body, kBodyText);
  // A CR at the end of one segment and the LF at the start of the next still make one CRLF.
  HttpHarness h;
  h.Req("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  h.Resp("HTTP/1.1 200 ok\r\nContent-Length: 2\r");
  h.Resp("\n\r");
  h.Resp("\nok");
  ASSERT_EQ(h.parser->tx_count(), 1u);
  EXPECT_EQ(h.parser->tx(0).response_body, "ok");
  EXPECT_TRUE(h.parser->tx(0).done());
}

TEST(HttpLeniency, ContentEncodingListsAndOddSpellings) {
  std::string page = std::string(kBodyText) + std::string(200, 'y');
  std::string gz = Compress(page, 31);
  for (std::string_view ce : {"identity, gzip", "gzip, identity", "x gzip", ": gzip", "gzip, gzip",
                              "gzip\r\nContent-Encoding: deflate"}) {
    Outcome o = RunAllSplits("HTTP/1.1 200 ok\r\nContent-Encoding: " + std::string(ce) +
                             "\r\nContent-Length: " + std::to_string(gz.size()) + "\r\n\r\n" + gz);
    EXPECT_EQ(o.body, page) << ce;
  }
  // NUL bytes in the name or value, VT / FF as whitespace, a trailing ';'.
  const std::string nul(1, '\0');
  for (const std::string& field :
       {"Content-Encoding: gz" + nul + "ip", "Content" + nul + "-Encoding: gzip",
        std::string("Content-Encoding\v: gzip"), std::string("Content-Encoding:\fgzip"),
        std::string("Content-Encoding: gzip;")}) {
    Outcome o = RunAllSplits("HTTP/1.1 200 ok\r\n" + field + "\r\nContent-Length: " +
                             std::to_string(gz.size()) + "\r\n\r\n" + gz);
    EXPECT_EQ(o.body, page) << field;
  }
  // "lzma" is not decoded: the body stays as it came.
  Outcome lz = RunAllSplits("HTTP/1.1 200 ok\r\nContent-Encoding: lzma\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(lz.body, "abc");
}

TEST(HttpLeniency, GzipHeaderFlagsAreWalkedNotChecked) {
  std::string page = std::string(kBodyText) + std::string(100, 'z');
  std::string gz = Compress(page, 31);
  ASSERT_GE(gz.size(), 18u);
  std::string deflated = gz.substr(10, gz.size() - 18);
  std::string head = gz.substr(0, 10);
  auto with_flags = [&](uint8_t flg, std::string_view extra) {
    std::string h = head;
    h[3] = static_cast<char>(flg);
    return h + std::string(extra) + deflated + gz.substr(gz.size() - 8);
  };
  std::vector<std::string> bodies = {
      with_flags(0x02, std::string("\x00\x00", 2)),             // FHCRC with a wrong CRC
      with_flags(0x40, ""), with_flags(0x80, ""),               // reserved bits
      with_flags(0x04, std::string("\x03\x00" "abc", 5)),       // FEXTRA
      with_flags(0x18, std::string("name\0comment\0", 13)),     // FNAME + FCOMMENT
  };
  for (const std::string& body : bodies) {
    Outcome o = RunAllSplits("HTTP/1.1 200 ok\r\nContent-Encoding: gzip\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_EQ(o.body, page) << "flags " << static_cast<int>(static_cast<uint8_t>(body[3]));
  }
}

TEST(HttpLeniency, UncompressedBodyLabelledCompressedPassesThrough) {
  Outcome o = RunAllSplits("HTTP/1.1 200 ok\r\nContent-Encoding: gzip\r\nContent-Length: " +
                           std::to_string(kBodyText.size()) + "\r\n\r\n" + std::string(kBodyText));
  EXPECT_EQ(o.body, kBodyText);
  EXPECT_TRUE(Has(o, HttpEvent::kGzipDecompressionFailed));
}

}  // namespace
}  // namespace vigil::sensor
