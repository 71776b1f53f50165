#include "core/eve_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/community_id.h"
#include "tests/core/json_test_util.h"

namespace vigil {
namespace {

using Keys = std::vector<std::string>;

EventEnvelope TcpEnvelope() {
  EventEnvelope e;
  e.timestamp = Timestamp::FromMicros(1'700'000'000'123'456);
  e.flow_id = 1234567890123;
  e.sensor_id = "moh-dc1-s01";
  e.in_iface = "eth0";
  e.pcap_cnt = 42;
  e.src_ip = *IpAddress::Parse("192.0.2.10");
  e.dest_ip = *IpAddress::Parse("198.51.100.20");
  e.src_port = 49152;
  e.dest_port = 80;
  e.ip_proto = 6;
  e.pkt_src = "wire/pcap";
  e.community_id = "1:wCb3OG7yAFWelaUydu0D+125CLM=";
  e.app_proto = "http";
  e.direction = Direction::kToServer;
  e.province = "north";
  return e;
}

class EveTest : public ::testing::Test {
 protected:
  // Writes ev, checks it is one line of valid JSON, and parses it into doc_.
  void Render(const Event& ev) {
    w_.Clear();
    Status st = WriteEve(ev, w_);
    ASSERT_TRUE(st.ok()) << st.error().message;
    ASSERT_TRUE(w_.Complete());
    ASSERT_EQ(w_.view().find('\n'), std::string_view::npos);
    ASSERT_EQ(testing::Parse(parser_, w_.view(), &doc_), "") << w_.str();
  }
  std::string Str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

  JsonWriter w_;
  simdjson::dom::parser parser_;
  simdjson::dom::element doc_;
};

TEST_F(EveTest, AlertWithHttpAndFlowInSuricataOrder) {
  const std::string_view targets[] = {"Client_Endpoint"};
  const std::string_view dates[] = {"2016_06_17", "2019_07_26"};
  const AlertMetadata meta[] = {{"attack_target", targets}, {"created_at", dates}};
  AlertInfo alert{.action = "allowed", .gid = 1, .signature_id = 2016141, .rev = 5,
                  .signature = "ET INFO Executable Download from dotted-quad Host",
                  .category = "A Network Trojan was detected", .severity = 1, .metadata = meta};
  HttpInfo http{.hostname = "203.0.113.5", .url = "/x.exe", .http_user_agent = "curl/8.0",
                .http_content_type = "application/octet-stream", .http_method = "GET",
                .protocol = "HTTP/1.1", .status = 200, .length = 5120};
  FlowInfo flow{.pkts_toserver = 4, .pkts_toclient = 6, .bytes_toserver = 400,
                .bytes_toclient = 6000, .start = Timestamp::FromSeconds(1'700'000'000)};
  Event ev{.type = EventType::kAlert, .envelope = TcpEnvelope(), .alert = &alert, .flow = &flow,
           .http = &http};
  ev.envelope.tx_id = 0;
  Render(ev);

  EXPECT_EQ(testing::Keys(doc_),
            (Keys{"timestamp", "flow_id", "sensor_id", "in_iface", "pcap_cnt", "event_type",
                  "src_ip", "src_port", "dest_ip", "dest_port", "proto", "pkt_src",
                  "community_id", "tx_id", "alert", "http", "app_proto", "direction", "flow",
                  "province"}));
  EXPECT_EQ(Str(doc_["timestamp"]), "2023-11-14T22:13:20.123456+0000");
  EXPECT_EQ(uint64_t(doc_["flow_id"]), 1234567890123u);
  EXPECT_EQ(Str(doc_["event_type"]), "alert");
  EXPECT_EQ(Str(doc_["src_ip"]), "192.0.2.10");
  EXPECT_EQ(uint64_t(doc_["dest_port"]), 80u);
  EXPECT_EQ(Str(doc_["proto"]), "TCP");
  EXPECT_EQ(uint64_t(doc_["tx_id"]), 0u);
  EXPECT_EQ(testing::Keys(doc_["alert"]),
            (Keys{"action", "gid", "signature_id", "rev", "signature", "category", "severity",
                  "metadata"}));
  EXPECT_EQ(uint64_t(doc_["alert"]["signature_id"]), 2016141u);
  EXPECT_EQ(Str(doc_["alert"]["metadata"]["created_at"].at(1)), "2019_07_26");
  EXPECT_EQ(testing::Keys(doc_["http"]),
            (Keys{"hostname", "url", "http_user_agent", "http_content_type", "http_method",
                  "protocol", "status", "length"}));
  EXPECT_EQ(uint64_t(doc_["http"]["status"]), 200u);
  EXPECT_EQ(testing::Keys(doc_["flow"]),
            (Keys{"pkts_toserver", "pkts_toclient", "bytes_toserver", "bytes_toclient", "start",
                  "src_ip", "dest_ip", "src_port", "dest_port"}));
  EXPECT_EQ(Str(doc_["flow"]["src_ip"]), "192.0.2.10");
  EXPECT_EQ(Str(doc_["direction"]), "to_server");
  EXPECT_EQ(Str(doc_["province"]), "north");
}

TEST_F(EveTest, AlertToClientReportsFlowInItsOwnOrientation) {
  AlertInfo alert{.signature_id = 1};
  FlowInfo flow{};
  EventEnvelope e = TcpEnvelope();
  std::swap(e.src_ip, e.dest_ip);
  std::swap(e.src_port, e.dest_port);
  e.direction = Direction::kToClient;
  Event ev{.type = EventType::kAlert, .envelope = e, .alert = &alert, .flow = &flow};
  Render(ev);
  EXPECT_EQ(Str(doc_["src_ip"]), "198.51.100.20");
  EXPECT_EQ(Str(doc_["flow"]["src_ip"]), "192.0.2.10");
  EXPECT_EQ(uint64_t(doc_["flow"]["src_port"]), 49152u);
  EXPECT_EQ(Str(doc_["direction"]), "to_client");
}

TEST_F(EveTest, FlowEvent) {
  FlowInfo flow{.pkts_toserver = 3, .pkts_toclient = 2, .bytes_toserver = 180,
                .bytes_toclient = 120, .start = Timestamp::FromSeconds(100),
                .end = Timestamp::FromSeconds(160), .age = 60, .state = "closed",
                .reason = "timeout", .alerted = true};
  Event ev{.type = EventType::kFlow, .envelope = TcpEnvelope(), .flow = &flow};
  ev.envelope.pcap_cnt.reset();
  ev.envelope.direction = Direction::kNone;
  Render(ev);
  EXPECT_EQ(Str(doc_["event_type"]), "flow");
  EXPECT_TRUE(doc_["pcap_cnt"].error());
  EXPECT_EQ(Str(doc_["app_proto"]), "http");
  EXPECT_EQ(testing::Keys(doc_["flow"]),
            (Keys{"pkts_toserver", "pkts_toclient", "bytes_toserver", "bytes_toclient", "start",
                  "end", "age", "state", "reason", "alerted"}));
  EXPECT_EQ(Str(doc_["flow"]["end"]), "1970-01-01T00:02:40.000000+0000");
  EXPECT_EQ(int64_t(doc_["flow"]["age"]), 60);
  EXPECT_TRUE(bool(doc_["flow"]["alerted"]));
}

TEST_F(EveTest, DnsQueryAndAnswer) {
  EventEnvelope e = TcpEnvelope();
  e.ip_proto = 17;
  e.dest_port = 53;
  e.app_proto = "dns";
  e.tx_id = 3;
  DnsInfo q{.kind = DnsInfo::Kind::kQuery, .id = 4660, .rrname = "example.org", .rrtype = "A"};
  Event ev{.type = EventType::kDns, .envelope = e, .dns = &q};
  Render(ev);
  EXPECT_EQ(Str(doc_["proto"]), "UDP");
  EXPECT_EQ(uint64_t(doc_["tx_id"]), 3u);
  EXPECT_EQ(testing::Keys(doc_["dns"]), (Keys{"type", "id", "rrname", "rrtype"}));
  EXPECT_EQ(Str(doc_["dns"]["type"]), "query");

  const DnsAnswer answers[] = {{"example.org", "CNAME", 300, "www.example.org"},
                               {"www.example.org", "A", 60, "192.0.2.1"}};
  DnsInfo a{.kind = DnsInfo::Kind::kAnswer, .id = 4660, .flags = 0x8180,
            .rrname = "example.org", .rrtype = "A", .rcode = "NOERROR", .answers = answers};
  ev.dns = &a;
  Render(ev);
  EXPECT_EQ(testing::Keys(doc_["dns"]), (Keys{"version", "type", "id", "flags", "qr", "rd", "ra",
                                              "rrname", "rrtype", "rcode", "answers"}));
  EXPECT_EQ(Str(doc_["dns"]["flags"]), "8180");
  EXPECT_EQ(Str(doc_["dns"]["answers"].at(1)["rdata"]), "192.0.2.1");
  EXPECT_EQ(uint64_t(doc_["dns"]["answers"].at(0)["ttl"]), 300u);
}

TEST_F(EveTest, HttpEventWithHostileStrings) {
  // Attacker-controlled header values: quotes, control bytes, invalid UTF-8.
  HttpInfo http{.hostname = "evil\"host", .url = "/a\r\nSet-Cookie: x",
                .http_user_agent = "Mozilla\xff\xfe", .http_method = "GET"};
  Event ev{.type = EventType::kHttp, .envelope = TcpEnvelope(), .http = &http};
  Render(ev);
  EXPECT_TRUE(IsValidUtf8(w_.view()));
  EXPECT_EQ(Str(doc_["http"]["hostname"]), "evil\"host");
  EXPECT_EQ(Str(doc_["http"]["url"]), "/a\r\nSet-Cookie: x");
  EXPECT_EQ(Str(doc_["http"]["http_user_agent"]), "Mozilla\\xff\\xfe");
}

TEST_F(EveTest, TlsEvent) {
  TlsInfo tls{.subject = "CN=example.org", .issuerdn = "CN=Test CA", .serial = "01:02",
              .fingerprint = "aa:bb", .sni = "example.org", .version = "TLS 1.2",
              .notbefore = "2024-01-01T00:00:00", .notafter = "2025-01-01T00:00:00",
              .ja3 = TlsFingerprint{"e7d705a3286e19ea42f587b344ee6865", "771,49195,0-11,29,0"},
              .ja3s = TlsFingerprint{"15af977ce25de452b96affa2addb1036", "771,49199,65281"}};
  EventEnvelope e = TcpEnvelope();
  e.dest_port = 443;
  e.app_proto = "tls";
  Event ev{.type = EventType::kTls, .envelope = e, .tls = &tls};
  Render(ev);
  EXPECT_EQ(testing::Keys(doc_["tls"]),
            (Keys{"subject", "issuerdn", "serial", "fingerprint", "sni", "version", "notbefore",
                  "notafter", "ja3", "ja3s"}));
  EXPECT_EQ(Str(doc_["tls"]["ja3"]["hash"]), "e7d705a3286e19ea42f587b344ee6865");
  EXPECT_EQ(Str(doc_["tls"]["ja3s"]["string"]), "771,49199,65281");
}

TEST_F(EveTest, AnomalyEventOnIcmpv6) {
  EventEnvelope e;
  e.timestamp = Timestamp::FromSeconds(1);
  e.src_ip = *IpAddress::Parse("2001:db8::1");
  e.dest_ip = *IpAddress::Parse("2001:db8::2");
  e.ip_proto = 58;
  e.icmp_type = 128;
  e.icmp_code = 0;
  AnomalyInfo a{.type = "decode", .event = "icmpv6.unknown_code"};
  Event ev{.type = EventType::kAnomaly, .envelope = e, .anomaly = &a};
  Render(ev);
  EXPECT_EQ(Str(doc_["proto"]), "IPv6-ICMP");
  EXPECT_TRUE(doc_["src_port"].error());  // no ports for ICMP
  EXPECT_EQ(uint64_t(doc_["icmp_type"]), 128u);
  EXPECT_EQ(Str(doc_["src_ip"]), "2001:db8::1");
  EXPECT_EQ(testing::Keys(doc_["anomaly"]), (Keys{"type", "event"}));

  AnomalyInfo app{.type = "applayer", .event = "UNABLE_TO_MATCH_RESPONSE_TO_REQUEST",
                  .layer = "proto_parser", .code = 7};
  ev.anomaly = &app;
  Render(ev);
  EXPECT_EQ(testing::Keys(doc_["anomaly"]), (Keys{"type", "event", "layer", "code"}));
  EXPECT_EQ(uint64_t(doc_["anomaly"]["code"]), 7u);
}

TEST_F(EveTest, UnknownProtocolIsWrittenAsNumber) {
  EventEnvelope e;
  e.src_ip = *IpAddress::Parse("10.0.0.1");
  e.dest_ip = *IpAddress::Parse("10.0.0.2");
  e.ip_proto = 253;
  AnomalyInfo a{.event = "x"};
  Render(Event{.type = EventType::kAnomaly, .envelope = e, .anomaly = &a});
  EXPECT_EQ(Str(doc_["proto"]), "253");
}

TEST_F(EveTest, StatsNestDottedNamesLikeSuricata) {
  const StatsCounter counters[] = {{"capture.kernel_packets", 100},
                                   {"decoder.pkts", 90},
                                   {"decoder.ipv4", 80},
                                   {"flow.memuse", 7},
                                   {"decoder.ipv6", 10},  // not grouped: still one "decoder"
                                   {"app_layer.flow.http", 5},
                                   {"app_layer.flow.dns_udp", 4}};
  StatsInfo stats{.uptime = 3600, .counters = counters};
  EventEnvelope e;
  e.timestamp = Timestamp::FromSeconds(10);
  e.sensor_id = "s1";
  Render(Event{.type = EventType::kStats, .envelope = e, .stats = &stats});
  EXPECT_EQ(testing::Keys(doc_), (Keys{"timestamp", "sensor_id", "event_type", "stats"}));
  EXPECT_EQ(testing::Keys(doc_["stats"]),
            (Keys{"uptime", "capture", "decoder", "flow", "app_layer"}));
  EXPECT_EQ(testing::Keys(doc_["stats"]["decoder"]), (Keys{"pkts", "ipv4", "ipv6"}));
  EXPECT_EQ(uint64_t(doc_["stats"]["decoder"]["ipv6"]), 10u);
  EXPECT_EQ(uint64_t(doc_["stats"]["app_layer"]["flow"]["dns_udp"]), 4u);
  EXPECT_EQ(int64_t(doc_["stats"]["uptime"]), 3600);
}

TEST_F(EveTest, StatsTextsNestBesideCounters) {
  const StatsCounter counters[] = {{"detect.ruleset.generation", 3}, {"decoder.pkts", 9}};
  const StatsText texts[] = {{"detect.ruleset.version", "files"},
                             {"detect.ruleset.sha256", "ab\"c"}};
  StatsInfo stats{.uptime = 1, .counters = counters, .texts = texts};
  Render(Event{.type = EventType::kStats, .envelope = EventEnvelope{}, .stats = &stats});
  EXPECT_EQ(testing::Keys(doc_["stats"]["detect"]["ruleset"]),
            (Keys{"generation", "version", "sha256"}));
  EXPECT_EQ(uint64_t(doc_["stats"]["detect"]["ruleset"]["generation"]), 3u);
  EXPECT_EQ(Str(doc_["stats"]["detect"]["ruleset"]["version"]), "files");
  EXPECT_EQ(Str(doc_["stats"]["detect"]["ruleset"]["sha256"]), "ab\"c");
}

TEST_F(EveTest, MissingPayloadIsAnError) {
  Event ev{.type = EventType::kAlert};
  JsonWriter w;
  EXPECT_FALSE(WriteEve(ev, w).ok());
  EXPECT_EQ(w.size(), 0u);
}

TEST_F(EveTest, CommunityIdFromEnvelopeFieldsMatchesSpec) {
  EventEnvelope e = TcpEnvelope();
  char buf[kCommunityIdLength];
  ASSERT_TRUE(CommunityIdV1(e.src_ip, e.dest_ip, e.ip_proto, e.src_port, e.dest_port, 0, buf).ok());
  e.community_id = std::string_view(buf, sizeof(buf));
  FlowInfo flow{};
  Render(Event{.type = EventType::kFlow, .envelope = e, .flow = &flow});
  EXPECT_EQ(Str(doc_["community_id"]).substr(0, 2), "1:");
  EXPECT_EQ(Str(doc_["community_id"]).size(), kCommunityIdLength);
}

}  // namespace
}  // namespace vigil
