// Helpers shared by the pipeline tests: sensor configs from --set strings, EVE parsing, tshark's
// view of a capture (conversations and followed streams), a stream-collecting WorkerPlugin,
// temporary directories and shell commands.
#pragma once

#include <pcap/pcap.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/config.h"
#include "sensor/output/memory_sink.h"
#include "sensor/pipeline/pipeline.h"
#include "sensor/pipeline/sensor_config.h"
#include "sensor/pipeline/worker_plugin.h"

namespace vigil::sensor::pipeline_test {

namespace fs = std::filesystem;

inline fs::path SourceDir() {
  const char* d = std::getenv("VIGIL_SOURCE_DIR");
  return d != nullptr ? fs::path(d) : fs::current_path();
}
inline fs::path BinaryDir() {
  const char* d = std::getenv("VIGIL_BINARY_DIR");
  return d != nullptr ? fs::path(d) : SourceDir() / "build";
}
inline fs::path SensorBinary() { return BinaryDir() / "bin" / "vigil-sensor"; }
inline fs::path CorpusDir() { return SourceDir() / ".." / "shared" / "corpus" / "pcaps"; }

inline std::vector<std::string> CorpusPcaps() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(CorpusDir(), ec)) {
    const std::string ext = e.path().extension().string();
    if (ext == ".pcap" || ext == ".pcapng") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct CommandResult {
  int rc = -1;
  std::string out;  // stdout and stderr together
};

inline CommandResult RunCommand(const std::string& cmd) {
  CommandResult r;
  FILE* f = ::popen((cmd + " 2>&1").c_str(), "r");
  if (f == nullptr) return r;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) r.out.append(buf.data(), n);
  const int st = ::pclose(f);
  r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline bool HaveTool(const std::string& name) {
  return RunCommand("command -v " + name + " >/dev/null").rc == 0;
}

// A fresh directory under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "vigil-pipeline-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// Timeouts long enough that no flow of a test capture times out: tshark never splits a
// conversation by time, so the comparison is only meaningful without timeouts.
inline std::vector<std::string> NoTimeoutSets() {
  std::vector<std::string> s;
  for (const char* p : {"tcp", "udp", "icmp", "default"}) {
    for (const char* st : {"new", "established"}) {
      s.push_back(std::string("flow-timeouts.") + p + "." + st + "=1d");
    }
  }
  s.push_back("flow-timeouts.tcp.closed=1d");
  return s;
}

// A SensorConfig from the defaults plus --set strings, reading `inputs`.
inline SensorConfig MakeConfig(std::vector<std::string> inputs, std::vector<std::string> sets = {}) {
  sets.push_back("sensor-id=test-sensor");
  sets.push_back("province=test-province");
  auto cfg = Config::LoadString("", "test", SensorConfigSchema(), sets);
  EXPECT_TRUE(cfg.ok()) << (cfg.ok() ? "" : cfg.error().message);
  if (!cfg.ok()) return SensorConfig{};
  auto sc = BuildSensorConfig(*cfg);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message);
  if (!sc.ok()) return SensorConfig{};
  sc->capture.inputs = std::move(inputs);
  return std::move(*sc);
}

// ---- EVE ----

struct EveFlow {
  std::string proto, src_ip, dest_ip;
  uint64_t src_port = 0, dest_port = 0;
  uint64_t pkts_toserver = 0, pkts_toclient = 0, bytes_toserver = 0, bytes_toclient = 0;
  std::string start, end, state, reason, community_id, sensor_id, province, action;
  uint64_t flow_id = 0;
  int64_t age = 0;
  bool alerted = false;

  // Everything but flow_id, as one sortable string.
  std::string Summary() const {
    std::ostringstream o;
    o << proto << ' ' << src_ip << ':' << src_port << ">" << dest_ip << ':' << dest_port << ' '
      << pkts_toserver << '/' << bytes_toserver << ' ' << pkts_toclient << '/' << bytes_toclient
      << ' ' << start << ' ' << end << ' ' << age << ' ' << state << ' ' << reason << ' '
      << community_id << ' ' << alerted;
    return o.str();
  }
};

struct EveAnomaly {
  std::string type, event;
  uint64_t pcap_cnt = 0;
  uint64_t flow_id = 0;
};

struct ParsedEve {
  std::map<std::string, size_t> types;  // event_type -> count
  std::vector<EveFlow> flows;
  std::vector<EveAnomaly> anomalies;
  size_t missing_identity = 0;  // events without sensor_id or province
  size_t invalid = 0;           // lines that are not JSON objects
};

inline std::string Str(simdjson::dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}
inline uint64_t Uint(simdjson::dom::element e, const char* key) {
  uint64_t v = 0;
  if (e[key].get(v) != simdjson::SUCCESS) return 0;
  return v;
}

inline ParsedEve ParseEve(const std::vector<std::string>& lines) {
  ParsedEve out;
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
      ++out.invalid;
      continue;
    }
    const std::string type = Str(doc, "event_type");
    ++out.types[type];
    if (Str(doc, "sensor_id").empty() || Str(doc, "province").empty()) ++out.missing_identity;
    if (type == "flow") {
      EveFlow f;
      f.proto = Str(doc, "proto");
      f.src_ip = Str(doc, "src_ip");
      f.dest_ip = Str(doc, "dest_ip");
      f.src_port = Uint(doc, "src_port");
      f.dest_port = Uint(doc, "dest_port");
      f.flow_id = Uint(doc, "flow_id");
      f.community_id = Str(doc, "community_id");
      f.sensor_id = Str(doc, "sensor_id");
      f.province = Str(doc, "province");
      simdjson::dom::element fl;
      if (doc["flow"].get(fl) == simdjson::SUCCESS) {
        f.pkts_toserver = Uint(fl, "pkts_toserver");
        f.pkts_toclient = Uint(fl, "pkts_toclient");
        f.bytes_toserver = Uint(fl, "bytes_toserver");
        f.bytes_toclient = Uint(fl, "bytes_toclient");
        f.start = Str(fl, "start");
        f.end = Str(fl, "end");
        f.state = Str(fl, "state");
        f.reason = Str(fl, "reason");
        f.action = Str(fl, "action");
        int64_t age = 0;
        if (fl["age"].get(age) == simdjson::SUCCESS) f.age = age;
        bool alerted = false;
        if (fl["alerted"].get(alerted) == simdjson::SUCCESS) f.alerted = alerted;
      }
      out.flows.push_back(std::move(f));
    } else if (type == "anomaly") {
      EveAnomaly a;
      simdjson::dom::element an;
      if (doc["anomaly"].get(an) == simdjson::SUCCESS) {
        a.type = Str(an, "type");
        a.event = Str(an, "event");
      }
      a.pcap_cnt = Uint(doc, "pcap_cnt");
      a.flow_id = Uint(doc, "flow_id");
      out.anomalies.push_back(std::move(a));
    }
  }
  return out;
}

// One in-process run (runmode single) of `pcap` with `sets` and `plugins`: the summary, the EVE
// lines and their parse.
struct OfflineRun {
  std::vector<std::string> lines;
  ParsedEve eve;
  RunSummary summary;
};

inline void RunOfflinePcap(const std::string& pcap, std::vector<std::string> sets,
                           WorkerPluginFactory plugins, OfflineRun& out) {
  sets.push_back("runmode=single");
  SensorConfig cfg = MakeConfig({pcap}, sets);
  MemorySink sink;
  PipelineOptions opts;
  opts.plugins = std::move(plugins);
  auto r = RunOffline(cfg, sink, opts);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  out.summary = std::move(*r);
  out.lines = sink.Lines();
  out.eve = ParseEve(out.lines);
}

inline std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return lines;
  std::string cur;
  int c;
  while ((c = std::fgetc(f)) != EOF) {
    if (c == '\n') {
      lines.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(c));
    }
  }
  if (!cur.empty()) lines.push_back(std::move(cur));
  std::fclose(f);
  return lines;
}

// ---- Conversations: direction-free 5-tuples with per-direction counts ----

struct Endpoint {
  std::string ip;
  uint64_t port = 0;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

struct ConvKey {
  std::string proto;  // "TCP" / "UDP"
  Endpoint a, b;      // a < b
  friend auto operator<=>(const ConvKey&, const ConvKey&) = default;
};

struct ConvCounts {
  uint64_t pkts_ab = 0, bytes_ab = 0, pkts_ba = 0, bytes_ba = 0;
  friend bool operator==(const ConvCounts&, const ConvCounts&) = default;
};

inline std::ostream& operator<<(std::ostream& o, const ConvKey& k) {
  return o << k.proto << ' ' << k.a.ip << ':' << k.a.port << " <-> " << k.b.ip << ':' << k.b.port;
}
inline std::ostream& operator<<(std::ostream& o, const ConvCounts& c) {
  return o << "a>b " << c.pkts_ab << " pkts/" << c.bytes_ab << " B, b>a " << c.pkts_ba
           << " pkts/" << c.bytes_ba << " B";
}

using Conversations = std::map<ConvKey, ConvCounts>;

// Adds `pkts`/`bytes` sent from src to dst.
inline void AddConv(Conversations& c, const std::string& proto, const Endpoint& src,
                    const Endpoint& dst, uint64_t pkts, uint64_t bytes) {
  if (src <= dst) {
    ConvCounts& x = c[ConvKey{proto, src, dst}];
    x.pkts_ab += pkts;
    x.bytes_ab += bytes;
  } else {
    ConvCounts& x = c[ConvKey{proto, dst, src}];
    x.pkts_ba += pkts;
    x.bytes_ba += bytes;
  }
}

// Our flows summed per 5-tuple. Several flows of one 5-tuple (TCP port reuse: a new SYN after
// the old connection closed starts a new flow, as in Suricata) add up, as tshark's conversation
// table does for the same address/port pair.
inline Conversations OurConversations(const std::vector<EveFlow>& flows, const std::string& proto) {
  Conversations c;
  for (const EveFlow& f : flows) {
    if (f.proto != proto) continue;
    const Endpoint cl{f.src_ip, f.src_port}, sv{f.dest_ip, f.dest_port};
    AddConv(c, proto, cl, sv, f.pkts_toserver, f.bytes_toserver);
    AddConv(c, proto, sv, cl, f.pkts_toclient, f.bytes_toclient);
  }
  return c;
}

// tshark's per-frame view of TCP or UDP conversations: every frame in which tshark decodes the
// protocol (after its own IP reassembly, so a fragmented datagram counts once, in the frame that
// completed it), outside ICMP error payloads; bytes are frame lengths. `tshark -z conv,tcp`
// prints the same frame counts but rounds bytes to kB/MB in Wireshark 4.0, so bytes come from
// frame.len per frame; ConvTableFrames() cross-checks the frame counts with the table itself.
inline Conversations TsharkConversations(const std::string& pcap, const std::string& proto) {
  const std::string p = proto == "TCP" ? "tcp" : "udp";
  const auto r = RunCommand("tshark -n -r " + ShellQuote(pcap) + " -Y '" + p +
                            " && !icmp && !icmpv6' -T fields -E occurrence=l -e frame.len "
                            "-e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e " + p +
                            ".srcport -e " + p + ".dstport 2>/dev/null");
  Conversations c;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, '\t')) f.push_back(cell);
    while (f.size() < 7) f.emplace_back();
    if (f[0].empty() || f[5].empty()) continue;
    const std::string src = !f[1].empty() ? f[1] : f[2];
    const std::string dst = !f[3].empty() ? f[3] : f[4];
    AddConv(c, proto, Endpoint{src, std::stoull(f[5])}, Endpoint{dst, std::stoull(f[6])}, 1,
            std::stoull(f[0]));
  }
  return c;
}

// Frames per conversation as `tshark -q -z conv,<proto>` prints them (its table; bytes there are
// rounded, so only frames are taken).
inline std::map<ConvKey, uint64_t> ConvTableFrames(const std::string& pcap,
                                                   const std::string& proto) {
  const std::string p = proto == "TCP" ? "tcp" : "udp";
  const auto r = RunCommand("tshark -n -r " + ShellQuote(pcap) + " -q -z conv," + p);
  std::map<ConvKey, uint64_t> out;
  std::istringstream in(r.out);
  std::string line;
  auto split_ep = [](const std::string& s) {
    const size_t colon = s.rfind(':');
    return Endpoint{s.substr(0, colon), std::stoull(s.substr(colon + 1))};
  };
  while (std::getline(in, line)) {
    if (line.find("<->") == std::string::npos) continue;
    std::istringstream ls(line);
    std::string a, arrow, b, f_left, n_left, u_left, f_right, n_right, u_right;
    ls >> a >> arrow >> b >> f_left >> n_left >> u_left >> f_right >> n_right >> u_right;
    Endpoint ea = split_ep(a), eb = split_ep(b);
    if (eb < ea) std::swap(ea, eb);
    out[ConvKey{proto, ea, eb}] += std::stoull(f_left) + std::stoull(f_right);
  }
  return out;
}

// ---- Streams ----

struct StreamKey {
  Endpoint client, server;
  friend auto operator<=>(const StreamKey&, const StreamKey&) = default;
};

struct CollectedStream {
  std::string bytes[2];   // to server, to client
  uint64_t gaps[2] = {0, 0};
  bool ended[2] = {false, false};
  bool reset = false;  // a direction ended with EndReason::kRst
};

// Shared by the per-worker StreamCollector plugins.
struct StreamStore {
  std::mutex mu;
  std::map<StreamKey, std::vector<CollectedStream>> streams;  // several with port reuse
};

// A WorkerPlugin that keeps every flow's reassembled bytes (tests only: unbounded memory).
class StreamCollector final : public WorkerPlugin {
 public:
  explicit StreamCollector(StreamStore& store) : store_(store) {}
  void OnStreamData(const Flow& f, StreamDirection d, std::span<const uint8_t> b,
                    uint64_t offset) override {
    CollectedStream& s = live_[f.index];
    std::string& out = s.bytes[d == StreamDirection::kToServer ? 0 : 1];
    EXPECT_EQ(offset, out.size() + gap_bytes_[f.index][d == StreamDirection::kToServer ? 0 : 1])
        << "stream offsets must be contiguous";
    out.append(reinterpret_cast<const char*>(b.data()), b.size());
  }
  void OnStreamGap(const Flow& f, StreamDirection d, uint64_t, uint64_t len) override {
    const int i = d == StreamDirection::kToServer ? 0 : 1;
    ++live_[f.index].gaps[i];
    gap_bytes_[f.index][i] += len;
  }
  void OnStreamEnd(const Flow& f, StreamDirection d, EndReason why) override {
    live_[f.index].ended[d == StreamDirection::kToServer ? 0 : 1] = true;
    if (why == EndReason::kRst) live_[f.index].reset = true;
  }
  void OnFlowEnd(Flow& f, const FlowStreamStats& stats) override {
    auto it = live_.find(f.index);
    if (it == live_.end()) return;
    EXPECT_EQ(stats.bytes[0], it->second.bytes[0].size());
    EXPECT_EQ(stats.bytes[1], it->second.bytes[1].size());
    StreamKey k{Endpoint{f.client().ToString(), f.client_port()},
                Endpoint{f.server().ToString(), f.server_port()}};
    {
      std::lock_guard lock(store_.mu);
      store_.streams[k].push_back(std::move(it->second));
    }
    live_.erase(it);
    gap_bytes_.erase(f.index);
  }

 private:
  StreamStore& store_;
  std::map<uint32_t, CollectedStream> live_;
  std::map<uint32_t, std::array<uint64_t, 2>> gap_bytes_;
};

inline WorkerPluginFactory CollectStreams(StreamStore& store) {
  return [&store](uint32_t, EventWriter&) { return std::make_unique<StreamCollector>(store); };
}

// `tshark -q -z follow,tcp,raw,N` for several streams in one run: per stream index, the two
// nodes (node 0 spoke first) and the bytes each sent.
struct FollowedStream {
  Endpoint node[2];
  std::string bytes[2];
};

inline std::string FromHex(const std::string& hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

inline std::map<int, FollowedStream> TsharkFollow(const std::string& pcap,
                                                  const std::vector<int>& streams) {
  std::string cmd = "tshark -n -r " + ShellQuote(pcap) + " -q";
  for (int s : streams) cmd += " -z follow,tcp,raw," + std::to_string(s);
  const auto r = RunCommand(cmd + " 2>/dev/null");
  std::map<int, FollowedStream> out;
  std::istringstream in(r.out);
  std::string line;
  FollowedStream* cur = nullptr;
  auto endpoint = [](const std::string& s) {
    const size_t colon = s.rfind(':');
    std::string ip = s.substr(0, colon);
    if (ip.size() > 1 && ip.front() == '[') ip = ip.substr(1, ip.size() - 2);
    return Endpoint{ip, std::stoull(s.substr(colon + 1))};
  };
  while (std::getline(in, line)) {
    if (line.rfind("Filter: tcp.stream eq ", 0) == 0) {
      cur = &out[std::stoi(line.substr(22))];
    } else if (cur == nullptr || line.rfind("=====", 0) == 0 || line.rfind("Follow:", 0) == 0) {
      continue;
    } else if (line.rfind("Node 0: ", 0) == 0) {
      cur->node[0] = endpoint(line.substr(8));
    } else if (line.rfind("Node 1: ", 0) == 0) {
      cur->node[1] = endpoint(line.substr(8));
    } else if (!line.empty() && line[0] == '\t') {
      cur->bytes[1] += FromHex(line.substr(1));
    } else if (!line.empty()) {
      cur->bytes[0] += FromHex(line);
    }
  }
  return out;
}

// ---- Small pcaps written by tests ----

// Writes Ethernet frames to a pcap (libpcap's own writer).
inline bool WritePcap(const std::string& path, const std::vector<std::vector<uint8_t>>& frames,
                      int64_t start_sec = 1700000000) {
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  if (dead == nullptr) return false;
  pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
  if (d == nullptr) {
    pcap_close(dead);
    return false;
  }
  for (size_t i = 0; i < frames.size(); ++i) {
    pcap_pkthdr h{};
    h.ts.tv_sec = start_sec;
    h.ts.tv_usec = static_cast<suseconds_t>(i * 1000);
    h.caplen = static_cast<bpf_u_int32>(frames[i].size());
    h.len = h.caplen;
    pcap_dump(reinterpret_cast<u_char*>(d), &h, frames[i].data());
  }
  pcap_dump_close(d);
  pcap_close(dead);
  return true;
}

inline uint16_t Checksum16(const uint8_t* p, size_t n, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
  if (n & 1) sum += static_cast<uint32_t>(p[n - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// Ethernet + IPv4 + TCP with correct checksums (unless corrupt_tcp_checksum).
inline std::vector<uint8_t> TcpFrame(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                                     uint32_t seq, uint32_t ack, uint8_t flags,
                                     const std::string& payload = "",
                                     bool corrupt_tcp_checksum = false) {
  std::vector<uint8_t> f(14 + 20 + 20 + payload.size());
  uint8_t* e = f.data();
  const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 1}, mac_b[6] = {0x02, 0, 0, 0, 0, 2};
  std::copy(mac_b, mac_b + 6, e);
  std::copy(mac_a, mac_a + 6, e + 6);
  e[12] = 0x08;
  e[13] = 0x00;
  uint8_t* ip = e + 14;
  const size_t ip_len = 20 + 20 + payload.size();
  ip[0] = 0x45;
  ip[2] = static_cast<uint8_t>(ip_len >> 8);
  ip[3] = static_cast<uint8_t>(ip_len);
  ip[6] = 0x40;
  ip[8] = 64;
  ip[9] = 6;
  for (int i = 0; i < 4; ++i) {
    ip[12 + i] = static_cast<uint8_t>(src >> (24 - 8 * i));
    ip[16 + i] = static_cast<uint8_t>(dst >> (24 - 8 * i));
  }
  const uint16_t ipsum = Checksum16(ip, 20);
  ip[10] = static_cast<uint8_t>(ipsum >> 8);
  ip[11] = static_cast<uint8_t>(ipsum);
  uint8_t* t = ip + 20;
  t[0] = static_cast<uint8_t>(sport >> 8);
  t[1] = static_cast<uint8_t>(sport);
  t[2] = static_cast<uint8_t>(dport >> 8);
  t[3] = static_cast<uint8_t>(dport);
  for (int i = 0; i < 4; ++i) {
    t[4 + i] = static_cast<uint8_t>(seq >> (24 - 8 * i));
    t[8 + i] = static_cast<uint8_t>(ack >> (24 - 8 * i));
  }
  t[12] = 0x50;
  t[13] = flags;
  t[14] = 0xff;
  t[15] = 0xff;
  std::copy(payload.begin(), payload.end(), t + 20);
  // Pseudo header: src, dst, zero, proto, TCP length.
  uint32_t sum = 0;
  for (int i = 0; i < 8; i += 2) sum += static_cast<uint32_t>(ip[12 + i] << 8 | ip[13 + i]);
  sum += 6 + static_cast<uint32_t>(20 + payload.size());
  uint16_t tsum = Checksum16(t, 20 + payload.size(), sum);
  if (corrupt_tcp_checksum) tsum ^= 0x5a5a;
  t[16] = static_cast<uint8_t>(tsum >> 8);
  t[17] = static_cast<uint8_t>(tsum);
  return f;
}

}  // namespace vigil::sensor::pipeline_test
