// End-to-end tests of Synthesize() without external tools: determinism, read-back with
// libpcap, checksums, stop conditions, attacks, and TCP streams reassembled from the capture by
// an independent reassembler in this file hashing to the truth file's SHA-256.
#include "tools/synth/synthesizer.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "core/ip_address.h"
#include "tests/tools/synth/synth_test_util.h"
#include "tools/synth/catalog.h"

namespace vigil::synth {
namespace {

using namespace vigil::synth::testing;

SynthConfig SmallConfig(const TempDir& dir, const std::string& name) {
  SynthConfig c;
  c.out_path = dir.File(name + ".pcap");
  c.truth_path = dir.File(name + ".jsonl");
  c.flows = 40;
  c.seed = 11;
  c.concurrency = 8;
  c.ipv6_fraction = 0.3;
  c.attacks = 6;
  c.scan_ports = 12;
  c.max_body_bytes = 24 * 1024;
  c.max_app_records = 4;
  c.mss = 700;
  c.impair = {0.05, 0.05, 0.05, 0.05};
  return c;
}

std::string Hex(const uint8_t* p, size_t n) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += k[p[i] >> 4];
    s += k[p[i] & 15];
  }
  return s;
}

std::string AddrText(int version, const uint8_t* a) {
  IpAddress ip = version == 6 ? IpAddress::V6(a) : IpAddress::V4(a);
  return ip.ToString();
}

// Whole L4 datagrams of a capture: unfragmented ones directly, fragmented ones reassembled.
struct Datagram {
  int version;
  std::string src, dst;
  uint8_t proto;
  std::vector<uint8_t> l4;
  bool checksum_ok;
};

std::vector<Datagram> Datagrams(const std::vector<CapturedFrame>& frames, size_t* bad_ip_checksums) {
  std::vector<Datagram> out;
  using Key = std::tuple<int, std::string, std::string, uint32_t, uint8_t>;
  std::map<Key, std::map<uint32_t, std::vector<uint8_t>>> pending;
  std::map<Key, uint32_t> total_len;
  for (const auto& f : frames) {
    const Decoded d = Decode(f.bytes);
    if (!d.ok) continue;
    if (!d.ipv4_header_checksum_ok) ++*bad_ip_checksums;
    Datagram g{d.ip_version, AddrText(d.ip_version, d.src), AddrText(d.ip_version, d.dst), d.protocol, {}, false};
    if (!d.fragment) {
      g.l4.assign(d.l4, d.l4 + d.l4_len);
    } else {
      const Key k{d.ip_version, g.src, g.dst, d.frag_id, d.protocol};
      pending[k][d.frag_offset].assign(d.l4, d.l4 + d.l4_len);
      if (!d.more_fragments) total_len[k] = d.frag_offset + static_cast<uint32_t>(d.l4_len);
      if (!total_len.count(k)) continue;
      uint32_t have = 0;
      for (const auto& [off, bytes] : pending[k]) {
        if (off != have) break;
        have += static_cast<uint32_t>(bytes.size());
      }
      if (have != total_len[k]) continue;
      for (const auto& [off, bytes] : pending[k]) g.l4.insert(g.l4.end(), bytes.begin(), bytes.end());
      pending.erase(k);
      total_len.erase(k);
    }
    const auto src = *IpAddress::Parse(g.src);
    const auto dst = *IpAddress::Parse(g.dst);
    g.checksum_ok = L4ChecksumOk(g.version, src.data(), dst.data(), g.proto, g.l4.data(), g.l4.size());
    out.push_back(std::move(g));
  }
  return out;
}

TEST(Synthesizer, SameSeedGivesByteIdenticalOutput) {
  TempDir dir("determinism");
  SynthConfig a = SmallConfig(dir, "a");
  SynthConfig b = SmallConfig(dir, "b");
  a.vlan = b.vlan = 7;
  ASSERT_TRUE(Synthesize(a));
  ASSERT_TRUE(Synthesize(b));
  const std::string pa = ReadFileBytes(a.out_path);
  ASSERT_GT(pa.size(), 10'000u);
  EXPECT_TRUE(pa == ReadFileBytes(b.out_path)) << "pcaps differ for the same seed";
  EXPECT_EQ(ReadFileBytes(a.truth_path), ReadFileBytes(b.truth_path));

  SynthConfig c = SmallConfig(dir, "c");
  c.vlan = 7;
  c.seed = 12;
  ASSERT_TRUE(Synthesize(c));
  EXPECT_FALSE(pa == ReadFileBytes(c.out_path)) << "a different seed gave the same pcap";
  EXPECT_NE(ReadFileBytes(a.truth_path), ReadFileBytes(c.truth_path));
}

TEST(Synthesizer, ReadsBackWithValidChecksumsAndMatchingCounts) {
  TempDir dir("readback");
  SynthConfig cfg = SmallConfig(dir, "r");
  cfg.vlan = 300;
  auto stats = Synthesize(cfg);
  ASSERT_TRUE(stats) << stats.error().ToString();
  std::string err;
  const auto frames = ReadPcap(cfg.out_path, &err);
  ASSERT_TRUE(err.empty()) << err;
  EXPECT_EQ(frames.size(), stats->packets);
  EXPECT_EQ(ReadFileBytes(cfg.out_path).size(), stats->pcap_bytes);

  const auto truth = ReadTruth(cfg.truth_path);
  ASSERT_EQ(truth.size(), stats->truth_records);
  uint64_t truth_frames = 0, truth_bytes = 0;
  for (const auto& t : truth) {
    truth_frames += t.c2s.frames + t.s2c.frames;
    truth_bytes += t.c2s.frame_bytes + t.s2c.frame_bytes;
    EXPECT_LE(t.c2s.packets, t.c2s.frames);
    EXPECT_LE(t.c2s.bytes, t.c2s.frame_bytes);
  }
  EXPECT_EQ(truth_frames, frames.size());

  uint64_t bytes = 0;
  int64_t prev_ts = 0;
  size_t fragments = 0;
  for (const auto& f : frames) {
    bytes += f.bytes.size();
    EXPECT_EQ(f.orig_len, f.bytes.size());
    EXPECT_GE(f.ts_us, prev_ts) << "capture order must follow timestamps";
    prev_ts = f.ts_us;
    const Decoded d = Decode(f.bytes);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.vlan, 300);
    fragments += d.fragment;
  }
  EXPECT_EQ(bytes, truth_bytes);
  EXPECT_EQ(prev_ts / 1'000'000 >= cfg.start_time_s, true);
  EXPECT_GT(fragments, 0u) << "fragment=0.05 should have fragmented something";

  size_t bad_ip = 0;
  const auto grams = Datagrams(frames, &bad_ip);
  EXPECT_EQ(bad_ip, 0u);
  size_t bad_l4 = 0;
  for (const auto& g : grams) bad_l4 += !g.checksum_ok;
  EXPECT_EQ(bad_l4, 0u);
  EXPECT_EQ(grams.size(), frames.size() - fragments + /*last fragments*/ 0 +
                              static_cast<size_t>(std::count_if(frames.begin(), frames.end(), [](const auto& f) {
                                const Decoded d = Decode(f.bytes);
                                return d.fragment && !d.more_fragments;
                              })));
}

// Reassembles each TCP direction by sequence number and compares with the truth digests.
TEST(Synthesizer, TcpStreamsReassembleToTruthDigests) {
  TempDir dir("streams");
  SynthConfig cfg = SmallConfig(dir, "s");
  cfg.impair = {0.15, 0.15, 0.15, 0.15};
  cfg.mss = 300;
  ASSERT_TRUE(Synthesize(cfg));
  size_t bad_ip = 0;
  const auto grams = Datagrams(ReadPcap(cfg.out_path), &bad_ip);
  struct Dir {
    bool have_isn = false;
    uint32_t isn = 0;
    std::string data;
    std::vector<bool> filled;
  };
  std::map<std::string, Dir> dirs;  // "src sport dst dport"
  for (const auto& g : grams) {
    if (g.proto != 6 || g.l4.size() < 20) continue;
    const uint8_t* t = g.l4.data();
    const uint16_t sport = static_cast<uint16_t>((t[0] << 8) | t[1]);
    const uint16_t dport = static_cast<uint16_t>((t[2] << 8) | t[3]);
    const uint32_t seq = (uint32_t{t[4]} << 24) | (uint32_t{t[5]} << 16) | (uint32_t{t[6]} << 8) | t[7];
    const size_t hlen = (t[12] >> 4) * 4u;
    Dir& d = dirs[g.src + " " + std::to_string(sport) + " " + g.dst + " " + std::to_string(dport)];
    if (t[13] & 0x02) {
      d.have_isn = true;
      d.isn = seq;
      continue;
    }
    const size_t len = g.l4.size() - hlen;
    if (len == 0) continue;
    ASSERT_TRUE(d.have_isn);
    const size_t off = static_cast<uint32_t>(seq - d.isn - 1);
    if (d.data.size() < off + len) {
      d.data.resize(off + len);
      d.filled.resize(off + len);
    }
    for (size_t i = 0; i < len; ++i) {
      if (d.filled[off + i]) {
        ASSERT_EQ(static_cast<uint8_t>(d.data[off + i]), t[hlen + i]) << "retransmitted/overlapping bytes differ";
      }
      d.data[off + i] = static_cast<char>(t[hlen + i]);
      d.filled[off + i] = true;
    }
  }
  auto digest = [&](const std::string& key, uint64_t* len) {
    const Dir& d = dirs[key];
    EXPECT_TRUE(std::all_of(d.filled.begin(), d.filled.end(), [](bool b) { return b; })) << key << " has holes";
    uint8_t md[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const uint8_t*>(d.data.data()), d.data.size(), md);
    *len = d.data.size();
    return Hex(md, sizeof md);
  };
  size_t checked = 0;
  for (const auto& t : ReadTruth(cfg.truth_path)) {
    if (t.proto != "tcp" || t.app == "none") continue;
    const std::string c = t.client_ip + " " + std::to_string(t.client_port);
    const std::string s = t.server_ip + " " + std::to_string(t.server_port);
    uint64_t len = 0;
    EXPECT_EQ(digest(c + " " + s, &len), t.c2s_sha) << c << " -> " << s;
    EXPECT_EQ(len, t.c2s_len);
    EXPECT_EQ(digest(s + " " + c, &len), t.s2c_sha) << s << " -> " << c;
    EXPECT_EQ(len, t.s2c_len);
    ++checked;
  }
  EXPECT_GT(checked, 20u);
}

TEST(Synthesizer, SizeLimitStopsNearTarget) {
  TempDir dir("size");
  SynthConfig cfg;
  cfg.out_path = dir.File("size.pcap");
  cfg.target_bytes = 3'000'000;
  cfg.concurrency = 4;
  cfg.max_body_bytes = 32 * 1024;
  auto stats = Synthesize(cfg);
  ASSERT_TRUE(stats);
  EXPECT_GE(stats->pcap_bytes, cfg.target_bytes);
  EXPECT_LT(stats->pcap_bytes, cfg.target_bytes + 2'000'000);
  EXPECT_EQ(stats->pcap_bytes, ReadFileBytes(cfg.out_path).size());
}

TEST(Synthesizer, AttacksAreEmbeddedAndRecorded) {
  TempDir dir("attacks");
  SynthConfig cfg = SmallConfig(dir, "a");
  cfg.impair = {};
  cfg.attacks = 7;  // every kind once, sqli twice
  auto stats = Synthesize(cfg);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->attacks, 7u);
  std::map<std::string, int> rows;
  bool sqli_uri = false;
  std::set<std::string> scan_ports;
  for (const auto& t : ReadTruth(cfg.truth_path)) {
    if (t.attack.empty()) continue;
    rows[t.attack]++;
    if (t.attack == "sqli") {
      for (auto u : catalog::SqlInjectionUris()) sqli_uri = sqli_uri || (!t.http_uris.empty() && t.http_uris[0] == u);
    }
    if (t.attack == "malicious_sni") {
      EXPECT_NE(std::find(catalog::MaliciousSnis().begin(), catalog::MaliciousSnis().end(), t.sni),
                catalog::MaliciousSnis().end());
    }
    if (t.attack == "portscan") scan_ports.insert(t.server_ip + ":" + std::to_string(t.server_port));
  }
  EXPECT_EQ(rows["sqli"], 2);
  EXPECT_EQ(rows["bad_user_agent"], 1);
  EXPECT_EQ(rows["testmyids"], 1);
  EXPECT_EQ(rows["malicious_dns"], 1);
  EXPECT_EQ(rows["malicious_sni"], 1);
  EXPECT_EQ(rows["portscan"], 12);
  EXPECT_EQ(scan_ports.size(), 12u);
  EXPECT_TRUE(sqli_uri);
  EXPECT_EQ(stats->attack_flows, 18u);
  const std::string pcap = ReadFileBytes(cfg.out_path);
  EXPECT_NE(pcap.find(std::string(catalog::kTestMyIdsBody)), std::string::npos);
  EXPECT_NE(pcap.find("Host: testmynids.org"), std::string::npos);
}

TEST(Synthesizer, InvalidConfigIsRejected) {
  SynthConfig cfg;
  cfg.out_path = "/nonexistent-dir/x.pcap";
  cfg.flows = 1;
  auto r = Synthesize(cfg);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  cfg.flows = 0;
  EXPECT_EQ(Synthesize(cfg).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::synth
