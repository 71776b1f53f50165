// Issue #5 acceptance: on the corpus pcaps, the HTTP requests, DNS queries and TLS SNIs the
// sensor logs agree with tshark's. Differences are listed with their reason below.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "inspect_test_util.h"

namespace vigil::sensor::inspect_test {
namespace {

std::vector<std::string> Tshark(const std::string& pcap, const std::string& filter,
                                const std::string& fields) {
  const std::string cmd = "tshark -n -r '" + pcap + "' -Y '" + filter + "' -T fields " + fields +
                          " -E separator=' ' 2>/dev/null";
  std::vector<std::string> out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  std::string all;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) all.append(buf.data(), n);
  ::pclose(f);
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    if (end == std::string::npos) end = all.size();
    std::string line = all.substr(start, end - start);
    if (!line.empty()) out.push_back(line);
    start = end + 1;
  }
  return out;
}

// Multiset difference a - b.
std::vector<std::string> Minus(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::string Show(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size() && i < 20; ++i) s += "  " + v[i] + "\n";
  if (v.size() > 20) s += "  ... " + std::to_string(v.size() - 20) + " more\n";
  return s;
}

struct Ours {
  std::vector<std::string> http;  // "host uri"
  std::vector<std::string> dns;   // query names
  std::vector<std::string> sni;
};

Ours RunOurs(const std::string& pcap) {
  std::vector<std::string> sets;
  for (const char* p : {"tcp", "udp", "icmp", "default"}) {
    for (const char* st : {"new", "established"}) {
      sets.push_back(std::string("flow-timeouts.") + p + "." + st + "=1d");
    }
  }
  sets.push_back("flow-timeouts.tcp.closed=1d");
  sets.push_back("stream.midstream=true");
  RunResult r = RunSensor(pcap, "", sets);
  EXPECT_TRUE(r.ok) << r.error;
  Ours o;
  simdjson::dom::parser parser;
  for (const EveEvent& e : r.events) {
    simdjson::dom::element doc = parser.parse(e.json);
    std::string_view a, b;
    if (e.type == "http") {
      if (doc["http"]["url"].get(b) != simdjson::SUCCESS) continue;  // response without request
      if (doc["http"]["hostname"].get(a) != simdjson::SUCCESS) a = "";
      o.http.push_back(std::string(a) + " " + std::string(b));
    } else if (e.type == "dns") {
      if (doc["dns"]["type"].get(a) == simdjson::SUCCESS && a == "query" &&
          doc["dns"]["rrname"].get(b) == simdjson::SUCCESS) {
        o.dns.push_back(std::string(b));
      }
    } else if (e.type == "tls") {
      if (doc["tls"]["sni"].get(a) == simdjson::SUCCESS) o.sni.push_back(std::string(a));
    }
  }
  return o;
}

std::vector<std::string> CorpusPcaps() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(CorpusDir() / "pcaps", ec)) {
    if (e.path().extension() == ".pcap") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class TsharkApp : public ::testing::TestWithParam<std::string> {};

TEST_P(TsharkApp, RequestsQueriesAndSnisAgree) {
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark missing";
  const std::string pcap = GetParam();
  const Ours ours = RunOurs(pcap);

  // HTTP: tshark's host is the Host header as sent; ours is normalised (lower case, no port),
  // so both are lower-cased and stripped of a port before comparing.
  auto norm_host = [](std::string h) {
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
    if (auto colon = h.rfind(':'); colon != std::string::npos && h.find(']') == std::string::npos)
      h.resize(colon);
    return h;
  };
  std::vector<std::string> theirs_http;
  for (const std::string& line :
       Tshark(pcap, "http.request && tcp", "-e http.host -e http.request.uri -E occurrence=f")) {
    const size_t sp = line.find(' ');
    std::string host = sp == std::string::npos ? "" : line.substr(0, sp);
    std::string uri = sp == std::string::npos ? line : line.substr(sp + 1);
    theirs_http.push_back(norm_host(host) + " " + uri);
  }
  std::vector<std::string> ours_http;
  for (const std::string& s : ours.http) ours_http.push_back(s);
  // Differences by design, left out of the comparison:
  // - tshark's http.request includes SSDP (HTTP over UDP multicast, M-SEARCH *); Vigil, like
  //   Suricata, parses HTTP over TCP only: the tshark filter is "http.request && tcp".
  const auto missing_http = Minus(theirs_http, ours_http);
  const auto extra_http = Minus(ours_http, theirs_http);
  EXPECT_TRUE(missing_http.empty()) << pcap << " HTTP requests tshark has, we do not:\n"
                                    << Show(missing_http);
  EXPECT_TRUE(extra_http.empty()) << pcap << " HTTP requests we have, tshark does not:\n"
                                  << Show(extra_http);

  // DNS: one query event per question of every query message. Differences by design: tshark
  // dissects mDNS (5353) and LLMNR (5355) with the DNS dissector; Vigil, like Suricata, takes
  // DNS over UDP on port 53 only (NetBIOS name service on 137 looks like DNS too), so those are
  // filtered out of tshark's list.
  std::vector<std::string> theirs_dns;
  for (const std::string& line :
       Tshark(pcap, "dns.flags.response == 0 && !mdns && !llmnr && !nbns", "-e dns.qry.name -E occurrence=a -E aggregator=' '")) {
    size_t start = 0;
    while (start <= line.size()) {
      size_t end = line.find(' ', start);
      if (end == std::string::npos) end = line.size();
      if (end > start) theirs_dns.push_back(line.substr(start, end - start));
      start = end + 1;
    }
  }
  const auto missing_dns = Minus(theirs_dns, ours.dns);
  const auto extra_dns = Minus(ours.dns, theirs_dns);
  EXPECT_TRUE(missing_dns.empty()) << pcap << " DNS queries tshark has, we do not:\n"
                                   << Show(missing_dns);
  EXPECT_TRUE(extra_dns.empty()) << pcap << " DNS queries we have, tshark does not:\n"
                                 << Show(extra_dns);

  // TLS: one SNI per ClientHello carrying server_name.
  const auto theirs_sni = Tshark(pcap, "tls.handshake.extensions_server_name",
                                 "-e tls.handshake.extensions_server_name");
  const auto missing_sni = Minus(theirs_sni, ours.sni);
  const auto extra_sni = Minus(ours.sni, theirs_sni);
  EXPECT_TRUE(missing_sni.empty()) << pcap << " SNIs tshark has, we do not:\n" << Show(missing_sni);
  EXPECT_TRUE(extra_sni.empty()) << pcap << " SNIs we have, tshark does not:\n" << Show(extra_sni);

  RecordProperty("http", static_cast<int>(ours.http.size()));
  RecordProperty("dns", static_cast<int>(ours.dns.size()));
  RecordProperty("sni", static_cast<int>(ours.sni.size()));
  std::printf("%s: http %zu/%zu dns %zu/%zu sni %zu/%zu (ours/tshark)\n", pcap.c_str(),
              ours_http.size(), theirs_http.size(), ours.dns.size(), theirs_dns.size(),
              ours.sni.size(), theirs_sni.size());
}

INSTANTIATE_TEST_SUITE_P(Corpus, TsharkApp, ::testing::ValuesIn(CorpusPcaps()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = fs::path(i.param).stem().string();
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace vigil::sensor::inspect_test
