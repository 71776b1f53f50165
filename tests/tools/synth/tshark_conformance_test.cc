// Checks the synthesizer's truth file against tshark's reading of the same capture: per-flow
// frame and byte counts (-z conv,tcp / conv,udp, and per-frame lengths for exact bytes), the
// number of HTTP requests, DNS queries and TLS SNIs, and the SHA-256 of TCP streams as
// `-z follow,tcp,raw` reassembles them, on a capture with every impairment switched on.
// Skips (with the reason) when tshark is not installed.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "tests/tools/synth/synth_test_util.h"
#include "tools/synth/synthesizer.h"

namespace vigil::synth {
namespace {

using namespace vigil::synth::testing;

std::string Sha256Hex(const std::string& data) {
  uint8_t md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(data.data()), data.size(), md);
  static const char* k = "0123456789abcdef";
  std::string s;
  for (uint8_t b : md) {
    s += k[b >> 4];
    s += k[b & 15];
  }
  return s;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string Endpoint(const std::string& ip, uint64_t port) { return ip + ":" + std::to_string(port); }

class TsharkConformance : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!ToolOnPath("tshark")) return;
    dir_ = new TempDir("tshark");
    cfg_.out_path = dir_->File("t.pcap");
    cfg_.truth_path = dir_->File("t.jsonl");
    cfg_.flows = 60;
    cfg_.seed = 2024;
    cfg_.concurrency = 12;
    cfg_.ipv6_fraction = 0.3;
    cfg_.vlan = 42;
    cfg_.mss = 600;
    cfg_.attacks = 6;
    cfg_.scan_ports = 8;
    cfg_.max_body_bytes = 16 * 1024;
    cfg_.max_app_records = 3;
    cfg_.impair = {0.08, 0.08, 0.08, 0.08};
    auto st = Synthesize(cfg_);
    ok_ = st.ok();
    truth_ = ReadTruth(cfg_.truth_path);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!ToolOnPath("tshark")) GTEST_SKIP() << "tshark is not on PATH; install the tshark package to run this test";
    ASSERT_TRUE(ok_) << "Synthesize failed";
    ASSERT_FALSE(truth_.empty());
  }
  std::string Tshark(const std::string& args) {
    int status = -1;
    std::string out = RunCommand("tshark -r '" + cfg_.out_path + "' " + args + " 2>/dev/null", &status);
    EXPECT_EQ(status, 0) << "tshark " << args;
    return out;
  }

  static TempDir* dir_;
  static SynthConfig cfg_;
  static bool ok_;
  static std::vector<TruthRow> truth_;
};
TempDir* TsharkConformance::dir_ = nullptr;
SynthConfig TsharkConformance::cfg_;
bool TsharkConformance::ok_ = false;
std::vector<TruthRow> TsharkConformance::truth_;

// Frames per direction from -z conv,tcp / conv,udp; bytes there are rounded (kB) above 10 kB,
// so exact bytes come from per-frame lengths of every frame where TCP/UDP was decoded, which is
// exactly what the conversation table adds up.
TEST_F(TsharkConformance, ConversationFramesAndBytesMatchTruth) {
  const std::string conv = Tshark("-q -z conv,tcp -z conv,udp");
  // "A:pa  <-> B:pb  frames_BA bytes_BA unit  frames_AB bytes_AB unit ..."
  std::map<std::string, std::pair<uint64_t, uint64_t>> frames;  // "from>to"
  std::istringstream in(conv);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream tok(line);
    std::string a, arrow, b, frames_ba, bytes_ba, unit_ba, frames_ab;
    if (!(tok >> a >> arrow >> b >> frames_ba >> bytes_ba >> unit_ba >> frames_ab) || arrow != "<->") continue;
    frames[b + ">" + a].first += std::stoull(frames_ba);  // B -> A
    frames[a + ">" + b].first += std::stoull(frames_ab);  // A -> B
  }
  ASSERT_FALSE(frames.empty()) << conv;

  const std::string fields = Tshark(
      "-Y 'tcp or udp' -T fields -E separator=/t -e frame.len -e ip.src -e ipv6.src -e tcp.srcport -e udp.srcport "
      "-e ip.dst -e ipv6.dst -e tcp.dstport -e udp.dstport");
  std::map<std::string, std::pair<uint64_t, uint64_t>> exact;  // "from>to" -> frames, bytes
  for (const std::string& l : Split(fields, '\n')) {
    const auto f = Split(l, '\t');
    if (f.size() < 9) continue;
    const std::string src = Endpoint(f[1].empty() ? f[2] : f[1], std::stoull(f[3].empty() ? f[4] : f[3]));
    const std::string dst = Endpoint(f[5].empty() ? f[6] : f[5], std::stoull(f[7].empty() ? f[8] : f[7]));
    exact[src + ">" + dst].first += 1;
    exact[src + ">" + dst].second += std::stoull(f[0]);
  }
  size_t flows = 0;
  std::map<std::string, bool> known;
  for (const auto& t : truth_) {
    known[Endpoint(t.client_ip, t.client_port) + ">" + Endpoint(t.server_ip, t.server_port)] = true;
    known[Endpoint(t.server_ip, t.server_port) + ">" + Endpoint(t.client_ip, t.client_port)] = true;
  }
  for (const auto& [k, v] : exact) EXPECT_TRUE(known.count(k)) << "tshark saw a flow the truth lacks: " << k;
  const size_t directions_seen = exact.size();  // before operator[] below adds empty ones
  for (const auto& t : truth_) {
    const std::string c = Endpoint(t.client_ip, t.client_port), s = Endpoint(t.server_ip, t.server_port);
    const std::string up = c + ">" + s, down = s + ">" + c;
    EXPECT_EQ(frames[up].first, t.c2s.packets) << t.proto << " " << up;
    EXPECT_EQ(frames[down].first, t.s2c.packets) << t.proto << " " << down;
    EXPECT_EQ(exact[up].first, t.c2s.packets) << up;
    EXPECT_EQ(exact[up].second, t.c2s.bytes) << up;
    EXPECT_EQ(exact[down].first, t.s2c.packets) << down;
    EXPECT_EQ(exact[down].second, t.s2c.bytes) << down;
    ++flows;
  }
  EXPECT_EQ(directions_seen, 2 * flows - [&] {
    size_t one_way = 0;  // flows that only ever went one way have one direction
    for (const auto& t : truth_) one_way += t.s2c.packets == 0;
    return one_way;
  }());
}

TEST_F(TsharkConformance, HttpDnsTlsCountsMatchTruth) {
  size_t http = 0, dns = 0, sni = 0;
  for (const auto& t : truth_) {
    http += t.http_requests;
    dns += t.dns_queries;
    sni += !t.sni.empty();
  }
  ASSERT_GT(http, 0u);
  ASSERT_GT(dns, 0u);
  ASSERT_GT(sni, 0u);
  // One tshark pass with the three display filters OR-ed; each matching frame says which one it
  // matched through the fields it has. Wireshark 4.0 parses application data after a reordered
  // or partly overlapping segment only with out-of-order reassembly switched on.
  const std::string out = Tshark(
      "-o tcp.reassemble_out_of_order:TRUE -Y 'http.request or dns.flags.response == 0 or tls.handshake.extensions_server_name' -T fields "
      "-E separator=/t -e http.request.method -e dns.flags.response -e tls.handshake.extensions_server_name "
      "-e http.request.uri");
  size_t got_http = 0, got_dns = 0, got_sni = 0;
  std::multiset<std::string> snis, uris;
  for (const auto& l : Split(out, '\n')) {
    const auto f = Split(l, '\t');
    if (f.size() < 4) continue;
    if (!f[0].empty()) {
      ++got_http;
      uris.insert(f[3]);
    }
    got_dns += f[1] == "0" || f[1] == "False";
    if (!f[2].empty()) {
      ++got_sni;
      snis.insert(f[2]);
    }
  }
  EXPECT_EQ(got_http, http) << "frames matching http.request";
  EXPECT_EQ(got_dns, dns) << "frames matching dns.flags.response == 0";
  EXPECT_EQ(got_sni, sni) << "frames matching tls.handshake.extensions_server_name";
  std::multiset<std::string> want_snis, want_uris;
  for (const auto& t : truth_) {
    if (!t.sni.empty()) want_snis.insert(t.sni);
    want_uris.insert(t.http_uris.begin(), t.http_uris.end());
  }
  EXPECT_EQ(snis, want_snis);
  EXPECT_EQ(uris, want_uris);
}

TEST_F(TsharkConformance, FollowTcpStreamsHashToTruth) {
  // tcp.stream numbers of each conversation, from its SYN.
  const std::string syns = Tshark(
      "-Y 'tcp.flags.syn == 1 and tcp.flags.ack == 0' -T fields -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport "
      "-e ip.dst -e ipv6.dst -e tcp.dstport");
  std::map<std::string, std::string> stream_of;  // "client server" -> stream
  for (const auto& l : Split(syns, '\n')) {
    const auto f = Split(l, '\t');
    if (f.size() < 7) continue;
    stream_of[Endpoint(f[1].empty() ? f[2] : f[1], std::stoull(f[3])) + " " +
              Endpoint(f[4].empty() ? f[5] : f[4], std::stoull(f[6]))] = f[0];
  }
  std::string args = "-q";
  std::map<std::string, const TruthRow*> by_ends;  // "client server" -> truth
  for (const auto& t : truth_) {
    if (t.proto != "tcp" || t.app == "none") continue;
    const std::string key = Endpoint(t.client_ip, t.client_port) + " " + Endpoint(t.server_ip, t.server_port);
    const auto it = stream_of.find(key);
    ASSERT_NE(it, stream_of.end()) << key;
    args += " -z follow,tcp,raw," + it->second;
    by_ends[key] = &t;
  }
  ASSERT_GT(by_ends.size(), 20u);
  const std::string out = Tshark(args);
  // One block per -z: "Node 0: a:p", "Node 1: b:p" (IPv6 in brackets), then hex lines; lines
  // starting with a tab carry data from node 1.
  auto unbracket = [](std::string n) {
    if (!n.empty() && n[0] == '[') {
      const size_t close = n.find(']');
      n = n.substr(1, close - 1) + n.substr(close + 1);
    }
    return n;
  };
  size_t checked = 0;
  std::string node0, node1, hex0, hex1;
  auto finish = [&]() {
    if (node0.empty()) return;
    auto decode = [](const std::string& hex) {
      std::string bytes;
      for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
      return bytes;
    };
    const std::string a = decode(hex0), b = decode(hex1);
    const TruthRow* t = nullptr;
    bool client_is_node0 = true;
    if (auto it = by_ends.find(node0 + " " + node1); it != by_ends.end()) {
      t = it->second;
    } else if (auto it2 = by_ends.find(node1 + " " + node0); it2 != by_ends.end()) {
      t = it2->second;
      client_is_node0 = false;
    }
    ASSERT_NE(t, nullptr) << node0 << " " << node1;
    const std::string& c2s = client_is_node0 ? a : b;
    const std::string& s2c = client_is_node0 ? b : a;
    EXPECT_EQ(c2s.size(), t->c2s_len) << node0;
    EXPECT_EQ(Sha256Hex(c2s), t->c2s_sha) << "client->server stream of " << node0;
    EXPECT_EQ(s2c.size(), t->s2c_len) << node0;
    EXPECT_EQ(Sha256Hex(s2c), t->s2c_sha) << "server->client stream of " << node0;
    ++checked;
    node0.clear();
    node1.clear();
    hex0.clear();
    hex1.clear();
  };
  for (const auto& l : Split(out, '\n')) {
    if (l.rfind("Follow: tcp,raw", 0) == 0) {
      finish();
    } else if (l.rfind("Node 0: ", 0) == 0) {
      node0 = unbracket(l.substr(8));
    } else if (l.rfind("Node 1: ", 0) == 0) {
      node1 = unbracket(l.substr(8));
    } else if (l.rfind("Filter:", 0) == 0 || l.rfind("====", 0) == 0 || l.empty()) {
      continue;
    } else if (!node1.empty()) {
      (l[0] == '\t' ? hex1 : hex0) += l[0] == '\t' ? l.substr(1) : l;
    }
  }
  finish();
  EXPECT_EQ(checked, by_ends.size());
}

}  // namespace
}  // namespace vigil::synth
