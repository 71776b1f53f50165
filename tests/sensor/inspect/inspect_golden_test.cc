// Golden tests: small pcaps written here with known pcap_cnt, our own rules, the whole sensor run
// in-process, and the EVE output checked field by field.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "inspect_test_util.h"
#include "tools/synth/dns_message.h"
#include "tools/synth/rng.h"
#include "tools/synth/tls_records.h"

namespace vigil::sensor::inspect_test {
namespace {

constexpr const char* kClient = "10.0.0.5";
constexpr const char* kServer = "198.51.100.7";

const std::string kRequest =
    "GET /admin/login.php?user=x HTTP/1.1\r\nHost: Example.COM\r\nUser-Agent: EvilAgent/1.0\r\n"
    "Accept: */*\r\n\r\n";
const std::string kResponse404 =
    "HTTP/1.1 404 Not Found\r\nServer: test\r\nContent-Length: 9\r\n\r\nnot here\n";

struct HttpPcap {
  uint64_t request_cnt = 0;
  uint64_t response_cnt = 0;
};

HttpPcap WriteHttp(const std::string& path, int transactions = 1) {
  PcapBuilder pcap(path);
  TcpConn c(pcap, kClient, kServer, 40000, 80);
  c.Handshake();
  HttpPcap out;
  for (int i = 0; i < transactions; ++i) {
    out.request_cnt = c.ToServer(kRequest);
    out.response_cnt = c.ToClient(kResponse404);
  }
  c.Close();
  return out;
}

TEST(InspectGolden, PayloadAlertCarriesSuricataFields) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  uint64_t data_cnt = 0;
  {
    PcapBuilder pcap(pcap_path);
    TcpConn c(pcap, kClient, kServer, 40001, 8080);
    c.Handshake();
    c.ToServer("hello there\r\n");
    data_cnt = c.ToClient("xx uid=0(root) gid=0(root)\n");
    c.Close();
  }
  const std::string rules =
      "alert tcp any any -> any any (msg:\"id check returned root\"; content:\"uid=0|28|root|29|\"; "
      "classtype:bad-unknown; metadata: created_at 2010_09_23, former_category ATTACK, "
      "former_category OTHER; sid:2100498; rev:7;)\n";
  const std::string classes = "config classification: bad-unknown,Potentially Bad Traffic,2\n";
  RunResult r = RunSensor(pcap_path, rules, {}, "", classes);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.CountSid(2100498), 1u) << r.load_report;
  const EveEvent& e = *r.FirstAlert(2100498);
  EXPECT_EQ(e.pcap_cnt, data_cnt) << "the packet whose data completed the match";

  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(e.json);
  std::string_view sv;
  uint64_t u = 0;
  ASSERT_EQ(doc["alert"]["action"].get(sv), simdjson::SUCCESS);
  EXPECT_EQ(sv, "allowed");
  ASSERT_EQ(doc["alert"]["gid"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 1u);
  ASSERT_EQ(doc["alert"]["rev"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 7u);
  ASSERT_EQ(doc["alert"]["signature"].get(sv), simdjson::SUCCESS);
  EXPECT_EQ(sv, "id check returned root");
  ASSERT_EQ(doc["alert"]["category"].get(sv), simdjson::SUCCESS);
  EXPECT_EQ(sv, "Potentially Bad Traffic");
  ASSERT_EQ(doc["alert"]["severity"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 2u);
  simdjson::dom::array fc;
  ASSERT_EQ(doc["alert"]["metadata"]["former_category"].get(fc), simdjson::SUCCESS) << e.json;
  EXPECT_EQ(fc.size(), 2u);
  ASSERT_EQ(doc["flow_id"].get(u), simdjson::SUCCESS);
  EXPECT_GT(u, 0u);
  ASSERT_EQ(doc["community_id"].get(sv), simdjson::SUCCESS);
  EXPECT_TRUE(sv.starts_with("1:"));
  ASSERT_EQ(doc["direction"].get(sv), simdjson::SUCCESS);
  EXPECT_EQ(sv, "to_client");
  ASSERT_EQ(doc["src_ip"].get(sv), simdjson::SUCCESS);
  EXPECT_EQ(sv, kServer) << "alert 5-tuple is the packet's direction";
  ASSERT_EQ(doc["flow"]["pkts_toserver"].get(u), simdjson::SUCCESS);

  // The flow event says the flow alerted.
  auto flows = r.Of("flow");
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_NE(flows[0].json.find("\"alerted\":true"), std::string::npos) << flows[0].json;
}

TEST(InspectGolden, StreamMatchAcrossSegmentsAlertsOnceOnTheCompletingSegment) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  uint64_t second = 0;
  {
    PcapBuilder pcap(pcap_path);
    TcpConn c(pcap, kClient, kServer, 40002, 9000);
    c.Handshake();
    c.ToServer("prefix EVILPAT");
    second = c.ToServer("TERN suffix");
    c.ToServer("and again EVILPATTERN is not new");  // a second occurrence: a new match
    c.Close();
  }
  RunResult r = RunSensor(pcap_path,
                          "alert tcp any any -> any 9000 (msg:\"split\"; flow:to_server; "
                          "content:\"EVILPATTERN\"; sid:1;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.CountSid(1), 2u) << "one alert per occurrence, none repeated for kept bytes";
  EXPECT_EQ(r.FirstAlert(1)->pcap_cnt, second);
}

TEST(InspectGolden, NoStreamMatchWhenSplitPatternNeverCompletes) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  {
    PcapBuilder pcap(pcap_path);
    TcpConn c(pcap, kClient, kServer, 40003, 9000);
    c.Handshake();
    c.ToServer("prefix EVILPAT");
    c.ToServer("xTERN suffix");
    c.Close();
  }
  RunResult r = RunSensor(pcap_path, "alert tcp any any -> any any (content:\"EVILPATTERN\"; sid:1;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.CountSid(1), 0u);
}

TEST(InspectGolden, HttpBuffersAlertOnThePacketThatCarriedThem) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  const HttpPcap h = WriteHttp(pcap_path);
  const std::string rules =
      "alert http any any -> any any (msg:\"uri\"; flow:established,to_server; http.uri; "
      "content:\"/admin/login.php\"; sid:10;)\n"
      "alert http any any -> any any (msg:\"host\"; http.host; content:\"example.com\"; sid:11;)\n"
      "alert tcp any any -> any any (msg:\"legacy\"; content:\"login\"; http_uri; sid:12;)\n"
      "alert http any any -> any any (msg:\"status\"; flow:to_client; http.stat_code; "
      "content:\"404\"; sid:13;)\n"
      "alert http any any -> any any (msg:\"ua\"; http.user_agent; content:\"EvilAgent\"; sid:14;)\n"
      "alert http any any -> any any (msg:\"no such host\"; http.host; content:\"other\"; sid:15;)\n"
      "alert http any any -> any any (msg:\"body\"; flow:to_client; file.data; content:\"not here\"; sid:16;)\n";
  RunResult r = RunSensor(pcap_path, rules);
  ASSERT_TRUE(r.ok) << r.error;
  for (uint64_t sid : {10, 11, 12, 14}) {
    ASSERT_EQ(r.CountSid(sid), 1u) << "sid " << sid << "\n" << r.load_report;
    EXPECT_EQ(r.FirstAlert(sid)->pcap_cnt, h.request_cnt) << "sid " << sid;
    EXPECT_EQ(r.FirstAlert(sid)->app_proto, "http");
    EXPECT_NE(r.FirstAlert(sid)->json.find("\"url\":\"/admin/login.php?user=x\""),
              std::string::npos)
        << "alert carries the transaction: " << r.FirstAlert(sid)->json;
  }
  ASSERT_EQ(r.CountSid(13), 1u);
  EXPECT_EQ(r.FirstAlert(13)->pcap_cnt, h.response_cnt);
  ASSERT_EQ(r.CountSid(16), 1u);
  EXPECT_EQ(r.FirstAlert(16)->pcap_cnt, h.response_cnt);
  EXPECT_EQ(r.CountSid(15), 0u);

  auto http = r.Of("http");
  ASSERT_EQ(http.size(), 1u);
  EXPECT_NE(http[0].json.find("\"hostname\":\"example.com\""), std::string::npos) << http[0].json;
  EXPECT_NE(http[0].json.find("\"status\":404"), std::string::npos) << http[0].json;
  auto flows = r.Of("flow");
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_EQ(flows[0].app_proto, "http");
}

TEST(InspectGolden, AppLayerRuleAlertsOncePerTransaction) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  WriteHttp(pcap_path, 3);
  RunResult r = RunSensor(pcap_path,
                          "alert http any any -> any any (msg:\"uri\"; http.uri; "
                          "content:\"/admin\"; sid:10;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.CountSid(10), 3u) << "three transactions, one alert each";
  EXPECT_EQ(r.Of("http").size(), 3u);
}

TEST(InspectGolden, FlowbitsCarryStateFromRequestToResponse) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  const HttpPcap h = WriteHttp(pcap_path);
  const std::string rules =
      "alert http any any -> any any (msg:\"set\"; http.uri; content:\"login.php\"; "
      "flowbits:set,saw.login; flowbits:noalert; sid:20;)\n"
      "alert tcp any any -> any any (msg:\"isset\"; flow:to_client; content:\"404\"; "
      "flowbits:isset,saw.login; sid:21;)\n"
      "alert tcp any any -> any any (msg:\"isnotset\"; flow:to_client; content:\"404\"; "
      "flowbits:isnotset,saw.login; sid:22;)\n"
      "alert tcp any any -> any any (msg:\"never set\"; content:\"404\"; "
      "flowbits:isset,other.bit; sid:23;)\n";
  RunResult r = RunSensor(pcap_path, rules);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.CountSid(20), 0u) << "noalert";
  ASSERT_EQ(r.CountSid(21), 1u) << r.load_report;
  EXPECT_EQ(r.FirstAlert(21)->pcap_cnt, h.response_cnt);
  EXPECT_EQ(r.CountSid(22), 0u);
  EXPECT_EQ(r.CountSid(23), 0u);
}

TEST(InspectGolden, PassRuleSilencesTheFlow) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  WriteHttp(pcap_path);
  const std::string alert_only =
      "alert tcp any any -> any any (msg:\"404\"; flow:to_client; content:\"404\"; sid:31;)\n";
  RunResult base = RunSensor(pcap_path, alert_only);
  ASSERT_TRUE(base.ok) << base.error;
  ASSERT_EQ(base.CountSid(31), 1u) << "the alert fires without the pass rule";
  RunResult r = RunSensor(pcap_path,
                          "pass http any any -> any any (msg:\"trusted host\"; http.host; "
                          "content:\"example.com\"; sid:30;)\n" +
                              alert_only);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.AlertSids().empty()) << "pass on the request stops the flow's alerts";
}

TEST(InspectGolden, ThresholdsAndSuppression) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  WriteHttp(pcap_path, 4);
  const std::string rules =
      "alert http any any -> any any (msg:\"limited\"; http.uri; content:\"/admin\"; "
      "threshold: type limit, track by_src, count 1, seconds 60; sid:40;)\n"
      "alert http any any -> any any (msg:\"every 2nd\"; http.uri; content:\"/admin\"; "
      "threshold: type threshold, track by_src, count 2, seconds 60; sid:41;)\n"
      "alert http any any -> any any (msg:\"suppressed\"; http.uri; content:\"/admin\"; sid:42;)\n";
  RunResult r = RunSensor(pcap_path, rules, {},
                          "suppress gen_id 1, sig_id 42, track by_src, ip 10.0.0.0/8\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.CountSid(40), 1u);
  EXPECT_EQ(r.CountSid(41), 2u);
  EXPECT_EQ(r.CountSid(42), 0u);
}

TEST(InspectGolden, DnsQueryOverUdp) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  uint64_t query_cnt = 0;
  {
    PcapBuilder pcap(pcap_path);
    std::vector<uint8_t> msg;
    synth::DnsQuestion q{.id = 0x1234, .name = "evil.example.net", .qtype = synth::kDnsTypeA};
    synth::WriteDnsQuery(q, msg);
    pcap.Udp(*IpAddress::Parse(kClient), *IpAddress::Parse("10.0.0.1"), 53000, 53, msg);
    query_cnt = pcap.count();
  }
  RunResult r = RunSensor(pcap_path,
                          "alert dns any any -> any any (msg:\"dns\"; dns.query; "
                          "content:\"evil.example\"; nocase; sid:50;)\n"
                          "alert udp any any -> any 53 (msg:\"raw\"; content:\"|04|evil\"; sid:51;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.CountSid(50), 1u) << r.load_report;
  EXPECT_EQ(r.FirstAlert(50)->pcap_cnt, query_cnt);
  EXPECT_NE(r.FirstAlert(50)->json.find("\"rrname\":\"evil.example.net\""), std::string::npos)
      << r.FirstAlert(50)->json;
  EXPECT_EQ(r.CountSid(51), 1u);
  auto dns = r.Of("dns");
  ASSERT_EQ(dns.size(), 1u);
  EXPECT_EQ(dns[0].app_proto, "dns");
}

TEST(InspectGolden, TlsSniAndJa3) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  uint64_t hello_cnt = 0;
  {
    PcapBuilder pcap(pcap_path);
    TcpConn c(pcap, kClient, kServer, 40010, 443);
    c.Handshake();
    synth::Rng rng(7);
    synth::TlsSessionSpec spec;
    spec.sni = "bad.example.org";
    spec.tls13 = false;
    std::vector<uint8_t> hello;
    synth::WriteClientHello(rng, spec, hello);
    hello_cnt = c.ToServer(std::string_view(reinterpret_cast<const char*>(hello.data()), hello.size()));
    std::vector<uint8_t> flight;
    synth::WriteServerFirstFlight(rng, spec, 1'700'000'000, flight);
    c.ToClient(std::string_view(reinterpret_cast<const char*>(flight.data()), flight.size()));
    c.Close();
  }
  RunResult r = RunSensor(pcap_path,
                          "alert tls any any -> any any (msg:\"sni\"; tls.sni; "
                          "content:\"bad.example.org\"; sid:60;)\n"
                          "alert tls any any -> any any (msg:\"ja3\"; ja3.string; "
                          "content:\",\"; sid:61;)\n"
                          "alert tls any any -> any any (msg:\"cert\"; tls.cert_subject; "
                          "content:\"bad.example.org\"; sid:62;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.CountSid(60), 1u) << r.load_report;
  EXPECT_EQ(r.FirstAlert(60)->pcap_cnt, hello_cnt);
  EXPECT_NE(r.FirstAlert(60)->json.find("\"sni\":\"bad.example.org\""), std::string::npos);
  EXPECT_EQ(r.CountSid(61), 1u);
  EXPECT_EQ(r.CountSid(62), 1u) << "certificate buffers once the server sent it";
  auto tls = r.Of("tls");
  ASSERT_EQ(tls.size(), 1u);
  EXPECT_NE(tls[0].json.find("\"sni\":\"bad.example.org\""), std::string::npos) << tls[0].json;
}

TEST(InspectGolden, EventTypesCanBeSwitchedOff) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  WriteHttp(pcap_path);
  RunResult r = RunSensor(pcap_path,
                          "alert http any any -> any any (http.uri; content:\"/admin\"; sid:10;)\n",
                          {"outputs.eve.http.enabled=no", "outputs.eve.flow.enabled=no"});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.CountSid(10), 1u);
  EXPECT_TRUE(r.Of("http").empty());
  EXPECT_TRUE(r.Of("flow").empty());
}

TEST(InspectGolden, UnsupportedAndBrokenRulesAreSkippedAndCounted) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  WriteHttp(pcap_path);
  RunResult r = RunSensor(pcap_path,
                          "alert http any any -> any any (http.uri; content:\"/admin\"; sid:10;)\n"
                          "alert tcp any any -> any any (content:\"x\"; no_such_keyword; sid:11;)\n"
                          "alert tcp any any -> any any (content:\"unterminated; sid:12;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.CountSid(10), 1u);
  EXPECT_NE(r.load_report.find("3 seen, 1 compiled"), std::string::npos) << r.load_report;
  EXPECT_NE(r.load_report.find("no_such_keyword"), std::string::npos) << "reason named\n"
                                                                       << r.load_report;
  EXPECT_NE(r.load_report.find("1 errors"), std::string::npos) << r.load_report;
}

TEST(InspectGolden, DefaultClassificationsWithoutAFile) {
  TempDir dir;
  const std::string pcap_path = dir / "p.pcap";
  WriteHttp(pcap_path);
  RunResult r = RunSensor(pcap_path,
                          "alert http any any -> any any (msg:\"x\"; http.uri; content:\"/admin\"; "
                          "classtype:trojan-activity; sid:70;)\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.CountSid(70), 1u);
  EXPECT_NE(r.FirstAlert(70)->json.find("\"category\":\"A Network Trojan was detected\""),
            std::string::npos)
      << r.FirstAlert(70)->json;
  EXPECT_NE(r.FirstAlert(70)->json.find("\"severity\":1"), std::string::npos);
}

TEST(InspectGolden, MissingRuleFileIsAnError) {
  TempDir dir;
  auto cfg = Config::LoadString("", "test", SensorConfigSchema(), {});
  ASSERT_TRUE(cfg.ok());
  auto sc = BuildSensorConfig(*cfg);
  ASSERT_TRUE(sc.ok());
  RuleSources src;
  src.files = {dir / "nope.rules"};
  auto ctx = LoadInspectContext(*sc, src);
  ASSERT_FALSE(ctx.ok());
  EXPECT_NE(ctx.error().message.find("nope.rules"), std::string::npos);
}

}  // namespace
}  // namespace vigil::sensor::inspect_test
