// Datasets: value parsing, the shared set (memcap, thread safety), file loading (csv, json,
// ndjson), and the dataset keyword in the engine (set/unset/isset/isnotset, transforms,
// ip.src/ip.dst, match subdomain, datajson contexts in alerts, rules skipped for bad sets).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sensor/detect/dataset_loader.h"
#include "sensor/detect/dataset_match.h"
#include "sensor/detect/dataset_store.h"
#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

using rules::DatasetType;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

rules::DatasetMatch Spec(const std::string& value) {
  auto m = rules::ParseDataset(value);
  EXPECT_TRUE(m.ok()) << value << ": " << (m.ok() ? "" : m.error().message);
  return m.ok() ? *m : rules::DatasetMatch{};
}

// A file under the test's temporary directory, removed with it.
class TempFiles {
 public:
  TempFiles() {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil-dataset-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
  }
  ~TempFiles() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    const auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
};

TEST(DatasetValue, ParsesEachTypeAsSuricataStoresIt) {
  EXPECT_EQ(ParseDatasetValue(DatasetType::kString, "Y3VybC83LjQzLjA=", true), "curl/7.43.0");
  EXPECT_EQ(ParseDatasetValue(DatasetType::kString, "curl/7.43.0", false), "curl/7.43.0");
  EXPECT_FALSE(ParseDatasetValue(DatasetType::kString, "not base64!", true));
  auto md5 = ParseDatasetValue(DatasetType::kMd5, "b65d49730d16e5a8a7b2ab95350848b8", false);
  ASSERT_TRUE(md5);
  EXPECT_EQ(md5->size(), 16u);
  EXPECT_EQ(static_cast<uint8_t>((*md5)[0]), 0xb6);
  EXPECT_FALSE(ParseDatasetValue(DatasetType::kMd5, "b65d", false));
  EXPECT_FALSE(ParseDatasetValue(DatasetType::kSha256, "zz", false));
  EXPECT_EQ(ParseDatasetValue(DatasetType::kIpv4, "10.0.0.1", false), std::string("\x0a\x00\x00\x01", 4));
  EXPECT_FALSE(ParseDatasetValue(DatasetType::kIpv4, "::1", false));
  // ip sets: IPv4 (plain or v4-mapped) as 4 bytes then zeros; IPv6 as is.
  const std::string v4(std::string("\x52\xa5\xb1\x9a", 4) + std::string(12, '\0'));
  EXPECT_EQ(ParseDatasetValue(DatasetType::kIp, "82.165.177.154", false), v4);
  EXPECT_EQ(ParseDatasetValue(DatasetType::kIp, "::ffff:82.165.177.154", false), v4);
  auto v6 = ParseDatasetValue(DatasetType::kIp, "2001:db8::1", false);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->size(), 16u);
  EXPECT_EQ(static_cast<uint8_t>((*v6)[0]), 0x20);
}

TEST(Dataset, AddRemoveLookupAndKeyShapes) {
  Dataset s("s", DatasetType::kString, 1 << 20, 16);
  EXPECT_EQ(s.Add(Bytes("a")), 1);
  EXPECT_EQ(s.Add(Bytes("a")), 0);
  EXPECT_TRUE(s.Contains(Bytes("a")));
  EXPECT_FALSE(s.Contains(Bytes("b")));
  EXPECT_EQ(s.Remove(Bytes("a")), 1);
  EXPECT_EQ(s.Remove(Bytes("a")), 0);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.memuse(), 0u);

  Dataset md5("m", DatasetType::kMd5, 1 << 20, 16);
  EXPECT_EQ(md5.Add(Bytes("short")), -1);  // not 16 bytes: never a key
  EXPECT_FALSE(md5.Contains(Bytes("short")));

  Dataset ip("i", DatasetType::kIp, 1 << 20, 16);
  ASSERT_EQ(ip.Insert(*ParseDatasetValue(DatasetType::kIp, "10.1.2.3", false), ""), 1);
  const uint8_t v4[4] = {10, 1, 2, 3};
  EXPECT_TRUE(ip.Contains(v4));  // a 4-byte ip.src matches the stored IPv4 form
  const uint8_t other[4] = {10, 1, 2, 4};
  EXPECT_FALSE(ip.Contains(other));
}

TEST(Dataset, MemcapBoundsTheSetAndCountsRefusedAdds) {
  Dataset s("s", DatasetType::kString, 3 * (Dataset::kEntryOverhead + 1), 16);
  EXPECT_EQ(s.Add(Bytes("a")), 1);
  EXPECT_EQ(s.Add(Bytes("b")), 1);
  EXPECT_EQ(s.Add(Bytes("c")), 1);
  EXPECT_EQ(s.Add(Bytes("d")), -2);
  EXPECT_EQ(s.full_count(), 1u);
  rules::DatasetMatch set_cmd = Spec("set,s,type string");
  DatasetHits hits;
  EXPECT_FALSE(MatchDataset(set_cmd, &s, Bytes("e"), &hits));
  EXPECT_EQ(hits.full, 1u);
  EXPECT_EQ(s.full_count(), 2u);
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s.Remove(Bytes("a")), 1);  // room again
  EXPECT_EQ(s.Add(Bytes("d")), 1);
}

TEST(Dataset, SubdomainMatchesTheBufferOrASuffixAtADot) {
  Dataset s("s", DatasetType::kString, 1 << 20, 16);
  s.Insert(".evil.com", "");
  EXPECT_NE(s.FindSubdomain(Bytes(".mail.evil.com")), nullptr);
  EXPECT_NE(s.FindSubdomain(Bytes(".evil.com")), nullptr);
  EXPECT_EQ(s.FindSubdomain(Bytes(".notevil.com")), nullptr);
  EXPECT_EQ(s.FindSubdomain(Bytes(".example.com")), nullptr);
}

TEST(Dataset, ConcurrentReadersAndWritersAgree) {
  Dataset s("s", DatasetType::kString, 64 << 20, 16);
  std::atomic<int> added{0};
  auto writer = [&](int base) {
    for (int i = 0; i < 2000; ++i) {
      const std::string k = std::to_string(base + i % 1000);  // half the adds repeat
      if (s.Add(Bytes(k)) == 1) added.fetch_add(1);
      (void)s.Contains(Bytes(k));
    }
  };
  std::thread a(writer, 0), b(writer, 500);
  a.join();
  b.join();
  EXPECT_EQ(added.load(), 1500);  // keys 0..1499, each added exactly once
  EXPECT_EQ(s.size(), 1500u);
}

TEST(DatasetLoader, CsvLinesWithReputationAndBadLines) {
  Dataset s("s", DatasetType::kString, 1 << 20, 16);
  auto m = Spec("isset,s,type string");
  ASSERT_TRUE(LoadDatasetText(&s, m, "Y3VybC83LjQzLjA=\n\nYQ==,10\n", "x.csv").ok());
  EXPECT_TRUE(s.Contains(Bytes("curl/7.43.0")));
  EXPECT_TRUE(s.Contains(Bytes("a")));
  EXPECT_EQ(s.size(), 2u);
  Dataset bad("b", DatasetType::kIpv4, 1 << 20, 16);
  auto st = LoadDatasetText(&bad, Spec("isset,b,type ipv4"), "10.0.0.1\nnope\n", "b.csv");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("line 2"), std::string::npos) << st.error().message;
  Dataset tiny("t", DatasetType::kString, Dataset::kEntryOverhead + 1, 16);
  auto full = LoadDatasetText(&tiny, Spec("isset,t,type string"), "YQ==\nYg==\n", "t.csv");
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::kLimit);
}

TEST(DatasetLoader, JsonArrayKeyNestedValueKeyAndRemoveKey) {
  Dataset s("s", DatasetType::kString, 1 << 20, 16);
  auto m = Spec(
      "isset,s,type string,format json,value_key host.fqdn,array_key info.threat,"
      "context_key c,remove_key");
  const std::string doc = R"({"info":{"threat":[
      {"year":2005,"host":{"fqdn":"www.x.com","domain":"x.com"}},
      {"year":2023,"host":{"domain":"x.com"}}]}})";
  auto st = LoadDatasetText(&s, m, doc, "h.json");
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(s.size(), 1u);  // the entry without host.fqdn is skipped
  const std::string* ctx = s.Find(Bytes("www.x.com"));
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(*ctx, R"({"year":2005,"host":{"domain":"x.com"}})");

  Dataset top("t", DatasetType::kIp, 1 << 20, 16);
  auto plain = Spec("isset,t,type ip,format json,value_key ip");
  ASSERT_TRUE(LoadDatasetText(&top, plain, R"([{"ip":"10.0.0.1","n":1},{"ip":"10.0.0.1","n":2}])", "s.json").ok());
  const uint8_t a[4] = {10, 0, 0, 1};
  ASSERT_NE(top.Find(a), nullptr);
  EXPECT_EQ(*top.Find(a), R"({"ip":"10.0.0.1","n":1})");  // duplicates keep the first entry
  EXPECT_FALSE(LoadDatasetText(&top, plain, R"({"ip":"10.0.0.1"})", "o.json").ok());  // not an array
  EXPECT_FALSE(LoadDatasetText(&top, plain, R"([{"ip":"nonsense"}])", "n.json").ok());
  EXPECT_FALSE(LoadDatasetText(&top, plain, "[{", "broken.json").ok());
}

TEST(DatasetLoader, DeepContextIsCutNotBroken) {
  Dataset s("s", DatasetType::kString, 1 << 20, 16);
  auto m = Spec("isset,s,type string,format ndjson,value_key k");
  std::string deep = "{\"k\":\"v\",\"d\":" + std::string(200, '[') + std::string(200, ']') + "}";
  ASSERT_TRUE(LoadDatasetText(&s, m, deep, "deep.ndjson").ok());
  const std::string* ctx = s.Find(Bytes("v"));
  ASSERT_NE(ctx, nullptr);
  // Valid JSON: nesting past the limit becomes null.
  EXPECT_NE(ctx->find("null"), std::string::npos);
  EXPECT_EQ(std::count(ctx->begin(), ctx->end(), '['), std::count(ctx->begin(), ctx->end(), ']'));
}

TEST(DatasetLoader, NdjsonOneObjectPerLine) {
  Dataset s("s", DatasetType::kString, 1 << 20, 16);
  auto m = Spec("isset,s,type string,format ndjson,value_key host");
  auto st = LoadDatasetText(&s, m, "{\"host\":\"a.com\",\"y\":1}\n\n{\"host\":\"b.com\"}\n", "h.ndjson");
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(s.size(), 2u);
  EXPECT_FALSE(LoadDatasetText(&s, m, "{\"host\":\"c.com\"}\n{bad\n", "bad.ndjson").ok());
}

// The engine: rules name files by absolute path here (the loader resolves relative ones
// against the rule file's directory).
TEST(DatasetEngine, IssetIsnotsetOnAStickyBuffer) {
  TempFiles files;
  const std::string ua = files.Write("ua.csv", "Y3VybC83LjQzLjA=\n");
  Harness h("alert tcp any any -> any any (http.user_agent; dataset:isset,ua,type string,load " + ua +
            "; sid:1;)\nalert tcp any any -> any any (http.user_agent; dataset:isnotset,ua,type string,load " +
            ua + "; sid:2;)");
  ASSERT_TRUE(h.engine);
  EXPECT_EQ(h.engine->stats().rules_compiled, 2u);
  EXPECT_EQ(h.engine->datasets().size(), 1u);
  auto p = MakePacket(6, "10.0.0.1", 1000, "10.0.0.2", 80, "");
  BufferSet b;
  b.Set(BufferId::kHttpUserAgent, std::string_view("curl/7.43.0"));
  h.flow.pass = false;
  EXPECT_THAT(h.Run(p->pkt, true, true, &b), ElementsAre(1u));
  BufferSet other;
  other.Set(BufferId::kHttpUserAgent, std::string_view("Mozilla"));
  EXPECT_THAT(h.Run(p->pkt, true, true, &other), ElementsAre(2u));
}

TEST(DatasetEngine, SetMatchesWhenAddedAndUnsetWhenRemoved) {
  Harness h(R"(alert tcp any any -> any any (http.uri; content:"/add"; http.user_agent; dataset:set,seen,type string; sid:1;)
alert tcp any any -> any any (http.uri; content:"/del"; http.user_agent; dataset:unset,seen,type string; sid:2;)
alert tcp any any -> any any (http.uri; content:"/chk"; http.user_agent; dataset:isset,seen,type string; sid:3;))");
  ASSERT_TRUE(h.engine);
  auto p = MakePacket(6, "10.0.0.1", 1000, "10.0.0.2", 80, "");
  auto run = [&](const char* uri, const char* ua) {
    BufferSet b;
    b.Set(BufferId::kHttpUri, std::string_view(uri));
    b.Set(BufferId::kHttpUserAgent, std::string_view(ua));
    return h.Run(p->pkt, true, true, &b);
  };
  EXPECT_THAT(run("/chk", "ua1"), IsEmpty());
  EXPECT_THAT(run("/add", "ua1"), ElementsAre(1u));
  EXPECT_THAT(run("/add", "ua1"), IsEmpty());  // already present: set does not match
  EXPECT_THAT(run("/add", "ua2"), ElementsAre(1u));
  EXPECT_THAT(run("/chk", "ua1"), ElementsAre(3u));
  EXPECT_THAT(run("/del", "ua1"), ElementsAre(2u));
  EXPECT_THAT(run("/del", "ua1"), IsEmpty());  // already gone
  EXPECT_THAT(run("/chk", "ua1"), IsEmpty());
  const Dataset* seen = h.engine->datasets().Find("seen");
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(seen->Keys(), std::vector<std::string>{"ua2"});
}

TEST(DatasetEngine, TransformedBufferAndSubdomain) {
  TempFiles files;
  const std::string md5 = files.Write("md5.lst", "b65d49730d16e5a8a7b2ab95350848b8\n");  // md5("www.testmyids.com")
  const std::string dom = files.Write("d.lst", "LmV2aWwuY29t\n");  // ".evil.com"
  Harness h("alert udp any any -> any any (dns.query; dotprefix; dataset:isset,d,type string,match subdomain,load " +
            dom + "; sid:1;)\nalert udp any any -> any any (dns.query; to_md5; dataset:isset,h,type md5,load " +
            md5 + "; sid:2;)");
  ASSERT_TRUE(h.engine);
  auto p = MakePacket(17, "10.0.0.1", 1234, "10.0.0.2", 53, "");
  BufferSet b;
  b.Set(BufferId::kDnsQuery, std::string_view("mail.evil.com"));
  EXPECT_THAT(h.Run(p->pkt, true, true, &b), ElementsAre(1u));
  BufferSet c;
  c.Set(BufferId::kDnsQuery, std::string_view("notevil.com"));
  EXPECT_THAT(h.Run(p->pkt, true, true, &c), IsEmpty());
  BufferSet d;
  d.Set(BufferId::kDnsQuery, std::string_view("www.testmyids.com"));
  EXPECT_THAT(h.Run(p->pkt, true, true, &d), ElementsAre(2u));
}

TEST(DatasetEngine, IpSrcIpDstAndContextInTheAlert) {
  TempFiles files;
  const std::string src = files.Write("src.lst", R"([{"ip":"10.16.1.11","test":"success"}])");
  const std::string dst = files.Write("dst.csv", "::ffff:82.165.177.154\n");
  Harness h("alert tcp any any -> any any (ip.src; dataset:isset,s,type ip,load " + src +
            ",format json,context_key src_ip,value_key ip; ip.dst; dataset:isset,d,type ip,load " + dst +
            "; sid:1;)\nalert tcp any any -> any any (ip.dst; dataset:isset,d,type ip,load " + dst + "; sid:2;)");
  ASSERT_TRUE(h.engine);
  auto good = MakePacket(6, "10.16.1.11", 1000, "82.165.177.154", 80, "");
  EXPECT_THAT(h.Run(good->pkt), ElementsAre(1u, 2u));
  ASSERT_EQ(h.q.alerts().size(), 2u);
  const Alert& a = h.q.alerts()[0];
  ASSERT_EQ(a.contexts().size(), 1u);
  JsonWriter w;
  WriteDatasetContext(a.contexts(), w);
  EXPECT_EQ(w.view(), R"({"src_ip":{"ip":"10.16.1.11","test":"success"}})");
  EXPECT_TRUE(h.q.alerts()[1].contexts().empty());
  auto other = MakePacket(6, "10.16.1.12", 1000, "82.165.177.154", 80, "");
  EXPECT_THAT(h.Run(other->pkt), ElementsAre(2u));
}

TEST(DatasetEngine, BadSetsSkipTheRuleWithAReason) {
  TempFiles files;
  const std::string bad = files.Write("bad.csv", "not-an-ip\n");
  Harness h("alert tcp any any -> any any (ip.src; dataset:isset,a,type ip,load " + bad +
            "; sid:1;)\nalert tcp any any -> any any (ip.src; dataset:isset,m,type ip,load " +
            files.Write("exists.csv", "") + ".missing; sid:2;)\n"
            "alert tcp any any -> any any (ip.src; dataset:isset,t,type ipv4; sid:3;)\n"
            "alert tcp any any -> any any (ip.dst; dataset:isset,t,type ip; sid:4;)\n"
            "alert tcp any any -> any any (ip.src; dataset:isset,j,type ip,load " +
            files.Write("j.json", R"([{"ip":"10.0.0.1"}])") +
            ",format json,value_key ip; sid:5;)\n"
            "alert tcp any any -> any any (ip.src; dataset:unset,j,type ip; sid:6;)");
  ASSERT_TRUE(h.engine);
  const DetectStats& st = h.engine->stats();
  EXPECT_EQ(st.rules_compiled, 2u);  // sids 3 and 5
  EXPECT_EQ(st.rules_skipped, 4u);
  bool type_reason = false, line_reason = false, read_only = false;
  for (const auto& [reason, n] : st.skipped_by_reason) {
    type_reason |= reason.find("is type ipv4 in an earlier rule") != std::string::npos;
    line_reason |= reason.find("line 1") != std::string::npos;
    read_only |= reason.find("read-only") != std::string::npos;
  }
  EXPECT_TRUE(read_only);
  EXPECT_TRUE(type_reason);
  EXPECT_TRUE(line_reason);
}

}  // namespace
}  // namespace vigil::sensor::testing
