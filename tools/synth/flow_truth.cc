#include "tools/synth/flow_truth.h"

#include <cstdio>

#include "core/time.h"

namespace vigil::synth {
namespace {

void AppendUint(std::string& out, uint64_t v) {
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(v));
  out.append(buf, static_cast<size_t>(n));
}

void AppendDirection(std::string& out, const char* key, const DirectionTruth& d) {
  out += ",\"";
  out += key;
  out += "\":{\"packets\":";
  AppendUint(out, d.packets);
  out += ",\"bytes\":";
  AppendUint(out, d.bytes);
  out += ",\"frames\":";
  AppendUint(out, d.frames);
  out += ",\"frame_bytes\":";
  AppendUint(out, d.frame_bytes);
  out += '}';
}

void AppendStream(std::string& out, const char* key, const StreamTruth& s) {
  out += ",\"";
  out += key;
  out += "\":{\"length\":";
  AppendUint(out, s.length);
  out += ",\"sha256\":\"";
  out += s.sha256;
  out += "\"}";
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c >= 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

std::string FlowTruth::ToJsonLine() const {
  std::string o;
  o.reserve(512);
  o += "{\"id\":";
  AppendUint(o, id);
  o += ",\"proto\":";
  AppendJsonString(o, proto);
  o += ",\"ip_version\":";
  o += client_ip.is_v6() ? '6' : '4';
  o += ",\"client_ip\":";
  AppendJsonString(o, client_ip.ToString());
  o += ",\"client_port\":";
  AppendUint(o, client_port);
  o += ",\"server_ip\":";
  AppendJsonString(o, server_ip.ToString());
  o += ",\"server_port\":";
  AppendUint(o, server_port);
  if (vlan) {
    o += ",\"vlan\":";
    AppendUint(o, vlan);
  }
  o += ",\"app\":";
  AppendJsonString(o, app);
  o += ",\"first_ts\":";
  AppendJsonString(o, Timestamp{first_ns}.ToEve());
  o += ",\"last_ts\":";
  AppendJsonString(o, Timestamp{last_ns}.ToEve());
  AppendDirection(o, "c2s", c2s);
  AppendDirection(o, "s2c", s2c);
  if (proto == "tcp") {
    AppendStream(o, "c2s_stream", c2s_stream);
    AppendStream(o, "s2c_stream", s2c_stream);
  }
  if (!http.empty()) {
    o += ",\"http\":[";
    for (size_t i = 0; i < http.size(); ++i) {
      if (i) o += ',';
      o += "{\"method\":";
      AppendJsonString(o, http[i].method);
      o += ",\"host\":";
      AppendJsonString(o, http[i].host);
      o += ",\"uri\":";
      AppendJsonString(o, http[i].uri);
      o += ",\"status\":";
      AppendUint(o, static_cast<uint64_t>(http[i].status));
      o += '}';
    }
    o += ']';
  }
  if (!dns_queries.empty()) {
    o += ",\"dns_queries\":[";
    for (size_t i = 0; i < dns_queries.size(); ++i) {
      if (i) o += ',';
      AppendJsonString(o, dns_queries[i]);
    }
    o += ']';
  }
  if (!sni.empty()) {
    o += ",\"sni\":";
    AppendJsonString(o, sni);
  }
  if (!attack.empty()) {
    o += ",\"attack\":";
    AppendJsonString(o, attack);
    o += ",\"attack_id\":";
    AppendUint(o, attack_id);
  }
  o += "}\n";
  return o;
}

}  // namespace vigil::synth
