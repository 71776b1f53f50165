// Whole rules: header, buffer lists (sticky, legacy modifiers, pcre flags, relative placement),
// errors with their offsets, unsupported keywords.
#include <gtest/gtest.h>

#include "rules/signature/rule_parser.h"

namespace vigil::rules {
namespace {

class RuleParserTest : public ::testing::Test {
 protected:
  Rule Parse(std::string_view text) {
    RuleParseResult r = parser_.Parse(text);
    EXPECT_TRUE(r.ok()) << text << "\n  -> " << r.error.message << " at " << r.error.offset;
    return r.ok() ? std::move(*r.rule) : Rule();
  }
  RuleError Fail(std::string_view text) {
    RuleParseResult r = parser_.Parse(text);
    EXPECT_FALSE(r.ok()) << text;
    return r.error;
  }
  static const ContentMatch& ContentAt(const Rule& r, size_t list, size_t i) {
    return std::get<ContentMatch>(r.buffers.at(list).matches.at(i));
  }

  RuleVariables vars_ = RuleVariables::SuricataDefaults();
  RuleParser parser_{vars_};
};

TEST_F(RuleParserTest, HeaderAndMeta) {
  Rule r = Parse(R"(alert http $HOME_NET any -> $EXTERNAL_NET [80,8080:8090] (msg:"ET TEST x"; sid:2000001; rev:2; classtype:trojan-activity; reference:cve,2020-0001;))");
  EXPECT_EQ(r.header.action, Action::kAlert);
  EXPECT_EQ(r.header.protocol, "http");
  EXPECT_EQ(r.header.direction, Direction::kForward);
  EXPECT_TRUE(r.header.src->Match(*IpAddress::Parse("10.0.0.1")));
  EXPECT_FALSE(r.header.dst->Match(*IpAddress::Parse("10.0.0.1")));
  EXPECT_TRUE(r.header.src_ports->is_any());
  EXPECT_TRUE(r.header.dst_ports->Match(8085));
  EXPECT_FALSE(r.header.dst_ports->Match(81));
  EXPECT_EQ(r.header.dst_ports_text, "[80,8080:8090]");
  EXPECT_EQ(r.meta.msg, "ET TEST x");
  EXPECT_EQ(r.meta.sid, 2000001u);
  EXPECT_EQ(r.meta.rev, 2u);
  EXPECT_TRUE(r.buffers.empty());
}

TEST_F(RuleParserTest, ActionsProtocolsDirections) {
  for (const char* a : {"alert", "pass", "drop", "reject", "rejectsrc", "rejectdst", "rejectboth", "config"}) {
    Rule r = Parse(std::string(a) + " tcp any any -> any any (sid:1;)");
    EXPECT_EQ(ActionName(r.header.action), a);
  }
  for (const char* p : {"ip", "tcp", "udp", "icmp", "http", "http1", "dns", "tls", "smb", "ftp", "ssh", "smtp", "tcp-pkt", "ftp-data"}) {
    EXPECT_EQ(Parse(std::string("alert ") + p + " any any -> any any (sid:1;)").header.protocol, p);
  }
  EXPECT_EQ(Parse("alert TCP any any <> any any (sid:1;)").header.direction, Direction::kBidirectional);
  EXPECT_EQ(Parse("alert tcp [1.1.1.1, 2.2.2.2] any -> any any (sid:1;)").header.src_text, "[1.1.1.1, 2.2.2.2]");
}

TEST_F(RuleParserTest, HeaderErrorsCarryOffsets) {
  RuleError e = Fail("alrt tcp any any -> any any (sid:1;)");
  EXPECT_EQ(e.offset, 0u);
  EXPECT_NE(e.message.find("unknown action"), std::string::npos);
  e = Fail("alert tcp any any => any any (sid:1;)");
  EXPECT_EQ(e.offset, 18u);
  e = Fail("alert tcp any any <- any any (sid:1;)");
  EXPECT_NE(e.message.find("swap"), std::string::npos);
  e = Fail("alert tcp $NOPE_NET any -> any any (sid:1;)");
  EXPECT_EQ(e.offset, 10u);
  EXPECT_NE(e.message.find("'$NOPE_NET'"), std::string::npos);
  e = Fail("alert tcp any any -> any $NO_PORTS (sid:1;)");
  EXPECT_EQ(e.offset, 25u);
  EXPECT_NE(e.message.find("'$NO_PORTS'"), std::string::npos);
  e = Fail("alert tcp any any -> any (sid:1;)");
  EXPECT_NE(e.message.find("missing destination port"), std::string::npos);
  e = Fail("alert tcp any any -> any any sid:1;");
  EXPECT_NE(e.message.find("expected '('"), std::string::npos);
  e = Fail("alert tcp any any -> any any (msg:\"x\";)");
  EXPECT_NE(e.message.find("no sid"), std::string::npos);
  e = Fail("alert tcp any any -> any any (sid:1; content:\"|0d 0|\";)");
  EXPECT_EQ(e.offset, std::string_view("alert tcp any any -> any any (sid:1; content:").size());
  EXPECT_NE(e.message.find("odd number"), std::string::npos);
}

TEST_F(RuleParserTest, StickyBuffersCollectContentsInOrder) {
  Rule r = Parse(R"(alert http any any -> any any (msg:"x"; flow:established,to_server; http.method; content:"POST"; http.uri; content:"/gate.php"; fast_pattern; content:"id="; distance:0; http.host; content:"evil"; nocase; endswith; pkt_data; content:"raw"; sid:1;))");
  ASSERT_EQ(r.buffers.size(), 4u);
  EXPECT_EQ(r.buffers[0].buffer, BufferId::kHttpMethod);
  EXPECT_EQ(r.buffers[1].buffer, BufferId::kHttpUri);
  EXPECT_EQ(r.buffers[2].buffer, BufferId::kHttpHost);
  EXPECT_EQ(r.buffers[3].buffer, BufferId::kPacket);
  EXPECT_EQ(ContentAt(r, 1, 0).pattern, "/gate.php");
  EXPECT_EQ(ContentAt(r, 1, 0).fast_pattern, FastPatternMode::kChosen);
  EXPECT_TRUE(ContentAt(r, 1, 1).relative());
  EXPECT_TRUE(ContentAt(r, 2, 0).nocase);
  EXPECT_TRUE(ContentAt(r, 2, 0).endswith);
  EXPECT_EQ(ContentAt(r, 3, 0).pattern, "raw");
  EXPECT_EQ(r.ContentCount(), 5u);
  BufferId fp_buffer{};
  ASSERT_NE(r.ExplicitFastPattern(&fp_buffer), nullptr);
  EXPECT_EQ(fp_buffer, BufferId::kHttpUri);
  EXPECT_EQ(r.flow->direction, FlowDirection::kToServer);
  // Returning to a buffer appends to its list.
  Rule back = Parse(R"(alert http any any -> any any (http.uri; content:"a"; http.host; content:"b"; http.uri; content:"c"; sid:1;))");
  ASSERT_EQ(back.buffers.size(), 2u);
  EXPECT_EQ(back.buffers[0].matches.size(), 2u);
}

TEST_F(RuleParserTest, LegacyModifiersMapOntoTheSameBuffers) {
  // The 2018 spelling of the rule above.
  Rule r = Parse(R"(alert http any any -> any any (content:"POST"; http_method; content:"/gate.php"; http_uri; fast_pattern; content:"id="; http_uri; distance:0; content:"evil"; nocase; http_host; uricontent:"x.php"; sid:1;))");
  ASSERT_EQ(r.buffers.size(), 3u) << "the payload list emptied by the moves is dropped";
  EXPECT_EQ(r.buffers[0].buffer, BufferId::kHttpMethod);
  EXPECT_EQ(r.buffers[1].buffer, BufferId::kHttpUri);
  EXPECT_EQ(r.buffers[2].buffer, BufferId::kHttpHost);
  ASSERT_EQ(r.buffers[1].matches.size(), 3u);
  EXPECT_EQ(ContentAt(r, 1, 2).pattern, "x.php");
  EXPECT_TRUE(ContentAt(r, 1, 1).relative());
  EXPECT_TRUE(ContentAt(r, 2, 0).nocase);
  struct Pair {
    const char* modifier;
    BufferId buffer;
  };
  for (Pair p : {Pair{"http_raw_uri", BufferId::kHttpUriRaw}, {"http_header", BufferId::kHttpHeader},
                 {"http_raw_header", BufferId::kHttpHeaderRaw}, {"http_cookie", BufferId::kHttpCookie},
                 {"http_user_agent", BufferId::kHttpUserAgent}, {"http_raw_host", BufferId::kHttpHostRaw},
                 {"http_client_body", BufferId::kHttpRequestBody}, {"http_server_body", BufferId::kHttpResponseBody},
                 {"http_stat_code", BufferId::kHttpStatCode}, {"http_stat_msg", BufferId::kHttpStatMsg}}) {
    Rule m = Parse(std::string("alert http any any -> any any (content:\"x\"; ") + p.modifier + "; sid:1;)");
    ASSERT_EQ(m.buffers.size(), 1u) << p.modifier;
    EXPECT_EQ(m.buffers[0].buffer, p.buffer) << p.modifier;
  }
  // Sticky aliases from Suricata 4 (http_accept; content:...) and file_data.
  Rule s = Parse(R"(alert http any any -> any any (http_accept; content:"*/*"; file_data; content:"PK"; dns_query; content:"x"; sid:1;))");
  ASSERT_EQ(s.buffers.size(), 3u);
  EXPECT_EQ(s.buffers[0].buffer, BufferId::kHttpAccept);
  EXPECT_EQ(s.buffers[1].buffer, BufferId::kFileData);
  EXPECT_EQ(s.buffers[2].buffer, BufferId::kDnsQuery);
}

TEST_F(RuleParserTest, PcreFlagsAndRelativePlacement) {
  Rule r = Parse(R"(alert http any any -> any any (content:"/a"; http_uri; pcre:"/b/UR"; pcre:"/c/"; isdataat:!1,relative; sid:1;))");
  ASSERT_EQ(r.buffers.size(), 2u);
  const BufferMatches* uri = r.FindBuffer(BufferId::kHttpUri);
  ASSERT_NE(uri, nullptr);
  ASSERT_EQ(uri->matches.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<PcreMatch>(uri->matches[1]));
  const BufferMatches* payload = r.FindBuffer(BufferId::kPacket);
  ASSERT_NE(payload, nullptr) << "a pcre without flags goes to the payload";
  // isdataat relative follows the previous match (the payload pcre) into its list.
  ASSERT_EQ(payload->matches.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<IsDataAtMatch>(payload->matches[1]));
  // With no sticky buffer, a relative keyword lands in the list of the previous match.
  Rule legacy = Parse(R"(alert http any any -> any any (content:"Host|3a|"; http_header; byte_test:1,>,5,0,relative; sid:1;))");
  ASSERT_EQ(legacy.buffers.size(), 1u);
  EXPECT_EQ(legacy.buffers[0].buffer, BufferId::kHttpHeader);
  EXPECT_EQ(legacy.buffers[0].matches.size(), 2u);
  RuleError e = Fail(R"(alert http any any -> any any (http.uri; content:"x"; pcre:"/x/H"; sid:1;))");
  EXPECT_NE(e.message.find("while sticky buffer 'http.uri' is active"), std::string::npos);
  Parse(R"(alert http any any -> any any (http.response_body; content:"x"; pcre:"/y/Q"; sid:1;))");
}

TEST_F(RuleParserTest, ModifiersNeedAPrecedingContent) {
  for (const char* kw : {"nocase", "depth:3", "offset:1", "distance:0", "within:5", "fast_pattern", "http_uri", "startswith"}) {
    RuleError e = Fail(std::string("alert tcp any any -> any any (") + kw + "; sid:1;)");
    EXPECT_NE(e.message.find("needs a preceding content"), std::string::npos) << kw << ": " << e.message;
    EXPECT_GE(e.offset, 30u) << kw;  // the keyword, or its value when it has one
    EXPECT_LT(e.offset, 30u + std::string_view(kw).size()) << kw;
  }
  // Modifiers apply to the most recent content, even across other keywords.
  Rule r = Parse(R"(alert tcp any any -> any any (content:"a"; pcre:"/x/"; nocase; sid:1;))");
  EXPECT_TRUE(ContentAt(r, 0, 0).nocase);
  RuleError twice = Fail(R"(alert tcp any any -> any any (content:"a"; http_uri; http_header; sid:1;))");
  EXPECT_NE(twice.message.find("already in buffer 'http.uri'"), std::string::npos);
  RuleError fp = Fail(R"(alert tcp any any -> any any (content:"a"; fast_pattern; content:"b"; fast_pattern; sid:1;))");
  EXPECT_NE(fp.message.find("more than one"), std::string::npos);
}

TEST_F(RuleParserTest, TransformsAndByteExtractVariables) {
  Rule r = Parse(R"(alert dns any any -> any any (dns.query; content:"rs-"; startswith; dotprefix; content:".rustdesk.com"; endswith; sid:1;))");
  ASSERT_EQ(r.buffers.size(), 2u);
  EXPECT_TRUE(r.buffers[0].transforms.empty());
  ASSERT_EQ(r.buffers[1].transforms.size(), 1u);
  EXPECT_EQ(r.buffers[1].transforms[0].kind, TransformKind::kDotPrefix);
  RuleError e = Fail(R"(alert tcp any any -> any any (dotprefix; content:"x"; sid:1;))");
  EXPECT_NE(e.message.find("must follow a sticky buffer"), std::string::npos);
  Rule v = Parse(R"(alert tcp any any -> any any (content:"L"; byte_extract:2,0,len,relative; content:"x"; within:len; byte_test:2,=,len,0,relative; isdataat:len,relative; sid:1;))");
  EXPECT_EQ(v.byte_extract_vars, std::vector<std::string>{"len"});
  EXPECT_EQ(ContentAt(v, 0, 2).within->var, "len");
  RuleError u = Fail(R"(alert tcp any any -> any any (content:"x"; depth:nolen; sid:1;))");
  EXPECT_NE(u.message.find("'nolen'"), std::string::npos);
  RuleError d = Fail(R"(alert tcp any any -> any any (byte_extract:1,0,a; byte_extract:1,1,a; sid:1;))");
  EXPECT_NE(d.message.find("defined twice"), std::string::npos);
}

TEST_F(RuleParserTest, OtherFamiliesLandOnTheRule) {
  Rule r = Parse(R"(alert tcp any any -> any any (flowbits:isset,a|b; flowbits:noalert; xbits:set,x,track ip_src; flowint:c,+,1; threshold:type limit,track by_src,count 1,seconds 60; dsize:>100; urilen:<50; itype:8; ttl:<5; app-layer-protocol:http; tls.version:1.3; stream_size:both,>,5; tag:session; base64_decode:relative; base64_data; content:"MZ"; noalert; target:src_ip; sid:1;))");
  ASSERT_EQ(r.flowbits.size(), 2u);
  EXPECT_TRUE(r.noalert);
  EXPECT_EQ(r.xbits.size(), 1u);
  EXPECT_EQ(r.flowints.size(), 1u);
  EXPECT_EQ(r.threshold->count, 1u);
  EXPECT_TRUE(r.dsize->Matches(101));
  EXPECT_TRUE(r.urilen->length.Matches(49));
  EXPECT_TRUE(r.header_checks.itype->Matches(8));
  EXPECT_EQ(r.app.app_layer_protocols.size(), 1u);
  EXPECT_EQ(r.tags.size(), 1u);
  ASSERT_EQ(r.buffers.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<Base64DecodeMatch>(r.buffers[0].matches[0]));
  EXPECT_EQ(r.buffers[1].buffer, BufferId::kBase64Data);
  RuleError both = Fail(R"(alert tcp any any -> any any (threshold:type limit,track by_src,count 1,seconds 60; detection_filter:track by_src,count 1,seconds 1; sid:1;))");
  EXPECT_NE(both.message.find("cannot be combined"), std::string::npos);
  RuleError bs = Fail(R"(alert tcp any any -> any any (content:"x"; bsize:5; sid:1;))");
  EXPECT_NE(bs.message.find("sticky buffer"), std::string::npos);
}

TEST_F(RuleParserTest, UnsupportedKeywordsSkipWithTheirName) {
  std::string_view text = R"(alert tcp any any -> any any (msg:"x"; asn1:bitstring_overflow; sid:1;))";
  RuleParseResult r = parser_.Parse(text);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error.unsupported());
  EXPECT_EQ(r.error.message, "unsupported keyword 'asn1'");
  EXPECT_EQ(r.error.offset, text.find("asn1"));
  // Keyword names are case-insensitive.
  EXPECT_EQ(Parse(R"(alert tcp any any -> any any (MSG:"x"; Content:"a"; NoCase; SID:5;))").meta.sid, 5u);
}

TEST_F(RuleParserTest, ClassificationCheckAndLimits) {
  ClassificationConfig classes;
  classes.Add({"trojan-activity", "A Network Trojan was detected", 1});
  RuleParserConfig cfg;
  cfg.classifications = &classes;
  cfg.max_rule_length = 200;
  RuleParser strict(vars_, cfg);
  EXPECT_TRUE(strict.Parse("alert tcp any any -> any any (classtype:trojan-activity; sid:1;)").ok());
  RuleParseResult bad = strict.Parse("alert tcp any any -> any any (classtype:made-up; sid:1;)");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error.message.find("unknown classtype 'made-up'"), std::string::npos);
  RuleParseResult big = strict.Parse("alert tcp any any -> any any (msg:\"" + std::string(300, 'a') + "\"; sid:1;)");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error.code, ErrorCode::kLimit);
}

TEST_F(RuleParserTest, CompiledExpressionsAreShared) {
  Rule a = Parse("alert tcp $HOME_NET any -> $EXTERNAL_NET $HTTP_PORTS (sid:1;)");
  Rule b = Parse("alert udp $HOME_NET any -> $EXTERNAL_NET $HTTP_PORTS (sid:2;)");
  EXPECT_EQ(a.header.src.get(), b.header.src.get());
  EXPECT_EQ(a.header.dst_ports.get(), b.header.dst_ports.get());
}

}  // namespace
}  // namespace vigil::rules
