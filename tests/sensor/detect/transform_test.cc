// Transforms, the base64 decoder and the base64_decode / base64_data keywords: unit checks of
// TransformChain and Base64Decode, then whole-engine checks that the prefilter and the payload
// keywords both see the transformed buffer.
#include <gtest/gtest.h>

#include "sensor/detect/base64_decoder.h"
#include "sensor/detect/transform_chain.h"
#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using rules::TransformKind;

std::string Apply(std::vector<rules::Transform> ts, std::string_view in) {
  auto chain = TransformChain::Compile(BufferId::kHttpUri, ts);
  EXPECT_TRUE(chain.ok()) << (chain.ok() ? "" : chain.error().message);
  if (!chain.ok()) return "<error>";
  PcreScratch pcre(3500, 1500);
  TransformScratch s(&pcre);
  std::vector<uint8_t> out;
  chain->Apply(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(in.data()), in.size()), s, &out);
  return std::string(out.begin(), out.end());
}

std::string Hex(const std::string& s) {
  static const char* d = "0123456789abcdef";
  std::string o;
  for (unsigned char c : s) {
    o += d[c >> 4];
    o += d[c & 15];
  }
  return o;
}

TEST(TransformChain, TextTransforms) {
  EXPECT_EQ(Apply({{TransformKind::kDotPrefix, ""}}, "a.example.com"), ".a.example.com");
  EXPECT_EQ(Apply({{TransformKind::kDotPrefix, ""}}, ""), "");
  EXPECT_EQ(Apply({{TransformKind::kStripWhitespace, ""}}, " a \tb\r\n c "), "abc");
  EXPECT_EQ(Apply({{TransformKind::kCompressWhitespace, ""}}, "a  \t b\r\nc"), "a b c");
  EXPECT_EQ(Apply({{TransformKind::kToLowercase, ""}}, "AbC-1"), "abc-1");
  EXPECT_EQ(Apply({{TransformKind::kToUppercase, ""}}, "AbC-1"), "ABC-1");
  EXPECT_EQ(Apply({{TransformKind::kUrlDecode, ""}}, "/a%27b+c%2"), "/a'b c%2");
  EXPECT_EQ(Apply({{TransformKind::kUrlDecode, ""}}, "%zz%41"), "%zzA");
  EXPECT_EQ(Apply({{TransformKind::kHeaderLowercase, ""}}, "Accept-Ranges: Bytes\r\nX-A: B:C\r\n"),
            "accept-ranges: Bytes\r\nx-a: B:C\r\n");
  EXPECT_EQ(Apply({{TransformKind::kStripPseudoHeaders, ""}}, ":method: GET\r\nHost: a\r\n:path: /\r\n"),
            "Host: a\r\n");
}

TEST(TransformChain, DigestsXorPcrexformBase64) {
  EXPECT_EQ(Hex(Apply({{TransformKind::kToMd5, ""}}, "abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Hex(Apply({{TransformKind::kToSha1, ""}}, "abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Hex(Apply({{TransformKind::kToSha256, ""}}, "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Apply({{TransformKind::kXor, std::string("\x01\x02", 2)}}, std::string("\x60\x60\x62", 3)), "abc");
  EXPECT_EQ(Apply({{TransformKind::kPcreXform, "id=([a-z]+)"}}, "/x?id=abc&y"), "abc");
  EXPECT_EQ(Apply({{TransformKind::kPcreXform, "id=([a-z]+)"}}, "/x?no"), "/x?no");  // unchanged
  EXPECT_EQ(Apply({{TransformKind::kFromBase64, ""}}, "Zm9vYmFy"), "foobar");
  EXPECT_EQ(Apply({{TransformKind::kFromBase64, "offset 6, mode rfc2045"}}, "/?arg=Zm 9v Ym Fy"), "foobar");
  EXPECT_NE(Apply({{TransformKind::kFromBase64, "offset 6, mode rfc4648"}}, "/?arg=Zm 9v Ym Fy"), "foobar");
  EXPECT_EQ(Apply({{TransformKind::kFromBase64, "offset 6, mode strict"}}, "/?arg=Zm 9v Ym Fy"), "");
  EXPECT_EQ(Apply({{TransformKind::kFromBase64, "offset 99"}}, "Zm9v"), "");
  EXPECT_EQ(Apply({{TransformKind::kFromBase64, "bytes 4"}}, "Zm9vYmFy"), "foo");
  // Chains run in order; with three steps the scratch vector is used twice.
  EXPECT_EQ(Apply({{TransformKind::kStripWhitespace, ""}, {TransformKind::kToLowercase, ""},
                   {TransformKind::kDotPrefix, ""}},
                  "A B.Com"),
            ".ab.com");
}

TEST(TransformChain, BadArgumentsFailToCompile) {
  EXPECT_FALSE(TransformChain::Compile(BufferId::kHttpUri, {{TransformKind::kPcreXform, "no-group"}}).ok());
  EXPECT_FALSE(TransformChain::Compile(BufferId::kHttpUri, {{TransformKind::kPcreXform, "(unclosed"}}).ok());
  EXPECT_FALSE(TransformChain::Compile(BufferId::kHttpUri, {{TransformKind::kFromBase64, "mode odd"}}).ok());
}

std::string Decode(std::string_view in, Base64Mode mode, size_t cap = 64) {
  std::vector<uint8_t> out(cap);
  size_t n = Base64Decode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(in.data()), in.size()),
                          mode, out);
  return std::string(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
}

TEST(Base64, Modes) {
  EXPECT_EQ(Decode("aGVsbG8gd29ybGQ=", Base64Mode::kRfc4648), "hello world");
  EXPECT_EQ(Decode("aGVs\r\nbG8=", Base64Mode::kRfc2045), "hello");
  EXPECT_EQ(Decode("aGVs\r\nbG8=", Base64Mode::kRfc4648), "hel");
  EXPECT_EQ(Decode("aGVs\r\nbG8=", Base64Mode::kStrict), "");
  EXPECT_EQ(Decode("aGVsbA", Base64Mode::kRfc4648), "hell");  // unpadded tail
  EXPECT_EQ(Decode("aGVsbG8gd29ybGQ=", Base64Mode::kRfc4648, 4), "hell");  // capped
  EXPECT_EQ(Decode("", Base64Mode::kRfc2045), "");
}

// Inspects app-layer buffers `b` of a flow whose protocol is `proto`.
std::vector<uint32_t> RunApp(Harness& h, const Packet& p, BufferSet& b, std::string_view proto) {
  InspectInput in{.packet = &p, .buffers = &b, .flow = &h.flow, .to_server = true,
                  .established = true, .app_proto = proto};
  h.thread->Inspect(in, &h.q);
  return Sids(h.q);
}

TEST(Transforms, DotprefixPrefiltersOnTheTransformedQuery) {
  Harness h(R"(alert dns any any -> any any (dns.query; dotprefix; content:".example.com"; endswith; sid:1;)
alert dns any any -> any any (dns.query; content:"evil"; dotprefix; content:".evil.org"; sid:2;))");
  EXPECT_EQ(h.engine->stats().rules_compiled, 2u);
  EXPECT_EQ(h.engine->stats().transform_chains, 1u);  // the same chain on dns.query, shared
  auto p = MakePacket(17, "10.0.0.1", 1234, "10.0.0.2", 53, "");
  auto run = [&](std::string_view q) {
    BufferSet b;
    b.Set(BufferId::kDnsQuery, q);
    return RunApp(h, p->pkt, b, "dns");
  };
  EXPECT_THAT(run("example.com"), ElementsAre(1u));
  EXPECT_THAT(run("www.example.com"), ElementsAre(1u));
  EXPECT_THAT(run("fakeexample.com"), IsEmpty());
  EXPECT_THAT(run("a.evil.org"), ElementsAre(2u));
  EXPECT_THAT(run("a.notevil.org"), IsEmpty());
  // Each inspection computes the chain once although the prefilter and two rules read it.
  const uint64_t before = h.thread->local(DetectCounters::kTransforms);
  run("www.example.com");
  EXPECT_EQ(h.thread->local(DetectCounters::kTransforms), before + 1);
}

TEST(Transforms, ChainsOnHttpBuffers) {
  Harness h(R"R(alert http any any -> any any (http.uri; url_decode; to_lowercase; content:"/admin'"; sid:1;)
alert http any any -> any any (http.header; header_lowercase; content:"accept-ranges:"; sid:2;)
alert http any any -> any any (http.uri; to_md5; content:"|90 01 50 98 3c d2 4f b0 d6 96 3f 7d 28 e1 7f 72|"; sid:3;)
alert http any any -> any any (file_data; compress_whitespace; content:"embrace holistically"; sid:4;)
alert http any any -> any any (http.uri; pcrexform:"u=([^&]+)"; bsize:5; content:"alice"; sid:5;))R");
  EXPECT_EQ(h.engine->stats().rules_compiled, 5u);
  auto p = MakePacket(6, "10.0.0.1", 1234, "10.0.0.2", 80, "");
  auto run = [&](std::string_view uri, std::string_view hdr, std::string_view body) {
    BufferSet b;
    b.Set(BufferId::kHttpUri, uri);
    b.Set(BufferId::kHttpHeader, hdr);
    b.Set(BufferId::kFileData, body);
    return RunApp(h, p->pkt, b, "http");
  };
  EXPECT_THAT(run("/ADMIN%27", "Accept-Ranges: bytes\r\n", "x"), ElementsAre(1u, 2u));
  EXPECT_THAT(run("abc", "Host: a\r\n", "embrace \r\n\t holistically"), ElementsAre(3u, 4u));
  EXPECT_THAT(run("/l?u=alice&x=1", "", "embraceholistically"), ElementsAre(5u));
  EXPECT_THAT(run("/l?u=alicia&x=1", "", ""), IsEmpty());  // bsize measures the transformed buffer
}

TEST(Base64Keywords, DecodeThenInspectBase64Data) {
  // "hello world" = aGVsbG8gd29ybGQ=
  Harness h(R"(alert udp any any -> any any (content:"k="; base64_decode:relative; base64_data; content:"world"; sid:1;)
alert udp any any -> any any (content:"k="; base64_decode:bytes 8,offset 2,relative; base64_data; content:"world"; sid:2;)
alert udp any any -> any any (content:"k="; base64_decode:relative; base64_data; content:"hello"; startswith; sid:3;))");
  EXPECT_EQ(h.engine->stats().rules_compiled, 3u);
  EXPECT_THAT(h.Run(MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "x k=aGVsbG8gd29ybGQ=")->pkt), ElementsAre(1u, 3u));
  EXPECT_THAT(h.Run(MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "x k=!!")->pkt), IsEmpty());
  // Nothing decodes after the first "k=": the content is searched again (relative next keyword).
  EXPECT_THAT(h.Run(MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "k=!! k=aGVsbG8gd29ybGQ=")->pkt), ElementsAre(1u, 3u));
  // bytes 8 from 2 past "k=" decode a misaligned slice: no "world" for sid 2.
  EXPECT_THAT(h.Run(MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "k=aGVsbG8gd29ybGQ=")->pkt), ElementsAre(1u, 3u));
}

TEST(Base64Keywords, Base64DataIsNeverTheFastPattern) {
  Harness h(R"(alert udp any any -> any any (content:"k="; base64_decode:relative; base64_data; content:"a-much-longer-string"; sid:1;))");
  ASSERT_EQ(h.engine->rules().size(), 1u);
  ASSERT_TRUE(h.engine->rules()[0].fast_pattern.has_value());
  EXPECT_EQ(h.engine->rules()[0].fast_pattern->buffer, BufferId::kPacket);
  EXPECT_EQ(h.engine->rules()[0].fast_pattern->bytes, "k=");
}

}  // namespace
}  // namespace vigil::sensor::testing
