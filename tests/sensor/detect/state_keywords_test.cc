// Keywords that keep state or read flow facts: xbits (per host / host pair, with expiry),
// flowint, app-layer-protocol, app-layer-event, multi-buffers (any item matches), stream_size;
// the default classification set; and the skip reasons of keywords the engine cannot evaluate.
#include <gtest/gtest.h>

#include "rules/signature/default_classifications.h"
#include "sensor/detect/load_report.h"
#include "tests/sensor/detect/detect_test_util.h"

namespace vigil::sensor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Xbits, TrackSourceHostAcrossFlowsWithExpiry) {
  Harness h(R"(alert udp any any -> any any (content:"login"; xbits:set,seen,track ip_src,expire 10; xbits:noalert; sid:1;)
alert udp any any -> any any (content:"cmd"; xbits:isset,seen,track ip_src; sid:2;)
alert udp any any -> any any (content:"cmd"; xbits:isnotset,seen,track ip_src; sid:3;)
alert udp any any -> any any (content:"logout"; xbits:unset,seen,track ip_src; sid:4;))");
  EXPECT_EQ(h.engine->stats().rules_compiled, 4u);
  auto pkt = [](const char* src, const char* payload, int64_t t) {
    auto p = MakePacket(17, src, 1000, "10.9.9.9", 53, payload);
    p->pkt.ts = Timestamp::FromSeconds(t);
    return p;
  };
  EXPECT_THAT(h.Run(pkt("10.0.0.1", "cmd", 100)->pkt, true, true, nullptr, false), ElementsAre(3u));
  EXPECT_THAT(h.Run(pkt("10.0.0.1", "login", 100)->pkt, true, true, nullptr, false), IsEmpty());
  // A different flow (no flow state at all) of the same host sees the bit; another host does not.
  EXPECT_THAT(h.Run(pkt("10.0.0.1", "cmd", 105)->pkt, true, true, nullptr, false), ElementsAre(2u));
  EXPECT_THAT(h.Run(pkt("10.0.0.2", "cmd", 105)->pkt, true, true, nullptr, false), ElementsAre(3u));
  // expire 10: gone at t = 110.
  EXPECT_THAT(h.Run(pkt("10.0.0.1", "cmd", 110)->pkt, true, true, nullptr, false), ElementsAre(3u));
  EXPECT_THAT(h.Run(pkt("10.0.0.1", "login", 120)->pkt), IsEmpty());
  EXPECT_THAT(h.Run(pkt("10.0.0.1", "logout", 121)->pkt), ElementsAre(4u));
  EXPECT_THAT(h.Run(pkt("10.0.0.1", "cmd", 122)->pkt), ElementsAre(3u));
}

TEST(Xbits, IpPairIsSymmetricAndIpDstTracksTheDestination) {
  Harness h(R"(alert udp any any -> any any (content:"a"; xbits:set,p,track ip_pair; noalert; sid:1;)
alert udp any any -> any any (content:"b"; xbits:isset,p,track ip_pair; sid:2;)
alert udp any any -> any any (content:"c"; xbits:set,d,track ip_dst; noalert; sid:3;)
alert udp any any -> any any (content:"e"; xbits:isset,d,track ip_src; sid:4;)
alert udp any any -> any any (content:"e"; xbits:isset,d,track ip_dst; sid:5;))");
  auto p = [](const char* s, const char* d, const char* payload) { return MakePacket(17, s, 1, d, 2, payload); };
  h.Run(p("1.1.1.1", "2.2.2.2", "a")->pkt);
  EXPECT_THAT(h.Run(p("2.2.2.2", "1.1.1.1", "b")->pkt, false), ElementsAre(2u));
  EXPECT_THAT(h.Run(p("2.2.2.2", "3.3.3.3", "b")->pkt), IsEmpty());
  h.Run(p("1.1.1.1", "5.5.5.5", "c")->pkt);
  // The bit is on host 5.5.5.5; ip_src and ip_dst name hosts in one table per bit.
  EXPECT_THAT(h.Run(p("9.9.9.9", "5.5.5.5", "e")->pkt), ElementsAre(5u));
  EXPECT_THAT(h.Run(p("5.5.5.5", "9.9.9.9", "e")->pkt), ElementsAre(4u));
}

TEST(Flowint, CountsPerFlowAndCompares) {
  Harness h(R"(alert udp any any -> any any (content:"dl"; flowint:n,+,1; noalert; sid:1;)
alert udp any any -> any any (content:"dl"; flowint:n,>,2; sid:2;)
alert udp any any -> any any (content:"q"; flowint:n,notset; sid:3;)
alert udp any any -> any any (content:"reset"; flowint:n,=,0; noalert; sid:4;))");
  EXPECT_EQ(h.engine->stats().rules_compiled, 4u);
  auto p = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "dl");
  auto q = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "q");
  EXPECT_THAT(h.Run(q->pkt), ElementsAre(3u));
  EXPECT_THAT(h.Run(p->pkt), IsEmpty());  // n = 1
  EXPECT_THAT(h.Run(p->pkt), IsEmpty());  // n = 2
  EXPECT_THAT(h.Run(p->pkt), ElementsAre(2u));  // n = 3: the setter runs first (rule order)
  EXPECT_THAT(h.Run(q->pkt), IsEmpty());
  h.Run(MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "reset")->pkt);
  EXPECT_THAT(h.Run(p->pkt), IsEmpty());
}

TEST(AppLayerProtocol, MatchesDetectedProtocolAndNegation) {
  Harness h(R"(alert tcp any any -> any any (app-layer-protocol:http; content:"x"; sid:1;)
alert tcp any any -> any any (app-layer-protocol:!http; content:"x"; sid:2;)
alert tcp any any -> any any (app-layer-protocol:tls,final; content:"x"; sid:3;))");
  EXPECT_EQ(h.engine->stats().rules_compiled, 3u);
  auto p = MakePacket(6, "1.1.1.1", 1, "2.2.2.2", 2, "x");
  auto run = [&](std::string_view proto) {
    BufferSet b;
    b.Set(BufferId::kPacket, p->pkt.payload_span());
    InspectInput in{.packet = &p->pkt, .buffers = &b, .flow = &h.flow, .to_server = true,
                    .established = true, .app_proto = proto};
    h.thread->Inspect(in, &h.q);
    return Sids(h.q);
  };
  EXPECT_THAT(run("http"), ElementsAre(1u));
  EXPECT_THAT(run("tls"), ElementsAre(2u, 3u));
  EXPECT_THAT(run(""), IsEmpty());  // not yet known: neither form matches
}

TEST(AppLayerEvent, MatchesEventsOfTheInspection) {
  Harness h(R"(alert dns any any -> any any (app-layer-event:dns.z_flag_set; sid:1;)
alert tcp any any -> any any (app-layer-event:tls.invalid_record_type; sid:2;))");
  EXPECT_EQ(h.engine->stats().rules_compiled, 2u);
  auto udp = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 53, "q");
  auto tcp = MakePacket(6, "1.1.1.1", 1, "2.2.2.2", 443, "x");
  auto run = [&](const Packet& p, std::string_view proto, std::vector<std::string_view> events) {
    BufferSet b;
    InspectInput in{.packet = &p, .buffers = &b, .flow = &h.flow, .to_server = true,
                    .established = true, .app_proto = proto};
    in.app_events = events;
    h.thread->Inspect(in, &h.q);
    return Sids(h.q);
  };
  EXPECT_THAT(run(udp->pkt, "dns", {"dns.not_a_request", "dns.z_flag_set"}), ElementsAre(1u));
  EXPECT_THAT(run(udp->pkt, "dns", {"dns.not_a_request"}), IsEmpty());
  EXPECT_THAT(run(udp->pkt, "dns", {}), IsEmpty());
  EXPECT_THAT(run(tcp->pkt, "tls", {"tls.invalid_record_type"}), ElementsAre(2u));
  EXPECT_THAT(run(tcp->pkt, "tls", {"tls.invalid_record_version"}), IsEmpty());
}

TEST(DnsOpcode, ComparesTheInspectedMessagesOpcode) {
  Harness h(R"(alert dns any any -> any any (dns.opcode:4; sid:1;)
alert dns any any -> any any (dns.opcode:!0; sid:2;)
alert dns any any -> any any (dns.opcode:>2; sid:3;))");
  EXPECT_EQ(h.engine->stats().rules_compiled, 3u);
  auto p = MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 53, "q");
  auto run = [&](int16_t opcode) {
    BufferSet b;
    InspectInput in{.packet = &p->pkt, .buffers = &b, .flow = &h.flow, .to_server = true,
                    .established = true, .app_proto = "dns"};
    in.dns_opcode = opcode;
    h.thread->Inspect(in, &h.q);
    return Sids(h.q);
  };
  EXPECT_THAT(run(4), ElementsAre(1u, 2u, 3u));
  EXPECT_THAT(run(0), IsEmpty());
  EXPECT_THAT(run(2), ElementsAre(2u));
  EXPECT_THAT(run(-1), IsEmpty());  // not a DNS message inspection
}

TEST(MultiBuffer, AnyItemMatchesWithAndWithoutTransforms) {
  Harness h(R"(alert tls any any -> any any (tls.alpn; content:"http/1.1"; sid:1;)
alert tls any any -> any any (tls.subjectaltname; content:"server15.example"; sid:2;)
alert tls any any -> any any (tls.subjectaltname; to_uppercase; content:"SERVER2."; startswith; sid:3;)
alert tls any any -> any any (tls.alpn; content:"h2"; bsize:2; tls.subjectaltname; content:"server2"; sid:4;))");
  EXPECT_EQ(h.engine->stats().rules_compiled, 4u);
  auto p = MakePacket(6, "1.1.1.1", 1, "2.2.2.2", 443, "");
  auto bytes = [](std::string_view s) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  auto run = [&](std::vector<std::string_view> alpn, std::vector<std::string_view> san) {
    std::vector<std::span<const uint8_t>> a, n;
    for (auto v : alpn) a.push_back(bytes(v));
    for (auto v : san) n.push_back(bytes(v));
    BufferSet b;
    b.SetMulti(BufferId::kTlsAlpn, a);
    b.SetMulti(BufferId::kTlsSubjectAltName, n);
    InspectInput in{.packet = &p->pkt, .buffers = &b, .flow = &h.flow, .to_server = true,
                    .established = true, .app_proto = "tls"};
    h.thread->Inspect(in, &h.q);
    return Sids(h.q);
  };
  EXPECT_THAT(run({"h2", "http/1.1"}, {"server1.example", "server15.example", "server2.example"}),
              ElementsAre(1u, 2u, 3u, 4u));
  EXPECT_THAT(run({"h2"}, {"server2.example"}), ElementsAre(3u, 4u));
  EXPECT_THAT(run({"http/1.1"}, {"server1.example"}), ElementsAre(1u));
  // bsize applies to each item alone, never to the items joined.
  EXPECT_THAT(run({"h2x", "h"}, {"server2.example"}), ElementsAre(3u));
  EXPECT_THAT(run({}, {}), IsEmpty());
}

TEST(StreamSize, ComparesTheSideTheRuleNames) {
  Harness h(R"(alert tcp any any -> any any (stream_size:client,<,100; content:"x"; sid:1;)
alert tcp any any -> any any (stream_size:server,>,1000; content:"x"; sid:2;)
alert tcp any any -> any any (stream_size:either,>,1000; content:"x"; sid:3;))");
  auto p = MakePacket(6, "1.1.1.1", 1, "2.2.2.2", 2, "x");
  auto run = [&](int64_t client, int64_t server) {
    BufferSet b;
    b.Set(BufferId::kPacket, p->pkt.payload_span());
    InspectInput in{.packet = &p->pkt, .buffers = &b, .flow = &h.flow, .to_server = true,
                    .established = true};
    in.client_stream_bytes = client;
    in.server_stream_bytes = server;
    h.thread->Inspect(in, &h.q);
    return Sids(h.q);
  };
  EXPECT_THAT(run(50, 5000), ElementsAre(1u, 2u, 3u));
  EXPECT_THAT(run(500, 10), IsEmpty());
  EXPECT_THAT(run(-1, -1), IsEmpty());  // sizes unknown: no match
}

TEST(Classification, DefaultSetGivesCategoryAndSeverity) {
  rules::ClassificationConfig c = rules::DefaultClassifications();
  EXPECT_EQ(c.size(), 43u);
  ASSERT_NE(c.Find("trojan-activity"), nullptr);
  EXPECT_EQ(c.Find("trojan-activity")->priority, 1);
  EXPECT_EQ(c.Find("tcp-connection")->priority, 4);
  EXPECT_EQ(c.Find("command-and-control")->description, "Malware Command and Control Activity Detected");
  // Without a classification file the engine uses this set.
  Harness h(R"(alert udp any any -> any any (content:"a"; classtype:misc-activity; sid:1;)
alert udp any any -> any any (content:"a"; classtype:bad-unknown; priority:1; sid:2;))");
  h.Run(MakePacket(17, "1.1.1.1", 1, "2.2.2.2", 2, "a")->pkt);
  ASSERT_EQ(h.q.alerts().size(), 2u);
  for (const Alert& a : h.q.alerts()) {
    if (a.sid == 1) {
      EXPECT_EQ(a.category, "Misc activity");
      EXPECT_EQ(a.severity, 3);
    } else {
      EXPECT_EQ(a.category, "Potentially Bad Traffic");
      EXPECT_EQ(a.severity, 1);  // priority: overrides the class
    }
  }
}

}  // namespace
}  // namespace vigil::sensor::testing

namespace vigil::sensor::testing {
namespace {

TEST(LoadReport, GroupsParserAndEngineSkipsAndErrors) {
  rules::RuleVariables vars = rules::RuleVariables::SuricataDefaults();
  rules::RuleLoader loader(vars);
  rules::RuleSet set;
  loader.LoadString(R"(alert udp any any -> any any (content:"a"; sid:1;)
alert udp any any -> any any (content:"a"; asn1:oversize_length 100; sid:2;)
alert tls any any -> any any (tls.version:1.2; sid:3;)
alert tls any any -> any any (tls.version:1.3; sid:4;)
alert udp any any -> any any (content:"a"; sid:5; bogus_field
alert http any any -> any any (http.uri; xor:offset 4,extract 4 0; content:"x"; sid:6;)
)", "t.rules", &set);
  auto e = DetectEngine::Build(std::move(set), {}, nullptr, nullptr);
  ASSERT_TRUE(e.ok());
  LoadReport r = MakeLoadReport(**e);
  EXPECT_EQ(r.seen, 6u);
  EXPECT_EQ(r.compiled, 1u);
  EXPECT_EQ(r.parser_skipped, 2u);
  EXPECT_EQ(r.engine_skipped, 2u);
  EXPECT_EQ(r.errors, 1u);
  ASSERT_FALSE(r.skipped_by_reason.empty());
  // Most frequent first.
  EXPECT_EQ(r.skipped_by_reason[0].first, "engine: tls.version (TLS state not passed to detection)");
  EXPECT_EQ(r.skipped_by_reason[0].second, 2u);
  std::string text = r.ToString();
  EXPECT_NE(text.find("6 seen, 1 compiled (16.67%), 4 skipped (2 by the parser, 2 by the engine), 1 errors"),
            std::string::npos) << text;
  EXPECT_NE(text.find("variable key"), std::string::npos) << text;
  EXPECT_NE(text.find("skipped 1: parser: unsupported keyword 'asn1'"), std::string::npos) << text;
  // At most one line per group, then a count of the rest.
  EXPECT_NE(r.ToString(1).find("more reasons"), std::string::npos);
}

}  // namespace
}  // namespace vigil::sensor::testing
