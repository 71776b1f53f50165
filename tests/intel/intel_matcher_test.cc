// Indicator matching in the sensor's packet path: a capture built here with a DNS query, TCP
// flows to listed addresses, an HTTP request for a listed URL and a TLS ClientHello with a
// listed SNI runs through the real pipeline with an IntelStore attached; each hit is one EVE
// alert (gid 9100) naming the indicator and its bundle, and unlisted traffic raises none.
#include "sensor/intel/intel_matcher.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "tests/sensor/inspect/inspect_test_util.h"
#include "tools/synth/address_plan.h"
#include "tools/synth/dns_message.h"
#include "tools/synth/tls_records.h"

namespace vigil::sensor {
namespace {

using inspect_test::PcapBuilder;
using inspect_test::TcpConn;
using inspect_test::TempDir;

IpAddress Ip(const char* s) { return *IpAddress::Parse(s); }

constexpr const char* kIndicators =
    "ip 198.51.100.7 # c2 server\n"
    "cidr 203.0.113.0/24\n"
    "domain evil.example\n"
    "url http://bad.example.org/payload.bin\n"
    "sni c2.example.net\n";

// The address the capture's DNS response gives for www.Evil.example (AddressPlan from seed 3).
IpAddress AnsweredAddress() {
  synth::Rng rng(3);
  synth::AddressPlan plan(4, rng);
  return plan.Server("www.Evil.example", false).ip;
}

void WriteCapture(const std::string& path) {
  PcapBuilder pcap(path);
  std::vector<uint8_t> dns;
  const synth::DnsQuestion query{.id = 7, .name = "www.Evil.example", .qtype = synth::kDnsTypeA};
  synth::WriteDnsQuery(query, dns);
  pcap.Udp(Ip("10.0.0.5"), Ip("10.0.0.53"), 40000, 53, dns);
  // Its response: the question is not matched a second time (as Suricata's dns.query).
  synth::Rng plan_rng(3);
  synth::AddressPlan plan(4, plan_rng);
  std::vector<uint8_t> response;
  synth::WriteDnsResponse(plan_rng, query, false, plan, response);
  pcap.Udp(Ip("10.0.0.53"), Ip("10.0.0.5"), 53, 40000, response);
  std::vector<uint8_t> clean_dns;
  synth::WriteDnsQuery({.id = 8, .name = "www.example.com", .qtype = synth::kDnsTypeA}, clean_dns);
  pcap.Udp(Ip("10.0.0.5"), Ip("10.0.0.53"), 40001, 53, clean_dns);

  TcpConn c2(pcap, "10.0.0.5", "198.51.100.7", 40002, 8443);  // listed address
  c2.Handshake();
  c2.Close();
  TcpConn net(pcap, "10.0.0.5", "203.0.113.9", 40003, 22);  // inside the listed network
  net.Handshake();
  net.Close();
  TcpConn http(pcap, "10.0.0.5", "192.0.2.80", 40004, 80);
  http.Handshake();
  http.ToServer("GET /payload.bin HTTP/1.1\r\nHost: bad.example.org\r\n\r\n");
  http.ToClient("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  http.Close();
  TcpConn clean(pcap, "10.0.0.5", "192.0.2.81", 40005, 80);
  clean.Handshake();
  clean.ToServer("GET /index.html HTTP/1.1\r\nHost: good.example.org\r\n\r\n");
  clean.ToClient("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  clean.Close();
  synth::Rng rng(1);
  std::vector<uint8_t> hello;
  synth::WriteClientHello(rng, synth::RandomTlsSession(rng, "c2.example.net"), hello);
  TcpConn tls(pcap, "10.0.0.5", "192.0.2.43", 40006, 443);
  tls.Handshake();
  tls.ToServer(std::string_view(reinterpret_cast<const char*>(hello.data()), hello.size()));
  tls.Close();
}

struct IntelAlert {
  uint64_t sid = 0, gid = 0, rev = 0;
  std::string signature, category, type, value, list, bundle_version, field, src_ip, dest_ip;
};

std::vector<IntelAlert> IntelAlerts(const std::vector<std::string>& lines) {
  std::vector<IntelAlert> out;
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << line;
      continue;
    }
    std::string_view type;
    if (doc["event_type"].get(type) != simdjson::SUCCESS || type != "alert") continue;
    IntelAlert a;
    simdjson::dom::element al = doc["alert"];
    EXPECT_EQ(al["gid"].get(a.gid), simdjson::SUCCESS);
    EXPECT_EQ(al["signature_id"].get(a.sid), simdjson::SUCCESS);
    EXPECT_EQ(al["rev"].get(a.rev), simdjson::SUCCESS);
    auto str = [](simdjson::dom::element e) {
      std::string_view v;
      return e.get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
    };
    a.signature = str(al["signature"]);
    a.category = str(al["category"]);
    a.type = str(al["metadata"]["intel_type"].at(0));
    a.value = str(al["metadata"]["intel_value"].at(0));
    a.list = str(al["metadata"]["intel_list"].at(0));
    a.bundle_version = str(al["metadata"]["bundle_version"].at(0));
    a.field = str(al["metadata"]["intel_field"].at(0));
    a.src_ip = str(doc["src_ip"]);
    a.dest_ip = str(doc["dest_ip"]);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<std::string> RunWithIntel(const std::string& pcap, IntelStore* store, std::string* error) {
  const std::vector<std::string> sets = {"runmode=single", "stats.enabled=no", "checksum-validation=no"};
  auto cfg = Config::LoadString("", "test", SensorConfigSchema(), sets);
  if (!cfg.ok()) return {};
  auto sc = BuildSensorConfig(*cfg);
  if (!sc.ok()) return {};
  sc->capture.inputs = {pcap};
  auto ctx = LoadInspectContext(*sc, RuleSources{.replace = true});
  if (!ctx.ok()) return {};
  MemorySink sink;
  PipelineOptions options;
  options.plugins = WithIntel(MakeInspectPluginFactory(*ctx), store);
  auto summary = RunOffline(*sc, sink, options);
  if (!summary.ok()) *error = summary.error().message;
  return sink.Lines();
}

TEST(IntelMatcher, EachListedIndicatorRaisesOneAlertNamingItAndItsBundle) {
  TempDir dir;
  const std::string pcap = dir / "intel.pcap";
  WriteCapture(pcap);
  IntelStore store;
  const std::string answered = AnsweredAddress().ToString();
  store.Apply("national-intel", 42, "2026-11-24T00:00:00Z",
              rules::ParseIndicators(std::string(kIndicators) + "ip " + answered + "\n").indicators);
  std::string error;
  const auto alerts = IntelAlerts(RunWithIntel(pcap, &store, &error));
  ASSERT_TRUE(error.empty()) << error;

  std::map<std::string, IntelAlert> by_field;  // field + value -> alert
  for (const IntelAlert& a : alerts) {
    EXPECT_EQ(a.gid, kIntelGid);
    EXPECT_EQ(a.rev, 42u);
    EXPECT_EQ(a.category, kIntelCategory);
    EXPECT_EQ(a.list, "national-intel");
    EXPECT_EQ(a.bundle_version, "42");
    EXPECT_NE(a.signature.find("(national-intel v42)"), std::string::npos) << a.signature;
    EXPECT_TRUE(by_field.emplace(a.field + " " + a.value, a).second) << "twice: " << a.signature;
  }
  ASSERT_EQ(by_field.count("dns.query evil.example"), 1u);
  EXPECT_EQ(by_field["dns.query evil.example"].type, "domain");
  EXPECT_EQ(by_field["dns.query evil.example"].sid,
            IntelSignatureId(rules::IndicatorType::kDomain, "evil.example"));
  ASSERT_EQ(by_field.count("dest_ip 198.51.100.7"), 1u);
  EXPECT_EQ(by_field["dest_ip 198.51.100.7"].src_ip, "10.0.0.5");
  EXPECT_EQ(by_field["dest_ip 198.51.100.7"].type, "ip");
  ASSERT_EQ(by_field.count("dest_ip 203.0.113.0/24"), 1u);
  EXPECT_EQ(by_field["dest_ip 203.0.113.0/24"].type, "cidr");
  ASSERT_EQ(by_field.count("http.url http://bad.example.org/payload.bin"), 1u);
  ASSERT_EQ(by_field.count("tls.sni c2.example.net"), 1u);
  ASSERT_EQ(by_field.count("dns.answer.rdata " + answered), 1u);  // an A record of the response
  EXPECT_EQ(alerts.size(), 6u);
  EXPECT_EQ(store.registry().Total("intel.matches"), 6u);
  EXPECT_GT(store.registry().Total("intel.lookups"), 10u);
}

TEST(IntelMatcher, NoBundleNoAlertAndNoStoreNoMatcher) {
  TempDir dir;
  const std::string pcap = dir / "intel.pcap";
  WriteCapture(pcap);
  IntelStore empty;
  std::string error;
  EXPECT_TRUE(IntelAlerts(RunWithIntel(pcap, &empty, &error)).empty());
  EXPECT_TRUE(IntelAlerts(RunWithIntel(pcap, nullptr, &error)).empty());
  EXPECT_TRUE(error.empty()) << error;
}

TEST(IntelMatcher, SignatureIdIsStableAndNeverZero) {
  EXPECT_EQ(IntelSignatureId(rules::IndicatorType::kIp, "198.51.100.7"),
            IntelSignatureId(rules::IndicatorType::kIp, "198.51.100.7"));
  EXPECT_NE(IntelSignatureId(rules::IndicatorType::kIp, "198.51.100.7"),
            IntelSignatureId(rules::IndicatorType::kIp, "198.51.100.8"));
  EXPECT_NE(IntelSignatureId(rules::IndicatorType::kDomain, ""), 0u);
  EXPECT_LT(IntelSignatureId(rules::IndicatorType::kSha256, std::string(64, 'f')), 0x80000000u);
}

}  // namespace
}  // namespace vigil::sensor
