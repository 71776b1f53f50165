// FlowTruth: the ground truth for one flow (one 5-tuple), written as one JSON Lines record of the
// --truth file. Generators fill it while they write the flow's frames; tests compare Vigil's and
// tshark's view of the capture against it. The record format is documented in README.md.
//
//   FlowTruth t; t.proto = "tcp"; t.app = "http"; ...
//   t.Count(Direction::kToServer, frames_written);
//   out << t.ToJsonLine();
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ip_address.h"
#include "tools/synth/packet_builder.h"

namespace vigil::synth {

enum class Direction { kToServer, kToClient };

struct DirectionTruth {
  // As `tshark -z conv,tcp|udp` counts them: frames where TCP/UDP is decoded. An IP packet sent
  // as fragments is decoded (after reassembly) in the frame carrying its last fragment, so it
  // counts once with that frame's length.
  uint64_t packets = 0;
  uint64_t bytes = 0;
  // Every frame on the wire, each fragment separately (what `conv,ip` or a byte counter sees).
  uint64_t frames = 0;
  uint64_t frame_bytes = 0;
};

struct StreamTruth {
  uint64_t length = 0;  // payload bytes of one TCP direction, each sequence byte once
  std::string sha256;   // lowercase hex SHA-256 of those bytes in sequence order
};

struct HttpRequestTruth {
  std::string method;
  std::string host;
  std::string uri;
  int status = 0;  // response status code
};

struct FlowTruth {
  uint64_t id = 0;           // order in which flows were generated, from 0
  std::string proto;         // "tcp" or "udp"
  IpAddress client_ip;       // the side that sent the first packet
  uint16_t client_port = 0;
  IpAddress server_ip;
  uint16_t server_port = 0;
  uint16_t vlan = 0;
  int64_t first_ns = 0;      // timestamp of the first and last frame
  int64_t last_ns = 0;
  DirectionTruth c2s;
  DirectionTruth s2c;
  std::string app;           // "http", "dns", "tls", "udp" or "none" (scan probes)
  StreamTruth c2s_stream;    // TCP only
  StreamTruth s2c_stream;
  std::vector<HttpRequestTruth> http;
  std::vector<std::string> dns_queries;
  std::string sni;
  std::string attack;        // attack name, empty for ordinary flows
  uint32_t attack_id = 0;    // which embedded attack instance (a scan has many flows)

  void Count(Direction d, const FrameCount& c, int64_t ts_ns) {
    const bool first = c2s.frames + s2c.frames == 0;
    DirectionTruth& t = d == Direction::kToServer ? c2s : s2c;
    t.packets += 1;
    t.bytes += c.last_frame_len;
    t.frames += c.frames;
    t.frame_bytes += c.bytes;
    if (first || ts_ns < first_ns) first_ns = ts_ns;
    if (first || ts_ns > last_ns) last_ns = ts_ns;
  }

  std::string ToJsonLine() const;  // one line, '\n'-terminated
};

// Appends s to out as a JSON string literal (quotes included).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace vigil::synth
