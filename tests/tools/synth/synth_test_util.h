// Helpers shared by the vigil-synth tests: read a pcap back with libpcap, parse frames down to
// L4 independently of the synthesizer's own code, verify Internet checksums the slow obvious
// way, read the truth file with simdjson, and run external commands (tshark).
#pragma once

#include <pcap/pcap.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <simdjson.h>

namespace vigil::synth::testing {

struct CapturedFrame {
  int64_t ts_us = 0;
  std::vector<uint8_t> bytes;
  uint32_t orig_len = 0;
};

inline std::vector<CapturedFrame> ReadPcap(const std::string& path, std::string* error = nullptr) {
  std::vector<CapturedFrame> frames;
  char err[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, void (*)(pcap_t*)> p(pcap_open_offline(path.c_str(), err), pcap_close);
  if (!p) {
    if (error) *error = err;
    return frames;
  }
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p.get(), &hdr, &data) == 1) {
    CapturedFrame f;
    f.ts_us = int64_t{hdr->ts.tv_sec} * 1'000'000 + hdr->ts.tv_usec;
    f.bytes.assign(data, data + hdr->caplen);
    f.orig_len = hdr->len;
    frames.push_back(std::move(f));
  }
  return frames;
}

// Plain RFC 1071: big-endian 16-bit words, 32-bit accumulator, folded.
inline uint32_t Sum16(const uint8_t* p, size_t n, uint32_t acc = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) acc += (uint32_t{p[i]} << 8) | p[i + 1];
  if (n % 2) acc += uint32_t{p[n - 1]} << 8;
  return acc;
}
inline uint16_t Fold(uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xFFFF) + (acc >> 16);
  return static_cast<uint16_t>(acc);
}

// What a frame decodes to, computed without the synthesizer's code.
struct Decoded {
  bool ok = false;
  int ip_version = 0;
  uint16_t vlan = 0;
  bool fragment = false;   // any IP fragment (first, middle or last)
  bool more_fragments = false;
  uint32_t frag_offset = 0;
  uint32_t frag_id = 0;
  uint8_t protocol = 0;    // L4 protocol (after a fragment header)
  const uint8_t* src = nullptr;  // address bytes (4 or 16)
  const uint8_t* dst = nullptr;
  const uint8_t* l4 = nullptr;   // first byte after IP headers
  size_t l4_len = 0;             // from the IP length field (padding excluded)
  bool ipv4_header_checksum_ok = true;
};

inline Decoded Decode(const std::vector<uint8_t>& f) {
  Decoded d;
  size_t off = 12;
  if (f.size() < 14) return d;
  uint16_t type = static_cast<uint16_t>((f[12] << 8) | f[13]);
  off = 14;
  if (type == 0x8100) {
    if (f.size() < 18) return d;
    d.vlan = static_cast<uint16_t>(((f[14] << 8) | f[15]) & 0x0FFF);
    type = static_cast<uint16_t>((f[16] << 8) | f[17]);
    off = 18;
  }
  const uint8_t* ip = f.data() + off;
  const size_t room = f.size() - off;
  if (type == 0x0800) {
    if (room < 20 || (ip[0] >> 4) != 4) return d;
    const size_t ihl = (ip[0] & 15u) * 4;
    const size_t total = (size_t{ip[2]} << 8) | ip[3];
    if (total > room || ihl < 20 || total < ihl) return d;
    d.ip_version = 4;
    d.ipv4_header_checksum_ok = Fold(Sum16(ip, ihl)) == 0xFFFF;
    const uint16_t frag = static_cast<uint16_t>((ip[6] << 8) | ip[7]);
    d.more_fragments = (frag & 0x2000) != 0;
    d.frag_offset = (frag & 0x1FFFu) * 8;
    d.fragment = d.more_fragments || d.frag_offset != 0;
    d.frag_id = static_cast<uint32_t>((ip[4] << 8) | ip[5]);
    d.protocol = ip[9];
    d.src = ip + 12;
    d.dst = ip + 16;
    d.l4 = ip + ihl;
    d.l4_len = total - ihl;
    d.ok = true;
  } else if (type == 0x86DD) {
    if (room < 40 || (ip[0] >> 4) != 6) return d;
    const size_t plen = (size_t{ip[4]} << 8) | ip[5];
    if (plen + 40 > room) return d;
    d.ip_version = 6;
    d.src = ip + 8;
    d.dst = ip + 24;
    d.protocol = ip[6];
    d.l4 = ip + 40;
    d.l4_len = plen;
    if (d.protocol == 44) {
      if (plen < 8) return d;
      const uint16_t fo = static_cast<uint16_t>((d.l4[2] << 8) | d.l4[3]);
      d.fragment = true;
      d.more_fragments = (fo & 1) != 0;
      d.frag_offset = fo & 0xFFF8u;
      d.frag_id = (uint32_t{d.l4[4]} << 24) | (uint32_t{d.l4[5]} << 16) | (uint32_t{d.l4[6]} << 8) | d.l4[7];
      d.protocol = d.l4[0];
      d.l4 += 8;
      d.l4_len -= 8;
    }
    d.ok = true;
  }
  return d;
}

// True if the TCP/UDP checksum of a whole (unfragmented or reassembled) L4 datagram verifies.
inline bool L4ChecksumOk(int ip_version, const uint8_t* src, const uint8_t* dst, uint8_t proto,
                         const uint8_t* l4, size_t len) {
  const size_t alen = ip_version == 6 ? 16 : 4;
  uint32_t acc = Sum16(src, alen);
  acc = Sum16(dst, alen, acc);
  acc += proto;
  acc += static_cast<uint32_t>(len & 0xFFFF) + static_cast<uint32_t>(len >> 16);
  acc = Sum16(l4, len, acc);
  if (proto == 17 && l4[6] == 0 && l4[7] == 0) return ip_version == 4;  // no checksum (IPv4 only)
  return Fold(acc) == 0xFFFF;
}

struct TruthDirection {
  uint64_t packets = 0, bytes = 0, frames = 0, frame_bytes = 0;
};
struct TruthRow {
  std::string proto, client_ip, server_ip, app, attack, sni;
  uint64_t client_port = 0, server_port = 0;
  TruthDirection c2s, s2c;
  std::string c2s_sha, s2c_sha;
  uint64_t c2s_len = 0, s2c_len = 0;
  size_t http_requests = 0;
  size_t dns_queries = 0;
  std::vector<std::string> http_uris;
};

inline TruthDirection ReadDirection(simdjson::ondemand::object o) {
  TruthDirection d;
  d.packets = uint64_t(o["packets"]);
  d.bytes = uint64_t(o["bytes"]);
  d.frames = uint64_t(o["frames"]);
  d.frame_bytes = uint64_t(o["frame_bytes"]);
  return d;
}

inline std::vector<TruthRow> ReadTruth(const std::string& path) {
  std::vector<TruthRow> rows;
  simdjson::padded_string json;
  if (simdjson::padded_string::load(path).get(json)) return rows;
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document_stream docs;
  if (parser.iterate_many(json).get(docs)) return rows;
  for (auto doc_result : docs) {
    simdjson::ondemand::object o = doc_result.get_object();
    TruthRow r;
    for (auto field : o) {
      const std::string_view key = field.unescaped_key();
      auto v = field.value();
      if (key == "proto") r.proto = std::string(std::string_view(v));
      else if (key == "client_ip") r.client_ip = std::string(std::string_view(v));
      else if (key == "server_ip") r.server_ip = std::string(std::string_view(v));
      else if (key == "client_port") r.client_port = uint64_t(v);
      else if (key == "server_port") r.server_port = uint64_t(v);
      else if (key == "app") r.app = std::string(std::string_view(v));
      else if (key == "attack") r.attack = std::string(std::string_view(v));
      else if (key == "sni") r.sni = std::string(std::string_view(v));
      else if (key == "c2s") r.c2s = ReadDirection(v.get_object());
      else if (key == "s2c") r.s2c = ReadDirection(v.get_object());
      else if (key == "c2s_stream" || key == "s2c_stream") {
        simdjson::ondemand::object s = v.get_object();
        uint64_t len = 0;
        std::string sha;
        for (auto sf : s) {
          const std::string_view k = sf.unescaped_key();
          if (k == "length") len = uint64_t(sf.value());
          else if (k == "sha256") sha = std::string(std::string_view(sf.value()));
        }
        (key == "c2s_stream" ? r.c2s_len : r.s2c_len) = len;
        (key == "c2s_stream" ? r.c2s_sha : r.s2c_sha) = sha;
      } else if (key == "http") {
        for (auto item : v.get_array()) {
          simdjson::ondemand::object req = item.get_object();
          r.http_uris.push_back(std::string(std::string_view(req["uri"])));
          ++r.http_requests;
        }
      } else if (key == "dns_queries") {
        for (auto item : v.get_array()) {
          (void)item;
          ++r.dns_queries;
        }
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

// Runs a shell command, returns its stdout (stderr is left alone).
inline std::string RunCommand(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int st = pclose(p);
  if (status) *status = st;
  return out;
}

inline bool ToolOnPath(const std::string& tool) {
  int st = -1;
  RunCommand("command -v " + tool + " >/dev/null 2>&1", &st);
  return st == 0;
}

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    path_ = std::filesystem::temp_directory_path() /
            ("vigil_synth_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFileBytes(const std::string& path) {
  std::string s;
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!f) return s;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) s.append(buf.data(), n);
  return s;
}

}  // namespace vigil::synth::testing
