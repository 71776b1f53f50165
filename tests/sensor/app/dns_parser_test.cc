// DNS message parsing (names, compression, every decoded record type, anomalies) and the
// per-flow parser over UDP and TCP.
#include "sensor/app/dns/dns_parser.h"

#include <gtest/gtest.h>

#include "core/counters.h"
#include "sensor/app/dns/dns_eve.h"
#include "sensor/app/dns/dns_names.h"
#include "tests/sensor/app/app_test_util.h"

namespace vigil::sensor {
namespace {

using testing::Bytes;
using testing::FeedSplit;

// Builds DNS messages byte by byte.
struct Msg {
  std::string b;
  void U8(unsigned v) { b.push_back(static_cast<char>(v)); }
  void U16(unsigned v) { U8(v >> 8); U8(v & 0xff); }
  void U32(uint32_t v) { U16(v >> 16); U16(v & 0xffff); }
  void Header(unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns = 0, unsigned ar = 0) {
    U16(id); U16(flags); U16(qd); U16(an); U16(ns); U16(ar);
  }
  // Uncompressed name; returns its offset.
  size_t Name(std::string_view dotted) {
    size_t at = b.size();
    while (!dotted.empty()) {
      size_t dot = dotted.find('.');
      std::string_view label = dotted.substr(0, dot);
      U8(static_cast<unsigned>(label.size()));
      b.append(label);
      if (dot == std::string_view::npos) break;
      dotted.remove_prefix(dot + 1);
    }
    U8(0);
    return at;
  }
  void Ptr(size_t off) { U16(0xc000 | static_cast<unsigned>(off)); }
  void Question(std::string_view name, unsigned type, unsigned klass = 1) {
    Name(name);
    U16(type);
    U16(klass);
  }
  // Record header with a pointer name; rdata appended by the caller after RdStart/RdEnd.
  size_t RrPtr(size_t name_off, unsigned type, uint32_t ttl) {
    Ptr(name_off);
    U16(type);
    U16(1);
    U32(ttl);
    size_t len_at = b.size();
    U16(0);
    return len_at;
  }
  void RdEnd(size_t len_at) {
    size_t len = b.size() - len_at - 2;
    b[len_at] = static_cast<char>(len >> 8);
    b[len_at + 1] = static_cast<char>(len & 0xff);
  }
  std::string Tcp() const {
    std::string out;
    out.push_back(static_cast<char>(b.size() >> 8));
    out.push_back(static_cast<char>(b.size() & 0xff));
    return out + b;
  }
};

std::string Query(unsigned id, std::string_view name, unsigned type = 1) {
  Msg m;
  m.Header(id, 0x0100, 1, 0);
  m.Question(name, type);
  return m.b;
}

// A response using compression for every record type the parser decodes.
std::string FullResponse() {
  Msg m;
  m.Header(0x1234, 0x8180, 1, 10);
  size_t q = m.b.size();
  m.Question("www.example.com", 1);
  size_t at;
  at = m.RrPtr(q, 5, 300);  // CNAME -> cdn.example.com (compressed suffix)
  m.U8(3); m.b += "cdn"; m.Ptr(q + 4);
  m.RdEnd(at);
  at = m.RrPtr(q, 1, 60);  // A
  m.U8(93); m.U8(184); m.U8(216); m.U8(34);
  m.RdEnd(at);
  at = m.RrPtr(q, 28, 60);  // AAAA
  const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  for (uint8_t x : v6) m.U8(x);
  m.RdEnd(at);
  at = m.RrPtr(q + 4, 15, 3600);  // MX 10 mail.example.com
  m.U16(10); m.U8(4); m.b += "mail"; m.Ptr(q + 4);
  m.RdEnd(at);
  at = m.RrPtr(q + 4, 2, 3600);  // NS
  m.U8(3); m.b += "ns1"; m.Ptr(q + 4);
  m.RdEnd(at);
  at = m.RrPtr(q, 12, 10);  // PTR
  m.Name("host.example.net");
  m.RdEnd(at);
  at = m.RrPtr(q + 4, 16, 10);  // TXT two strings
  m.U8(5); m.b += "v=spf"; m.U8(3); m.b += "1 a";
  m.RdEnd(at);
  at = m.RrPtr(q + 4, 6, 10);  // SOA
  m.U8(3); m.b += "ns1"; m.Ptr(q + 4);
  m.U8(5); m.b += "admin"; m.Ptr(q + 4);
  m.U32(2024010101); m.U32(7200); m.U32(3600); m.U32(1209600); m.U32(300);
  m.RdEnd(at);
  at = m.RrPtr(q + 4, 33, 10);  // SRV 1 5 5060 sip.example.com
  m.U16(1); m.U16(5); m.U16(5060); m.U8(3); m.b += "sip"; m.Ptr(q + 4);
  m.RdEnd(at);
  at = m.RrPtr(q, 65280, 10);  // unknown type: kept as number + length
  m.U32(0xdeadbeef);
  m.RdEnd(at);
  return m.b;
}

TEST(DnsMessage, QueryHeaderAndQuestion) {
  DnsMessage m;
  std::string q = Query(0xbeef, "Www.Example.com", 28);
  ASSERT_TRUE(ParseDnsMessage(Bytes(q), {}, m));
  EXPECT_EQ(m.id, 0xbeef);
  EXPECT_FALSE(m.is_response());
  EXPECT_EQ(m.opcode(), 0);
  ASSERT_EQ(m.questions.size(), 1u);
  EXPECT_EQ(m.questions[0].name, "Www.Example.com");
  EXPECT_EQ(m.questions[0].type, 28);
  EXPECT_EQ(m.questions[0].type_name, "AAAA");
  EXPECT_EQ(m.questions[0].klass, 1);
  EXPECT_EQ(m.events, 0u);
}

TEST(DnsMessage, EveryDecodedRecordType) {
  DnsMessage m;
  std::string r = FullResponse();
  ASSERT_TRUE(ParseDnsMessage(Bytes(r), {}, m));
  EXPECT_TRUE(m.is_response());
  EXPECT_EQ(m.rcode(), 0);
  ASSERT_EQ(m.answers.size(), 10u);
  auto rd = [&](size_t i) { return m.answers[i].rdata; };
  EXPECT_EQ(m.answers[0].name, "www.example.com");
  EXPECT_EQ(m.answers[0].type_name, "CNAME");
  EXPECT_EQ(rd(0), "cdn.example.com");
  EXPECT_EQ(m.answers[0].ttl, 300u);
  EXPECT_EQ(rd(1), "93.184.216.34");
  EXPECT_EQ(rd(2), "2001:0db8:0000:0000:0000:0000:0000:0001");
  EXPECT_EQ(m.answers[3].name, "example.com");
  EXPECT_EQ(rd(3), "mail.example.com");
  EXPECT_EQ(rd(4), "ns1.example.com");
  EXPECT_EQ(rd(5), "host.example.net");
  EXPECT_EQ(rd(6), "v=spf 1 a");
  EXPECT_EQ(rd(7), "ns1.example.com admin.example.com 2024010101 7200 3600 1209600 300");
  EXPECT_EQ(rd(8), "1 5 5060 sip.example.com");
  EXPECT_EQ(m.answers[9].type_name, "65280");
  EXPECT_FALSE(m.answers[9].rdata_decoded);
  EXPECT_EQ(m.answers[9].rdlength, 4);
  EXPECT_EQ(m.events, 0u);
}

TEST(DnsMessage, PointerLoopIsStopped) {
  Msg m;
  m.Header(1, 0x0100, 1, 0);
  size_t at = m.b.size();
  m.U8(1); m.b += "a";
  m.Ptr(at);  // "a" -> back to itself: a.a.a.a...
  m.U16(1); m.U16(1);
  DnsMessage out;
  DnsConfig cfg;
  EXPECT_TRUE(ParseDnsMessage(Bytes(m.b), cfg, out));
  EXPECT_TRUE(out.HasEvent(DnsEvent::kInfiniteLoop));
  ASSERT_EQ(out.questions.size(), 1u);
  EXPECT_EQ(out.questions[0].type, 1);  // parsing resumed after the first pointer

  Msg self;  // a pointer to itself
  self.Header(2, 0x0100, 1, 0);
  self.Ptr(12);
  self.U16(1); self.U16(1);
  EXPECT_TRUE(ParseDnsMessage(Bytes(self.b), cfg, out));
  EXPECT_TRUE(out.HasEvent(DnsEvent::kInfiniteLoop));
  EXPECT_EQ(out.questions[0].name, "<root>");
}

TEST(DnsMessage, LongNamesAndManyLabels) {
  std::string name;
  for (int i = 0; i < 5; ++i) name += (i ? "." : "") + std::string(60, 'a' + i);  // 304 chars
  DnsMessage out;
  std::string q = Query(1, name);
  EXPECT_TRUE(ParseDnsMessage(Bytes(q), {}, out));
  EXPECT_TRUE(out.HasEvent(DnsEvent::kNameTooLong));
  EXPECT_LE(out.questions[0].name.size(), 255u);
  EXPECT_EQ(out.questions[0].type, 1);

  std::string many;
  for (int i = 0; i < 20; ++i) many += (i ? ".x" : "x");
  DnsConfig cfg;
  cfg.max_labels = 10;
  q = Query(1, many);
  EXPECT_TRUE(ParseDnsMessage(Bytes(q), cfg, out));
  EXPECT_TRUE(out.HasEvent(DnsEvent::kTooManyLabels));
  EXPECT_EQ(out.questions[0].name, "x.x.x.x.x.x.x.x.x.x");
}

TEST(DnsMessage, MalformedAndFlagAnomalies) {
  DnsMessage out;
  EXPECT_FALSE(ParseDnsMessage(Bytes("\x01\x02\x03"), {}, out));
  EXPECT_TRUE(out.HasEvent(DnsEvent::kMalformedData));

  std::string q = Query(7, "example.org");
  std::string cut = q.substr(0, q.size() - 3);
  EXPECT_FALSE(ParseDnsMessage(Bytes(cut), {}, out));
  EXPECT_TRUE(out.malformed);
  EXPECT_EQ(out.id, 7);  // the header survives

  Msg m;
  m.Header(1, 0x0100 | 0x0040 | (3u << 11), 1, 0);  // Z set, opcode 3
  m.Question("a.b", 1);
  EXPECT_TRUE(ParseDnsMessage(Bytes(m.b), {}, out));
  EXPECT_TRUE(out.HasEvent(DnsEvent::kZFlagSet));
  EXPECT_TRUE(out.HasEvent(DnsEvent::kInvalidOpcode));

  Msg bad_a;  // A record with 3 bytes of rdata
  bad_a.Header(1, 0x8180, 1, 1);
  bad_a.Question("a.b", 1);
  size_t at = bad_a.RrPtr(12, 1, 1);
  bad_a.U8(1); bad_a.U8(2); bad_a.U8(3);
  bad_a.RdEnd(at);
  EXPECT_TRUE(ParseDnsMessage(Bytes(bad_a.b), {}, out));
  EXPECT_TRUE(out.HasEvent(DnsEvent::kMalformedData));
  EXPECT_TRUE(out.answers[0].rdata.empty());
}

TEST(DnsNames, TypesAndRcodes) {
  EXPECT_EQ(DnsTypeName(1), "A");
  EXPECT_EQ(DnsTypeName(255), "ANY");
  EXPECT_EQ(DnsTypeName(65), "HTTPS");
  std::string t;
  DnsTypeText(4242, t);
  EXPECT_EQ(t, "4242");
  EXPECT_EQ(DnsRcodeName(0), "NOERROR");
  EXPECT_EQ(DnsRcodeName(3), "NXDOMAIN");
  EXPECT_EQ(DnsRcodeName(5), "REFUSED");
  DnsRcodeText(13, t);
  EXPECT_EQ(t, "13");
}

struct DnsHarness {
  DnsHarness() {
    counters = *RegisterAppCounters(registry);
    counters.block = registry.NewBlock("t");
    parser = std::make_unique<DnsParser>(cfg, &counters);
  }
  DnsConfig cfg;
  CounterRegistry registry;
  AppCounters counters;
  std::unique_ptr<DnsParser> parser;
};

TEST(DnsParser, UdpCountsAndDirectionChecks) {
  DnsHarness h;
  std::string q = Query(1, "a.example");
  std::string r = FullResponse();
  h.parser->OnDatagram(Direction::kToServer, Bytes(q));
  h.parser->OnDatagram(Direction::kToClient, Bytes(r));
  h.parser->OnDatagram(Direction::kToClient, Bytes(q));  // a query sent to the client
  h.parser->OnDatagram(Direction::kToServer, Bytes(r));  // a response sent to the server
  EXPECT_EQ(h.registry.Total("app.dns.queries"), 2u);
  EXPECT_EQ(h.registry.Total("app.dns.answers"), 2u);
  EXPECT_EQ(h.registry.Total("dns.not_a_response"), 1u);
  EXPECT_EQ(h.registry.Total("dns.not_a_request"), 1u);
  ASSERT_EQ(h.parser->message_count(), 4u);
  EXPECT_TRUE(h.parser->message(2).HasEvent(DnsEvent::kNotAResponse));
  ASSERT_EQ(h.parser->anomalies().items().size(), 2u);
  EXPECT_EQ(h.parser->anomalies().items()[0].name, "dns.not_a_response");

  std::vector<std::string> seen;
  h.parser->Drain([&](const DnsMessage& m) {
    DnsInfo info;
    if (!m.is_response()) {
      FillDnsQuery(m, 0, info);
      EXPECT_EQ(info.kind, DnsInfo::Kind::kQuery);
      seen.push_back(std::string(info.rrname) + "/" + std::string(info.rrtype));
    } else {
      std::vector<DnsAnswer> scratch;
      FillDnsAnswer(m, scratch, info);
      EXPECT_EQ(info.rcode, "NOERROR");
      EXPECT_EQ(info.answers.size(), 10u);
      EXPECT_EQ(info.answers[1].rdata, "93.184.216.34");
      EXPECT_EQ(info.answers[1].rrtype, "A");
      seen.push_back("answer " + std::string(info.rrname));
    }
  });
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], "a.example/A");
  EXPECT_EQ(seen[1], "answer www.example.com");
  EXPECT_EQ(h.parser->message_count(), 0u);
}

TEST(DnsParser, TcpFramingInAnySplit) {
  std::string stream = Msg{Query(1, "one.example")}.Tcp() + Msg{FullResponse()}.Tcp() +
                       Msg{Query(3, "three.example", 16)}.Tcp();
  std::vector<std::string> reference;
  for (size_t mode : {size_t{0}, size_t{1}, size_t{2}, size_t{9}, size_t{100}}) {
    DnsHarness h;
    FeedSplit(stream, mode, [&](std::string_view p) { h.parser->OnData(Direction::kToServer, Bytes(p)); });
    std::vector<std::string> got;
    h.parser->Drain([&](const DnsMessage& m) {
      std::string s = std::to_string(m.id) + ":" + std::to_string(m.tcp);
      for (auto& q : m.questions) s += " q " + q.name + "/" + q.type_name;
      for (auto& a : m.answers) s += " a " + a.name + "=" + a.rdata;
      got.push_back(s);
    });
    ASSERT_EQ(got.size(), 3u) << mode;
    if (mode == 0) {
      reference = got;
      EXPECT_EQ(got[2], "3:1 q three.example/TXT");
    } else {
      EXPECT_EQ(got, reference) << mode;
    }
  }
}

TEST(DnsParser, TcpGapAbandonsTheDirection) {
  DnsHarness h;
  std::string m1 = Msg{Query(1, "a.example")}.Tcp();
  h.parser->OnData(Direction::kToServer, Bytes(m1.substr(0, 5)));
  h.parser->OnGap(Direction::kToServer, 10);
  h.parser->OnData(Direction::kToServer, Bytes(m1));
  EXPECT_EQ(h.parser->message_count(), 0u);
  EXPECT_EQ(h.registry.Total("app.dns.tcp_gaps"), 1u);
  h.parser->OnData(Direction::kToClient, Bytes(Msg{FullResponse()}.Tcp()));  // other side still works
  EXPECT_EQ(h.parser->message_count(), 1u);
  h.parser->Reset();
  h.parser->OnData(Direction::kToServer, Bytes(m1));
  EXPECT_EQ(h.parser->message_count(), 1u);
}

TEST(DnsParser, QueueIsBounded) {
  DnsHarness h;
  h.cfg.max_queued_messages = 2;
  std::string q = Query(1, "a.example");
  for (int i = 0; i < 5; ++i) h.parser->OnDatagram(Direction::kToServer, Bytes(q));
  EXPECT_EQ(h.parser->message_count(), 2u);
  EXPECT_EQ(h.registry.Total("app.dns.queue_full"), 3u);
  EXPECT_EQ(h.registry.Total("app.dns.queries"), 5u);
}

}  // namespace
}  // namespace vigil::sensor
