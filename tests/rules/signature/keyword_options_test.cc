// The keyword families other than content: pcre, byte_*, size checks, flow, flowbits/xbits/
// flowint, threshold/detection_filter, meta, header, app-layer, transforms, tag.
#include <gtest/gtest.h>

#include "rules/signature/app_options.h"
#include "rules/signature/byte_options.h"
#include "rules/signature/default_classifications.h"
#include "rules/signature/flow_option.h"
#include "rules/signature/flowbits_option.h"
#include "rules/signature/header_options.h"
#include "rules/signature/meta_options.h"
#include "rules/signature/pcre_option.h"
#include "rules/signature/size_options.h"
#include "rules/signature/tag_option.h"
#include "rules/signature/threshold_option.h"
#include "rules/signature/transform_option.h"

namespace vigil::rules {
namespace {

template <typename R>
std::string Err(const R& r) {
  return r.ok() ? std::string("<ok>") : r.error().message;
}
#define EXPECT_ERR(expr, needle)                                                  \
  do {                                                                            \
    auto r_ = (expr);                                                             \
    EXPECT_FALSE(r_.ok()) << #expr;                                               \
    EXPECT_NE(Err(r_).find(needle), std::string::npos) << #expr << ": " << Err(r_); \
  } while (0)

TEST(PcreOption, FlagsAndBuffers) {
  auto p = ParsePcre(R"("/^GET\s\/x\;y/smiR")");
  ASSERT_TRUE(p.ok()) << Err(p);
  EXPECT_EQ(p->regex, R"(^GET\s\/x\;y)");
  EXPECT_TRUE(p->dotall && p->multiline && p->caseless && p->relative);
  EXPECT_FALSE(p->buffer.has_value());
  auto u = ParsePcre(R"(!"/\.php$/Ui")");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->negated);
  EXPECT_EQ(u->buffer, BufferId::kHttpUri);
  struct FlagBuffer {
    char flag;
    BufferId buffer;
  };
  for (FlagBuffer fb : {FlagBuffer{'U', BufferId::kHttpUri}, {'I', BufferId::kHttpUriRaw},
                        {'P', BufferId::kHttpRequestBody}, {'Q', BufferId::kFileData},
                        {'H', BufferId::kHttpHeader}, {'D', BufferId::kHttpHeaderRaw},
                        {'M', BufferId::kHttpMethod}, {'C', BufferId::kHttpCookie},
                        {'K', BufferId::kHttpCookie}, {'S', BufferId::kHttpStatCode},
                        {'Y', BufferId::kHttpStatMsg}, {'V', BufferId::kHttpUserAgent},
                        {'W', BufferId::kHttpHost}, {'Z', BufferId::kHttpHostRaw}}) {
    auto r = ParsePcre(std::string("\"/x/") + fb.flag + "\"");
    ASSERT_TRUE(r.ok()) << fb.flag;
    EXPECT_EQ(r->buffer, fb.buffer) << fb.flag;
  }
  auto all = ParsePcre(R"("/x/ismxAEGBO")");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->extended && all->anchored && all->dollar_endonly && all->ungreedy && all->rawbytes &&
              all->override_limit);
  auto unquoted = ParsePcre("/a(b)/,flow:v");
  ASSERT_TRUE(unquoted.ok()) << Err(unquoted);
  EXPECT_EQ(unquoted->regex, "a(b)");
  EXPECT_EQ(unquoted->capture, "flow:v");
  EXPECT_EQ(ParsePcre(R"("/a"b/")")->regex, "a\"b") << "the last quote closes";
}

TEST(PcreOption, Errors) {
  EXPECT_ERR(ParsePcre(R"("/x/q")"), "unknown pcre flag 'q'");
  EXPECT_ERR(ParsePcre(R"("/x/UH")"), "second buffer");
  EXPECT_ERR(ParsePcre(R"("/x/ii")"), "repeated");
  EXPECT_ERR(ParsePcre(R"("x/i")"), "start with '/'");
  EXPECT_ERR(ParsePcre(R"("/abc")"), "closing '/'");
  EXPECT_ERR(ParsePcre(R"("//i")"), "empty");
  EXPECT_ERR(ParsePcre(R"("/x/)"), "closing quote");
  EXPECT_ERR(ParsePcre(R"(/Java/\d/Vi")"), "unknown pcre flag '\"'");
}

TEST(ByteOptions, ByteTest) {
  auto t = ParseByteTest("4, !>=, 0x10, -2, relative, little, bitmask 0xff00");
  ASSERT_TRUE(t.ok()) << Err(t);
  EXPECT_EQ(t->common.num_bytes, 4);
  EXPECT_TRUE(t->negated);
  EXPECT_EQ(t->op, ByteTestOp::kGe);
  EXPECT_EQ(t->value.value, 16);
  EXPECT_EQ(t->common.offset.value, -2);
  EXPECT_TRUE(t->common.relative);
  EXPECT_EQ(t->common.endian, ByteEndian::kLittle);
  EXPECT_EQ(*t->common.bitmask, 0xff00u);
  auto s = ParseByteTest("0,<=,30000,0,string,dec");
  ASSERT_TRUE(s.ok()) << "0 bytes with string means the whole number (ET uses it)";
  EXPECT_EQ(s->common.base, NumberBase::kDec);
  auto v = ParseByteTest("2,=,len,0,dce");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value.var, "len");
  EXPECT_EQ(v->common.endian, ByteEndian::kDce);
  EXPECT_ERR(ParseByteTest("4,>,1"), "needs");
  EXPECT_ERR(ParseByteTest("9,>,1,0"), "1..8");
  EXPECT_ERR(ParseByteTest("0,>,1,0"), "number of bytes");
  EXPECT_ERR(ParseByteTest("24,>,1,0,string,dec"), "1..23");
  EXPECT_ERR(ParseByteTest("4,~,1,0"), "unknown operator");
  EXPECT_ERR(ParseByteTest("4,>,1,0,sideways"), "unknown argument");
  EXPECT_ERR(ParseByteTest("4,>,1,0,big,little"), "endianness given twice");
  EXPECT_ERR(ParseByteTest("4,>,1,0,hex"), "needs 'string'");
  EXPECT_ERR(ParseByteTest("4,>,1,0,string,hex,dce"), "'dce' cannot");
  EXPECT_ERR(ParseByteTest("4,>,1,0,bitmask 0"), "bitmask 0");
}

TEST(ByteOptions, ByteJumpAndExtract) {
  auto j = ParseByteJump("4,12,relative,little,multiplier 2,align,from_end,post_offset -4,string,hex");
  ASSERT_TRUE(j.ok()) << Err(j);
  EXPECT_EQ(j->multiplier, 2u);
  EXPECT_TRUE(j->align && j->from_end && !j->from_beginning);
  EXPECT_EQ(j->post_offset, -4);
  EXPECT_EQ(j->common.base, NumberBase::kHex);
  EXPECT_ERR(ParseByteJump("4"), "needs");
  EXPECT_ERR(ParseByteJump("4,0,from_beginning,from_end"), "both given");
  EXPECT_ERR(ParseByteJump("4,0,multiplier 0"), "multiplier");
  auto e = ParseByteExtract("2,0,Dridex.Pivot,relative,little,multiplier 4,align 4");
  ASSERT_TRUE(e.ok()) << Err(e);
  EXPECT_EQ(e->name, "Dridex.Pivot");
  EXPECT_EQ(e->align, 4);
  EXPECT_EQ(e->multiplier, 4u);
  EXPECT_ERR(ParseByteExtract("2,0"), "needs");
  EXPECT_ERR(ParseByteExtract("2,0,9lives"), "invalid variable name");
  EXPECT_ERR(ParseByteExtract("2,0,x,align 3"), "align must be 2 or 4");
  EXPECT_ERR(ParseByteExtract("2,off,x"), "must be a number");
}

TEST(SizeOptions, IsDataAtBsizeDsizeUrilenBase64) {
  auto i = ParseIsDataAt("!1,relative");
  ASSERT_TRUE(i.ok());
  EXPECT_TRUE(i->negated && i->relative);
  EXPECT_EQ(i->position.value, 1);
  EXPECT_EQ(ParseIsDataAt("len,rawbytes")->position.var, "len");
  EXPECT_ERR(ParseIsDataAt("1,sideways"), "unknown argument");
  EXPECT_ERR(ParseIsDataAt("-1"), "outside");
  EXPECT_EQ(ParseBsize("<64")->size.op, IntOp::kLt);
  EXPECT_TRUE(ParseBsize("10<>20")->size.Matches(15));
  EXPECT_ERR(ParseBsize("x"), "not a number");
  EXPECT_TRUE(ParseDsize(">1000")->Matches(1001));
  EXPECT_ERR(ParseDsize("70000"), "maximum");
  auto u = ParseUrilen("5<>10,raw");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->raw);
  EXPECT_TRUE(u->length.Matches(6));
  EXPECT_ERR(ParseUrilen("5,cooked"), "norm");
  auto b = ParseBase64Decode("bytes 100, offset 0, relative");
  ASSERT_TRUE(b.ok()) << Err(b);
  EXPECT_EQ(b->bytes, 100u);
  EXPECT_TRUE(b->relative);
  EXPECT_ERR(ParseBase64Decode("bytes 0"), "at least 1");
  EXPECT_ERR(ParseBase64Decode("foo"), "unknown argument");
}

TEST(FlowOption, WordsAndConflicts) {
  auto f = ParseFlow("established,to_server");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->state, FlowState::kEstablished);
  EXPECT_EQ(f->direction, FlowDirection::kToServer);
  auto g = ParseFlow(" from_server , not_established, only_stream, no_frag ");
  ASSERT_TRUE(g.ok()) << Err(g);
  EXPECT_EQ(g->direction, FlowDirection::kToClient);
  EXPECT_EQ(g->state, FlowState::kNotEstablished);
  EXPECT_EQ(g->stream, FlowStream::kOnlyStream);
  EXPECT_EQ(g->frag, FlowFrag::kNoFrag);
  EXPECT_EQ(ParseFlow("stateless")->state, FlowState::kStateless);
  EXPECT_EQ(ParseFlow("TO_CLIENT")->direction, FlowDirection::kToClient);
  EXPECT_ERR(ParseFlow("to_server,to_client"), "contradicts");
  EXPECT_ERR(ParseFlow("established,not_established"), "contradicts");
  EXPECT_ERR(ParseFlow("only_stream,no_stream"), "contradicts");
  EXPECT_ERR(ParseFlow("established,established"), "repeated");
  EXPECT_ERR(ParseFlow("sideways"), "unknown word");
  EXPECT_ERR(ParseFlow(""), "at least one");
}

TEST(FlowbitsOption, CommandsAndGroups) {
  auto s = ParseFlowbits("set,ET.http.binary");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->command, FlowbitsCommand::kSet);
  EXPECT_EQ(s->names, std::vector<std::string>{"ET.http.binary"});
  auto o = ParseFlowbits("isset,a|b|c");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->join, FlowbitsJoin::kOr);
  EXPECT_EQ(o->names.size(), 3u);
  auto a = ParseFlowbits("isnotset, a & b");
  ASSERT_TRUE(a.ok()) << Err(a);
  EXPECT_EQ(a->join, FlowbitsJoin::kAnd);
  EXPECT_EQ(a->names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ParseFlowbits("set,a&b")->join, FlowbitsJoin::kAnd);
  EXPECT_EQ(ParseFlowbits("noalert")->command, FlowbitsCommand::kNoAlert);
  EXPECT_EQ(ParseFlowbits("toggle,x")->command, FlowbitsCommand::kToggle);
  EXPECT_EQ(ParseFlowbits("unset,x")->command, FlowbitsCommand::kUnset);
  EXPECT_ERR(ParseFlowbits("set,a|b"), "only makes sense");
  EXPECT_ERR(ParseFlowbits("isset,a|b&c"), "can't mix");
  EXPECT_ERR(ParseFlowbits("isset"), "needs a name");
  EXPECT_ERR(ParseFlowbits("noalert,x"), "takes no name");
  EXPECT_ERR(ParseFlowbits("flip,x"), "unknown command");
  EXPECT_ERR(ParseFlowbits("isset,a||b"), "empty name");
  EXPECT_ERR(ParseFlowbits("set,a b"), "invalid name");
}

TEST(FlowbitsOption, XbitsAndFlowint) {
  auto x = ParseXbits("set, ET.PROPFIND, track ip_src, expire 360");
  ASSERT_TRUE(x.ok()) << Err(x);
  EXPECT_EQ(x->name, "ET.PROPFIND");
  EXPECT_EQ(x->track, XbitsTrack::kIpSrc);
  EXPECT_EQ(x->expire_seconds, 360u);
  EXPECT_EQ(ParseXbits("isset,a,track ip_pair")->track, XbitsTrack::kIpPair);
  EXPECT_ERR(ParseXbits("set,a"), "needs");
  EXPECT_ERR(ParseXbits("set,a,track ip_nowhere"), "unknown track");
  EXPECT_ERR(ParseXbits("set,a,track ip_src,expire 0"), "at least 1");
  auto f = ParseFlowint("ET.infostealer.dll.download, +, 1");
  ASSERT_TRUE(f.ok()) << Err(f);
  EXPECT_EQ(f->op, FlowintOp::kAdd);
  EXPECT_EQ(f->value, 1u);
  EXPECT_FALSE(f->is_check());
  EXPECT_EQ(ParseFlowint("a,>=,b")->value_var, "b");
  EXPECT_TRUE(ParseFlowint("a,isset")->is_check());
  EXPECT_ERR(ParseFlowint("a,isset,1"), "take no value");
  EXPECT_ERR(ParseFlowint("a,+"), "needs a value");
  EXPECT_ERR(ParseFlowint("a,**,1"), "unknown operator");
}

TEST(ThresholdOption, ThresholdAndDetectionFilter) {
  auto t = ParseThreshold("type limit, track by_src, seconds 60, count 1");
  ASSERT_TRUE(t.ok()) << Err(t);
  EXPECT_EQ(t->type, ThresholdType::kLimit);
  EXPECT_EQ(t->track, TrackBy::kSrc);
  EXPECT_EQ(t->count, 1u);
  EXPECT_EQ(t->seconds, 60u);
  EXPECT_EQ(ParseThreshold("type both,count 1,seconds 600,track by_both")->track, TrackBy::kBoth);
  EXPECT_EQ(ParseThreshold("type threshold,track by_rule,count 5,seconds 1")->type, ThresholdType::kThreshold);
  auto d = ParseDetectionFilter("track by_dst, count 10, seconds 60");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->type, ThresholdType::kDetectionFilter);
  EXPECT_EQ(d->track, TrackBy::kDst);
  EXPECT_ERR(ParseThreshold("type limit, track by_src, count 1"), "needs type, track, count and seconds");
  EXPECT_ERR(ParseThreshold("type sometimes, track by_src, count 1, seconds 1"), "unknown threshold type");
  EXPECT_ERR(ParseThreshold("type limit, track by_nobody, count 1, seconds 1"), "unknown track");
  EXPECT_ERR(ParseThreshold("type limit, type both, track by_src, count 1, seconds 1"), "given twice");
  EXPECT_ERR(ParseThreshold("type limit, track by_src, count 0, seconds 1"), "at least 1");
  EXPECT_ERR(ParseThreshold("type limit, track by_src, count x, seconds 1"), "not a number");
  EXPECT_ERR(ParseThreshold("type limit, track by_either, count 1, seconds 1"), "suppress");
  EXPECT_ERR(ParseDetectionFilter("type limit, track by_src, count 1, seconds 1"), "unknown field");
  auto backoff = ParseThreshold("type backoff, track by_flow, count 1, multiplier 10");
  ASSERT_TRUE(backoff.ok()) << Err(backoff);
  EXPECT_EQ(backoff->type, ThresholdType::kBackoff);
  EXPECT_EQ(backoff->track, TrackBy::kFlow);
  EXPECT_EQ(backoff->multiplier, 10u);
  EXPECT_ERR(ParseThreshold("type backoff, track by_flow, count 1, seconds 10"), "multiplier");
  EXPECT_ERR(ParseThreshold("type backoff, track by_flow, count 1, multiplier 1"), "at least 2");
  EXPECT_ERR(ParseThreshold("type limit, track by_src, count 1, seconds 1, multiplier 3"), "only valid with type backoff");
  EXPECT_EQ(ParseThreshold("type limit, track by_flow, count 1, seconds 1")->track, TrackBy::kFlow);
  auto unique = ParseDetectionFilter("track by_src, count 1, seconds 1, unique_on dst_port");
  ASSERT_FALSE(unique.ok());
  EXPECT_EQ(unique.error().code, ErrorCode::kUnsupported);
}

TEST(MetaOptions, AllKeywords) {
  RuleMeta m;
  ASSERT_TRUE(ApplyMetaOption(&m, "msg", R"("ET TEST \"quoted\"\; ok")", true).ok());
  ASSERT_TRUE(ApplyMetaOption(&m, "sid", "2000001", true).ok());
  ASSERT_TRUE(ApplyMetaOption(&m, "rev", "3", true).ok());
  ASSERT_TRUE(ApplyMetaOption(&m, "gid", "1", true).ok());
  ASSERT_TRUE(ApplyMetaOption(&m, "classtype", "trojan-activity", true).ok());
  ASSERT_TRUE(ApplyMetaOption(&m, "priority", "2", true).ok());
  ASSERT_TRUE(ApplyMetaOption(&m, "reference", "url,example.org/a,b", true).ok());
  ASSERT_TRUE(ApplyMetaOption(&m, "metadata", "created_at 2020_01_01, signature_severity Major,, tag", true).ok());
  ASSERT_TRUE(ApplyMetaOption(&m, "target", "dest_ip", true).ok());
  EXPECT_EQ(m.msg, "ET TEST \"quoted\"; ok");
  EXPECT_EQ(m.sid, 2000001u);
  EXPECT_EQ(m.rev, 3u);
  EXPECT_EQ(m.classtype, "trojan-activity");
  EXPECT_EQ(*m.priority, 2);
  ASSERT_EQ(m.references.size(), 1u);
  EXPECT_EQ(m.references[0].system, "url");
  EXPECT_EQ(m.references[0].id, "example.org/a,b");
  ASSERT_EQ(m.metadata.size(), 3u);
  EXPECT_EQ(m.metadata[1], (std::pair<std::string, std::string>{"signature_severity", "Major"}));
  EXPECT_EQ(m.metadata[2].first, "tag");
  EXPECT_EQ(m.target, Target::kDestIp);
  EXPECT_ERR(ApplyMetaOption(&m, "sid", "5", true), "sid given twice");
  RuleMeta n;
  EXPECT_ERR(ApplyMetaOption(&n, "sid", "0", true), "at least 1");
  EXPECT_ERR(ApplyMetaOption(&n, "sid", "12x", true), "not a number");
  EXPECT_ERR(ApplyMetaOption(&n, "msg", "unquoted", true), "quoted");
  EXPECT_ERR(ApplyMetaOption(&n, "priority", "0", true), "1..255");
  EXPECT_ERR(ApplyMetaOption(&n, "priority", "256", true), "maximum");
  EXPECT_ERR(ApplyMetaOption(&n, "reference", "nocomma", true), "<system>,<id>");
  EXPECT_ERR(ApplyMetaOption(&n, "classtype", "bad class", true), "invalid classtype");
  EXPECT_ERR(ApplyMetaOption(&n, "target", "both", true), "src_ip or dest_ip");
  EXPECT_ERR(ApplyMetaOption(&n, "rev", "", false), "needs a value");
}

TEST(HeaderOptions, NumericFieldsFlagsAndProto) {
  HeaderOptions h;
  ASSERT_TRUE(ApplyHeaderOption(&h, "itype", "8", true).ok());
  ASSERT_TRUE(ApplyHeaderOption(&h, "icode", ">0", true).ok());
  ASSERT_TRUE(ApplyHeaderOption(&h, "icmp_id", "0", true).ok());
  ASSERT_TRUE(ApplyHeaderOption(&h, "icmp_seq", "1<>5", true).ok());
  ASSERT_TRUE(ApplyHeaderOption(&h, "ttl", "<5", true).ok());
  ASSERT_TRUE(ApplyHeaderOption(&h, "ip_proto", "!tcp", true).ok());
  ASSERT_TRUE(ApplyHeaderOption(&h, "flags", "S,12", true).ok());
  ASSERT_TRUE(ApplyHeaderOption(&h, "sameip", "", false).ok());
  EXPECT_TRUE(h.itype->Matches(8));
  EXPECT_TRUE(h.icode->Matches(1));
  EXPECT_TRUE(h.icmp_seq->Matches(3));
  EXPECT_TRUE(h.ttl->Matches(4));
  EXPECT_FALSE(h.ip_proto->Matches(6));
  EXPECT_TRUE(h.ip_proto->Matches(17));
  EXPECT_TRUE(h.sameip);
  EXPECT_TRUE(h.flags->Matches(kTcpSyn));
  EXPECT_TRUE(h.flags->Matches(kTcpSyn | kTcpCwr | kTcpEce)) << "mask 12 ignores CWR and ECE";
  EXPECT_FALSE(h.flags->Matches(kTcpSyn | kTcpAck));
  EXPECT_ERR(ApplyHeaderOption(&h, "itype", "9", true), "given twice");
  EXPECT_ERR(ApplyHeaderOption(&h, "ack", "", false), "needs a value");
  HeaderOptions g;
  EXPECT_ERR(ApplyHeaderOption(&g, "ttl", "300", true), "maximum");
  EXPECT_ERR(ApplyHeaderOption(&g, "ip_proto", "bogus", true), "not a number");
  EXPECT_ERR(ApplyHeaderOption(&g, "sameip", "1", true), "takes no value");
  EXPECT_EQ(ParseTcpFlags("+SA")->mode, TcpFlagsMode::kAll);
  EXPECT_TRUE(ParseTcpFlags("SA+")->Matches(kTcpSyn | kTcpAck | kTcpPsh));
  EXPECT_TRUE(ParseTcpFlags("*SF")->Matches(kTcpFin));
  EXPECT_FALSE(ParseTcpFlags("!R")->Matches(kTcpRst | kTcpAck));
  EXPECT_TRUE(ParseTcpFlags("0")->Matches(0));
  EXPECT_FALSE(ParseTcpFlags("0")->Matches(kTcpAck));
  EXPECT_ERR(ParseTcpFlags("SX"), "unknown flag 'X'");
  EXPECT_ERR(ParseTcpFlags("+*S"), "only one");
  EXPECT_ERR(ParseTcpFlags("0S"), "cannot be combined");
  EXPECT_ERR(ParseTcpFlags("S,0"), "not valid in a mask");
}

TEST(AppOptions, Keywords) {
  AppOptions a;
  ASSERT_TRUE(ApplyAppOption(&a, "app-layer-protocol", "!HTTP", true).ok());
  ASSERT_TRUE(ApplyAppOption(&a, "app-layer-event", "http.invalid_header", true).ok());
  ASSERT_TRUE(ApplyAppOption(&a, "tls.version", "1.2", true).ok());
  ASSERT_TRUE(ApplyAppOption(&a, "ssl_version", "tls1.2,!sslv3", true).ok());
  ASSERT_TRUE(ApplyAppOption(&a, "ssl_state", "client_hello|!server_hello", true).ok());
  ASSERT_TRUE(ApplyAppOption(&a, "stream_size", "server,>,1000", true).ok());
  ASSERT_TRUE(ApplyAppOption(&a, "stream_size", "client,<,10", true).ok());
  EXPECT_EQ(a.app_layer_protocols[0].protocol, "http");
  EXPECT_TRUE(a.app_layer_protocols[0].negated);
  EXPECT_EQ(a.tls_version->version, 0x0303);
  ASSERT_EQ(a.ssl_versions.size(), 2u);
  EXPECT_TRUE(a.ssl_versions[1].negated);
  EXPECT_EQ(a.ssl_states.size(), 2u);
  ASSERT_EQ(a.stream_sizes.size(), 2u);
  EXPECT_TRUE(a.stream_sizes[0].size.Matches(1001));
  EXPECT_EQ(a.stream_sizes[1].side, StreamSide::kClient);
  AppOptions b;
  EXPECT_ERR(ApplyAppOption(&b, "tls.version", "9.9", true), "unknown version");
  EXPECT_ERR(ApplyAppOption(&b, "ssl_version", "tls9", true), "unknown value");
  EXPECT_ERR(ApplyAppOption(&b, "stream_size", "server,>", true), "takes");
  EXPECT_ERR(ApplyAppOption(&b, "stream_size", "upstream,>,1", true), "unknown side");
  EXPECT_ERR(ApplyAppOption(&b, "app-layer-protocol", "a b", true), "invalid protocol");
  EXPECT_EQ(ApplyAppOption(&b, "tls.version", "0x0304", true).ok(), true);
  EXPECT_EQ(b.tls_version->version, 0x0304);
}

TEST(TransformAndTag, Parse) {
  EXPECT_TRUE(IsTransformKeyword("dotprefix"));
  EXPECT_FALSE(IsTransformKeyword("content"));
  EXPECT_EQ(ParseTransform("to_lowercase", "", false)->kind, TransformKind::kToLowercase);
  auto x = ParseTransform("xor", "\"0d0ac8ff\"", true);
  ASSERT_TRUE(x.ok()) << Err(x);
  EXPECT_EQ(x->argument, std::string("\x0d\x0a\xc8\xff", 4));
  EXPECT_ERR(ParseTransform("xor", "\"0d0\"", true), "even number");
  EXPECT_ERR(ParseTransform("dotprefix", "x", true), "takes no value");
  EXPECT_ERR(ParseTransform("pcrexform", "", false), "needs a value");
  // Suricata 8's variable xor key is valid syntax Vigil does not implement: a skip, not an error.
  auto var_key = ParseTransform("xor", "offset 4,extract 4 0", true);
  ASSERT_FALSE(var_key.ok());
  EXPECT_EQ(var_key.error().code, ErrorCode::kUnsupported);
  auto t = ParseTag("host,60,seconds,src");
  ASSERT_TRUE(t.ok()) << Err(t);
  EXPECT_EQ(t->scope, TagScope::kHost);
  EXPECT_EQ(t->metric, TagMetric::kSeconds);
  EXPECT_EQ(t->direction, TagDirection::kSrc);
  EXPECT_EQ(ParseTag("session,5,packets")->count, 5u);
  EXPECT_EQ(ParseTag("session")->count, 256u);
  EXPECT_ERR(ParseTag("host,1,packets"), "needs src or dst");
  EXPECT_ERR(ParseTag("session,1,packets,src"), "only applies to host");
  EXPECT_ERR(ParseTag("flow"), "session or host");
  EXPECT_ERR(ParseTag("session,1,lightyears"), "metric");
}

}  // namespace
}  // namespace vigil::rules

namespace vigil::rules {
namespace {

TEST(DefaultClassifications, SuricataStockSet) {
  ClassificationConfig c = DefaultClassifications();
  EXPECT_EQ(c.size(), 43u);
  const Classification* t = c.Find("trojan-activity");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->description, "A Network Trojan was detected");
  EXPECT_EQ(t->priority, 1);
  EXPECT_EQ(c.Find("not-suspicious")->priority, 3);
  EXPECT_EQ(c.Find("tcp-connection")->priority, 4);
  EXPECT_EQ(c.Find("policy-violation")->priority, 1);
  EXPECT_EQ(c.Find("kickass-porn"), nullptr);  // ET's own additions are not Suricata's defaults
  for (const char* name : {"attempted-recon", "web-application-attack", "coin-mining", "domain-c2",
                           "exploit-kit", "misc-attack", "bad-unknown", "network-scan"}) {
    const Classification* k = c.Find(name);
    ASSERT_NE(k, nullptr) << name;
    EXPECT_GE(k->priority, 1) << name;
    EXPECT_LE(k->priority, 4) << name;
    EXPECT_FALSE(k->description.empty()) << name;
  }
}

}  // namespace
}  // namespace vigil::rules
