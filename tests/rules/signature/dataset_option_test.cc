// The dataset keyword's parser, its place in a rule (the current sticky buffer after its
// transforms), the ip.src / ip.dst sticky buffers and the prefilter hint.
#include <gtest/gtest.h>

#include "rules/signature/dataset_option.h"
#include "rules/signature/rule_parser.h"

namespace vigil::rules {
namespace {

std::string Err(const Result<DatasetMatch>& r) { return r.ok() ? std::string("<ok>") : r.error().message; }

TEST(DatasetOption, ParsesCommandNameTypeAndFileOptions) {
  auto m = ParseDataset("isset,ua-seen,type string,load ua.csv,memcap 10mb,hashsize 1024");
  ASSERT_TRUE(m.ok()) << Err(m);
  EXPECT_EQ(m->command, DatasetCommand::kIsSet);
  EXPECT_EQ(m->name, "ua-seen");
  EXPECT_EQ(m->type, DatasetType::kString);
  EXPECT_EQ(m->load, "ua.csv");
  EXPECT_EQ(m->memcap, 10ull << 20);
  EXPECT_EQ(m->hashsize, 1024u);
  EXPECT_EQ(m->format, DatasetFormat::kCsv);

  auto s = ParseDataset("set,seen,type sha256,state seen.lst");
  ASSERT_TRUE(s.ok()) << Err(s);
  EXPECT_EQ(s->command, DatasetCommand::kSet);
  EXPECT_TRUE(s->state);
  EXPECT_EQ(s->load, "seen.lst");
  EXPECT_EQ(s->save, "seen.lst");
  EXPECT_TRUE(DatasetChanges(s->command));
  EXPECT_FALSE(DatasetChanges(m->command));

  for (auto [text, type] : {std::pair<const char*, DatasetType>{"type md5", DatasetType::kMd5},
                            {"type ipv4", DatasetType::kIpv4}, {"type ip", DatasetType::kIp},
                            {"type ipv6", DatasetType::kIp}}) {
    auto t = ParseDataset(std::string("isnotset,x,") + text);
    ASSERT_TRUE(t.ok()) << text << ": " << Err(t);
    EXPECT_EQ(t->type, type) << text;
  }
}

TEST(DatasetOption, ParsesJsonOptionsAndSubdomain) {
  auto m = ParseDataset(
      "isset,hosts,type string,load h.json,format json, context_key bad_host,value_key host.fqdn,"
      " array_key info.threat, remove_key");
  ASSERT_TRUE(m.ok()) << Err(m);
  EXPECT_EQ(m->format, DatasetFormat::kJson);
  EXPECT_EQ(m->context_key, "bad_host");
  EXPECT_EQ(m->value_key, "host.fqdn");
  EXPECT_EQ(m->array_key, "info.threat");
  EXPECT_TRUE(m->remove_key);
  auto d = ParseDataset("isset,b,type string,match subdomain,load d.lst");
  ASSERT_TRUE(d.ok()) << Err(d);
  EXPECT_TRUE(d->match_subdomain);
}

TEST(DatasetOption, RejectsBadInputWithClearErrors) {
  auto has = [](const char* v, const char* needle) {
    auto r = ParseDataset(v);
    EXPECT_FALSE(r.ok()) << v;
    EXPECT_NE(Err(r).find(needle), std::string::npos) << v << ": " << Err(r);
  };
  has("isset", "expected");
  has("check,x,type string", "unknown command");
  has("isset,x", "'type' is required");
  has("isset,x,type float", "unknown type");
  has("isset,x,type string,memcap lots", "invalid memcap");
  has("isset,x,type string,hashsize 0", "invalid hashsize");
  has("isset,x,type string,frobnicate 1", "unknown option");
  has("isset,x,type string,load", "needs a value");
  has("isset,x,type string,load a,load b", "more than one");
  has("isset,x,type string,format json", "needs value_key");
  has("isset,x,type string,value_key k", "need format json");
  has("isset,x,type string,format ndjson,value_key k,array_key a", "array_key needs format json");
  has("isset,x,type ip,match subdomain", "needs type string");
  has("set,x,type string,format json,value_key k", "read-only");
  has("isset,x,type string,match prefix", "unknown match mode");
}

class DatasetRuleTest : public ::testing::Test {
 protected:
  RuleParseResult Parse(std::string_view text) { return parser_.Parse(text); }
  RuleVariables vars_ = RuleVariables::SuricataDefaults();
  RuleParser parser_{vars_};
};

TEST_F(DatasetRuleTest, GoesToTheStickyBufferListWithItsTransforms) {
  auto r = Parse(
      "alert dns any any -> any any (dns.query; content:\"evil\"; dotprefix; "
      "dataset:isset,d,type string,load d.lst; sid:1;)");
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.rule->buffers.size(), 2u);
  // The content stays on the plain dns.query list; the dataset inspects the dotprefixed one.
  EXPECT_TRUE(r.rule->buffers[0].transforms.empty());
  EXPECT_EQ(r.rule->buffers[1].buffer, BufferId::kDnsQuery);
  ASSERT_EQ(r.rule->buffers[1].transforms.size(), 1u);
  ASSERT_EQ(r.rule->buffers[1].matches.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<DatasetMatch>(r.rule->buffers[1].matches[0]));
}

TEST_F(DatasetRuleTest, IpSrcAndIpDstAreStickyBuffers) {
  auto r = Parse(
      "alert http any any -> any any (ip.src; dataset:isset,a,type ip,load a.lst; ip.dst; "
      "dataset:isnotset,b,type ipv4; sid:1;)");
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.rule->buffers.size(), 2u);
  EXPECT_EQ(r.rule->buffers[0].buffer, BufferId::kIpSrc);
  EXPECT_EQ(r.rule->buffers[1].buffer, BufferId::kIpDst);
  EXPECT_EQ(BufferName(BufferId::kIpSrc), "ip.src");
}

TEST_F(DatasetRuleTest, WithoutStickyBufferInspectsPktData) {
  auto r = Parse("alert tcp any any -> any any (dataset:set,p,type string; sid:1;)");
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.rule->buffers.size(), 1u);
  EXPECT_EQ(r.rule->buffers[0].buffer, BufferId::kPacket);
}

TEST_F(DatasetRuleTest, PrefilterIsAcceptedAndChangesNothing) {
  auto with = Parse("alert ip any any -> any any (ttl:64; prefilter; sid:1;)");
  auto without = Parse("alert ip any any -> any any (ttl:64; sid:1;)");
  ASSERT_TRUE(with.ok()) << with.error.message;
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(with.rule->header_checks.ttl.has_value(), without.rule->header_checks.ttl.has_value());
  EXPECT_TRUE(Parse("alert tcp any any -> any any (flowbits:isset,a; prefilter; sid:2;)").ok());
  auto bad = Parse("alert ip any any -> any any (prefilter:yes; sid:3;)");
  EXPECT_FALSE(bad.ok());
  auto err = Parse("alert http any any -> any any (http.host; dataset:isset,x; sid:4;)");
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.error.message.find("'type' is required"), std::string::npos) << err.error.message;
}

}  // namespace
}  // namespace vigil::rules
