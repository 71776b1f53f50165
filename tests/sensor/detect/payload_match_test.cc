// Content, pcre and byte_* semantics through the whole engine (UDP pkt_data, no stream).
#include <gtest/gtest.h>

#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

TEST(Content, PlainAndNocase) {
  EXPECT_TRUE(Match(R"(content:"evil";)", "some evil here"));
  EXPECT_FALSE(Match(R"(content:"evil";)", "some EVIL here"));
  EXPECT_TRUE(Match(R"(content:"evil"; nocase;)", "some EVIL here"));
  EXPECT_TRUE(Match(R"(content:"|00 01|ab";)", std::string("x\0\x01" "ab", 5)));
}

TEST(Content, OffsetDepth) {
  EXPECT_TRUE(Match(R"(content:"abc"; offset:2;)", "xxabc"));
  EXPECT_FALSE(Match(R"(content:"abc"; offset:3;)", "xxabcyy"));
  EXPECT_TRUE(Match(R"(content:"abc"; depth:3;)", "abcxx"));
  EXPECT_FALSE(Match(R"(content:"abc"; depth:3;)", "xabc"));
  // depth counts from offset: window [2, 6).
  EXPECT_TRUE(Match(R"(content:"abcd"; offset:2; depth:4;)", "xxabcd"));
  EXPECT_FALSE(Match(R"(content:"abcd"; offset:2; depth:4;)", "xxxabcd"));
}

TEST(Content, DistanceWithin) {
  EXPECT_TRUE(Match(R"(content:"a"; content:"b"; distance:0;)", "ab"));
  EXPECT_TRUE(Match(R"(content:"a"; content:"b"; distance:2;)", "a--b"));
  EXPECT_FALSE(Match(R"(content:"a"; content:"b"; distance:3;)", "a--b"));
  EXPECT_TRUE(Match(R"(content:"a"; content:"bc"; within:2;)", "abc"));
  EXPECT_FALSE(Match(R"(content:"a"; content:"bc"; within:2;)", "a-bc"));
  // within counts from the previous match end plus distance.
  EXPECT_TRUE(Match(R"(content:"a"; content:"bc"; distance:1; within:2;)", "a-bc"));
  EXPECT_FALSE(Match(R"(content:"a"; content:"bc"; distance:1; within:2;)", "a--bc"));
  // A negative distance looks back before the previous match end.
  EXPECT_TRUE(Match(R"(content:"cd"; content:"bcd"; distance:-3; within:3;)", "abcd"));
}

TEST(Content, BacktracksWhenRelativeContentFails) {
  // First "a" is followed by "-", the second by "b": Suricata re-searches "a".
  EXPECT_TRUE(Match(R"(content:"a"; content:"b"; within:1;)", "a-ab"));
  EXPECT_TRUE(Match(R"(content:"GET"; content:"x"; distance:1; within:1;)", "GET GETzx"));
  // Three levels: a, then b right after, then c right after b.
  EXPECT_TRUE(Match(R"(content:"a"; content:"b"; within:1; content:"c"; within:1;)", "abxab-abc"));
  EXPECT_FALSE(Match(R"(content:"a"; content:"b"; within:1; content:"c"; within:1;)", "abxab-ab"));
}

TEST(Content, NoBacktrackForAbsoluteNext) {
  // The second content is absolute: re-searching the first cannot help; result is the same.
  EXPECT_TRUE(Match(R"(content:"a"; content:"z"; offset:3;)", "a--z"));
  EXPECT_FALSE(Match(R"(content:"a"; content:"z"; depth:2;)", "a--z"));
}

TEST(Content, Negation) {
  EXPECT_TRUE(Match(R"(content:"a"; content:!"b";)", "a"));
  EXPECT_FALSE(Match(R"(content:"a"; content:!"b";)", "ab"));
  EXPECT_TRUE(Match(R"(content:"a"; content:!"b"; within:1;)", "acb"));
  EXPECT_FALSE(Match(R"(content:"a"; content:!"b"; within:1;)", "ab"));
  EXPECT_TRUE(Match(R"(content:!"zzz";)", "abc"));
  EXPECT_FALSE(Match(R"(content:!"zzz";)", "azzzc"));
}

TEST(Content, StartsWithEndsWith) {
  EXPECT_TRUE(Match(R"(content:"GET"; startswith;)", "GET /"));
  EXPECT_FALSE(Match(R"(content:"GET"; startswith;)", " GET /"));
  EXPECT_TRUE(Match(R"(content:".exe"; endswith;)", "a.exe"));
  EXPECT_FALSE(Match(R"(content:".exe"; endswith;)", "a.exe "));
  EXPECT_FALSE(Match(R"(content:".exe"; endswith;)", "a.exe.exx"));
}

TEST(Content, IsDataAtAndBsize) {
  EXPECT_TRUE(Match(R"(content:"ab"; isdataat:1,relative;)", "abc"));
  EXPECT_FALSE(Match(R"(content:"ab"; isdataat:2,relative;)", "abc"));
  EXPECT_TRUE(Match(R"(content:"ab"; isdataat:!2,relative;)", "abc"));
  EXPECT_TRUE(Match(R"(content:"ab"; isdataat:2;)", "abc"));
  EXPECT_FALSE(Match(R"(content:"ab"; isdataat:3;)", "abc"));
  // bsize measures a sticky buffer.
  Harness h(R"(alert dns any any -> any any (dns.query; content:"ab"; bsize:3; sid:1;)
alert dns any any -> any any (dns.query; content:"ab"; bsize:>3; sid:2;))");
  auto p = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 53, "");
  BufferSet b;
  b.Set(BufferId::kDnsQuery, std::string_view("abc"));
  InspectInput in{.packet = &p->pkt, .buffers = &b, .app_proto = "dns"};
  h.thread->Inspect(in, &h.q);
  EXPECT_EQ(Sids(h.q), std::vector<uint32_t>{1});
}

TEST(Pcre, FlagsAndRelative) {
  EXPECT_TRUE(Match(R"(pcre:"/ev[a-z]l/";)", "xx evil"));
  EXPECT_FALSE(Match(R"(pcre:"/ev[a-z]l/";)", "xx EVIL"));
  EXPECT_TRUE(Match(R"(pcre:"/ev[a-z]l/i";)", "xx EVIL"));
  EXPECT_TRUE(Match(R"(pcre:"/a.b/s";)", "a\nb"));
  EXPECT_FALSE(Match(R"(pcre:"/a.b/";)", "a\nb"));
  EXPECT_TRUE(Match(R"(pcre:"/^b/m";)", "a\nb"));
  EXPECT_FALSE(Match(R"(pcre:"/^b/";)", "a\nb"));
  EXPECT_TRUE(Match(R"(pcre:"/a b c/x";)", "abc"));
  EXPECT_FALSE(Match(R"(pcre:"/b/A";)", "ab"));
  EXPECT_TRUE(Match(R"(content:"a"; pcre:"/^b/R";)", "ab"));
  EXPECT_FALSE(Match(R"(content:"a"; pcre:"/^b/R";)", "a-b"));
  // Relative pcre backtracks the content: second "a" is followed by "b".
  EXPECT_TRUE(Match(R"(content:"a"; pcre:"/^b/R";)", "a-ab"));
  EXPECT_TRUE(Match(R"(content:"a"; pcre:!"/zz/";)", "abc"));
  EXPECT_FALSE(Match(R"(content:"a"; pcre:!"/bc/";)", "abc"));
  // Content relative to a pcre match end.
  EXPECT_TRUE(Match(R"(pcre:"/a+/"; content:"b"; within:1;)", "aaab"));
}

TEST(ByteTest, OperatorsEndianAndString) {
  std::string be("\x00\x10zz", 4);  // 16 big-endian
  EXPECT_TRUE(Match(R"(content:"zz"; byte_test:2,=,16,0;)", be));
  EXPECT_TRUE(Match(R"(content:"zz"; byte_test:2,>,15,0;)", be));
  EXPECT_FALSE(Match(R"(content:"zz"; byte_test:2,<,16,0;)", be));
  EXPECT_TRUE(Match(R"(content:"zz"; byte_test:2,<=,16,0;)", be));
  EXPECT_TRUE(Match(R"(content:"zz"; byte_test:2,!=,17,0;)", be));
  EXPECT_TRUE(Match(R"(content:"zz"; byte_test:2,=,4096,0,little;)", be));
  EXPECT_TRUE(Match(R"(content:"zz"; byte_test:2,&,16,0;)", be));
  EXPECT_FALSE(Match(R"(content:"zz"; byte_test:2,&,1,0;)", be));
  EXPECT_TRUE(Match(R"(content:"len="; byte_test:3,>,100,0,relative,string,dec;)", "len=123;"));
  EXPECT_FALSE(Match(R"(content:"len="; byte_test:3,>,200,0,relative,string,dec;)", "len=123;"));
  EXPECT_TRUE(Match(R"(content:"h="; byte_test:2,=,255,0,relative,string,hex;)", "h=ff"));
  // Out of bounds never matches.
  EXPECT_FALSE(Match(R"(content:"zz"; byte_test:4,>,0,2,relative;)", be));
  // bitmask: 0x0ff0 of 0x0130 → 0x13 after shifting out the mask's trailing zeros.
  EXPECT_TRUE(Match(R"(content:"zz"; byte_test:2,=,19,0,bitmask 0x0ff0;)", std::string("\x01\x30zz", 4)));
}

TEST(ByteJump, RelativeAndOptions) {
  // length 3 at offset 0, then jump over 3 bytes to "X".
  std::string p("\x03" "abcX", 5);
  EXPECT_TRUE(Match(R"(content:"|03|"; byte_jump:1,-1,relative; content:"X"; within:1;)", p));
  EXPECT_TRUE(Match(R"(content:"a"; byte_jump:1,0,from_beginning; content:"|03|"; distance:0;)",
                    std::string("\x04" "aaa\x03", 5)));
  // multiplier 2: jump 2*2 bytes.
  EXPECT_TRUE(Match(R"(content:"|02|"; byte_jump:1,-1,relative,multiplier 2; content:"Y"; within:1;)",
                    std::string("\x02" "abcdY", 6)));
  // post_offset -1 lands on the last skipped byte.
  EXPECT_TRUE(Match(R"(content:"|03|"; byte_jump:1,-1,relative,post_offset -1; content:"cX"; within:2;)", p));
  // Jumping past the end fails.
  EXPECT_FALSE(Match(R"(content:"|09|"; byte_jump:1,-1,relative; content:"X"; within:1;)",
                     std::string("\x09" "abcX", 5)));
}

TEST(ByteExtract, VariablesFeedLaterKeywords) {
  // Extract a length, then require "END" exactly that many bytes later.
  std::string p("\x04" "abcdEND", 8);
  EXPECT_TRUE(Match(R"(content:"|04|"; byte_extract:1,-1,len,relative; content:"END"; distance:len; within:3;)", p));
  EXPECT_FALSE(Match(R"(content:"|04|"; byte_extract:1,-1,len,relative; content:"END"; distance:len; within:3;)",
                     std::string("\x03" "abcdEND", 8)));
  EXPECT_TRUE(Match(R"(content:"|04|"; byte_extract:1,-1,len,relative; byte_test:1,=,len,-1,relative;)", p));
}

TEST(FastPattern, ChoiceAndSlices) {
  auto e = BuildEngine(R"(alert udp any any -> any any (content:"ab"; content:"longer-one"; sid:1;)
alert udp any any -> any any (content:"ab"; fast_pattern; content:"longer"; sid:2;)
alert udp any any -> any any (content:"abcdefgh"; fast_pattern:2,3; sid:3;)
alert udp any any -> any any (content:!"neg-only"; sid:4;))");
  ASSERT_TRUE(e);
  std::map<uint32_t, std::string> fp;
  for (const EngineRule& r : e->rules())
    fp[r.rule->meta.sid] = r.fast_pattern ? r.fast_pattern->bytes : "<none>";
  EXPECT_EQ(fp[1], "longer-one");
  // An explicit fast_pattern shorter than min_preferred_fast_pattern is what the rule chose
  // (ChooseFastPattern), but the prefilter uses a longer content of the same list instead
  // (PrefilterLiteral): every non-negated content must occur, so alerts are the same.
  EXPECT_EQ(fp[2], "longer");
  EXPECT_EQ(fp[3], "abcdefgh");
  for (const EngineRule& r : e->rules()) {
    auto own = ChooseFastPattern(*r.rule, e->config().min_preferred_fast_pattern);
    if (r.rule->meta.sid == 2) { EXPECT_EQ(own->bytes, "ab"); }
    if (r.rule->meta.sid == 3) { EXPECT_EQ(own->bytes, "cde"); }
  }
  EXPECT_EQ(fp[4], "<none>");
  EXPECT_EQ(e->stats().always_check_rules, 1u);
  // The slice only prefilters; the whole content is still verified.
  Harness h(R"(alert udp any any -> any any (content:"abcdefgh"; fast_pattern:2,3; sid:1;))");
  EXPECT_TRUE(h.Udp("xxabcdefgh"));
  EXPECT_FALSE(h.Udp("xxcde"));
}

}  // namespace
}  // namespace vigil::sensor::testing

namespace vigil::sensor::testing {
namespace {

// ipv4.hdr / tcp.hdr / udp.hdr / icmpv4.hdr / ipv6.hdr come from the packet's own headers.
TEST(HeaderBuffers, InspectTheDecodedHeaders) {
  Harness h(R"(alert ip any any -> any any (ipv4.hdr; content:"|45 00|"; depth:2; sid:1;)
alert tcp any any -> any any (tcp.hdr; content:"|50 18|"; offset:12; depth:2; sid:2;)
alert icmp any any -> any any (icmpv4.hdr; content:"|be 0a 7b 00 03|"; sid:3;)
alert ip any any -> any any (ipv6.hdr; content:"|40|"; offset:7; depth:1; sid:4;)
alert udp any any -> any any (udp.hdr; content:"|00 35|"; offset:2; depth:2; sid:5;))");
  ASSERT_EQ(h.engine->stats().rules_compiled, 5u);
  // Points the packet's L3 / L4 / payload into `bytes` (L4 at `l4`, payload at `payload`).
  auto attach = [](TestPacket& t, std::vector<uint8_t>& bytes, size_t l4, size_t payload) {
    t.pkt.l3 = bytes.data();
    t.pkt.l3_len = static_cast<uint32_t>(bytes.size());
    t.pkt.l4 = bytes.data() + l4;
    t.pkt.l4_len = static_cast<uint32_t>(bytes.size() - l4);
    t.pkt.payload = bytes.data() + payload;
  };
  // IPv4 + TCP (data offset 5, flags PSH|ACK) + "hi".
  std::vector<uint8_t> frame(42, 0);
  frame[0] = 0x45;
  frame[32] = 0x50;
  frame[33] = 0x18;
  auto p = MakePacket(6, "1.1.1.1", 1, "2.2.2.2", 80, "hi");
  attach(*p, frame, 20, 40);
  EXPECT_THAT(h.Run(p->pkt), ::testing::ElementsAre(1u, 2u));
  // ICMP redirect: the 8-byte header holds the gateway address.
  std::vector<uint8_t> icmp = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 1, 0, 0, 10, 123, 0, 2, 10, 123, 0, 1,
                               0x05, 0x01, 0x13, 0xbe, 0x0a, 0x7b, 0x00, 0x03};
  auto q = MakePacket(1, "10.123.0.2", 0, "10.123.0.1", 0, "");
  attach(*q, icmp, 20, 28);
  EXPECT_THAT(h.Run(q->pkt), ::testing::ElementsAre(1u, 3u));
  // IPv6 with hop limit 64 over UDP to port 53.
  std::vector<uint8_t> v6(48, 0);
  v6[0] = 0x60;
  v6[6] = 17;
  v6[7] = 0x40;
  v6[43] = 0x35;
  auto u = MakePacket(17, "::1", 1, "::2", 53, "");
  u->pkt.ip_version = 6;
  attach(*u, v6, 40, 48);
  EXPECT_THAT(h.Run(u->pkt), ::testing::ElementsAre(4u, 5u));
  // Extension headers belong to ipv6.hdr: a destination-options header (8 bytes) before UDP.
  Harness x(R"(alert ip any any -> any any (ipv6.hdr; content:"|11 00 00 00 00 00 00 00|"; offset:40; endswith; sid:6;))");
  std::vector<uint8_t> ext(56, 0);
  ext[0] = 0x60;
  ext[6] = 60;
  ext[40] = 17;
  auto e = MakePacket(17, "::1", 1, "::2", 53, "");
  e->pkt.ip_version = 6;
  attach(*e, ext, 48, 56);
  EXPECT_THAT(x.Run(e->pkt), ::testing::ElementsAre(6u));
  EXPECT_THAT(x.Run(u->pkt), ::testing::IsEmpty());
  // No decoded L3 bytes: no header buffer, no alert.
  auto none = MakePacket(6, "1.1.1.1", 1, "2.2.2.2", 80, "hi");
  none->pkt.l4 = nullptr;
  EXPECT_THAT(h.Run(none->pkt), ::testing::IsEmpty());
}

}  // namespace
}  // namespace vigil::sensor::testing
