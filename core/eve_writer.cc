#include "core/eve_writer.h"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace vigil {
namespace {

constexpr uint8_t kTcp = 6;
constexpr uint8_t kUdp = 17;
constexpr uint8_t kSctp = 132;

void KeyTime(JsonWriter& w, std::string_view key, Timestamp t) {
  char buf[Timestamp::kEveLength];
  t.WriteEve(buf);
  w.KeyString(key, std::string_view(buf, sizeof(buf)));
}

void KeyIp(JsonWriter& w, std::string_view key, const IpAddress& ip) {
  char buf[IpAddress::kMaxText];
  size_t n = ip.Format(buf);
  w.KeyString(key, std::string_view(buf, n));
}

bool HasPorts(uint8_t proto) { return proto == kTcp || proto == kUdp || proto == kSctp; }

void WriteHeader(const Event& ev, JsonWriter& w) {
  const EventEnvelope& e = ev.envelope;
  KeyTime(w, "timestamp", e.timestamp);
  if (e.flow_id != 0) w.KeyUint("flow_id", e.flow_id);
  w.KeyStringIfSet("sensor_id", e.sensor_id);
  w.KeyStringIfSet("in_iface", e.in_iface);
  if (e.pcap_cnt) w.KeyUint("pcap_cnt", *e.pcap_cnt);
  w.KeyString("event_type", EventTypeName(ev.type));
  if (e.src_ip.family != 0) {
    const bool ports = HasPorts(e.ip_proto);
    KeyIp(w, "src_ip", e.src_ip);
    if (ports) w.KeyUint("src_port", e.src_port);
    KeyIp(w, "dest_ip", e.dest_ip);
    if (ports) w.KeyUint("dest_port", e.dest_port);
    std::string_view name = ProtoName(e.ip_proto);
    if (!name.empty()) {
      w.KeyString("proto", name);
    } else {
      char buf[4];
      auto r = std::to_chars(buf, buf + sizeof(buf), e.ip_proto);
      w.KeyString("proto", std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
    }
    if (e.icmp_type) w.KeyUint("icmp_type", *e.icmp_type);
    if (e.icmp_code) w.KeyUint("icmp_code", *e.icmp_code);
  }
  w.KeyStringIfSet("pkt_src", e.pkt_src);
  w.KeyStringIfSet("community_id", e.community_id);
}

void WriteAlert(const AlertInfo& a, JsonWriter& w) {
  w.KeyObject("alert");
  w.KeyString("action", a.action);
  w.KeyUint("gid", a.gid);
  w.KeyUint("signature_id", a.signature_id);
  w.KeyUint("rev", a.rev);
  w.KeyString("signature", a.signature);
  w.KeyString("category", a.category);
  w.KeyUint("severity", a.severity);
  if (!a.metadata.empty()) {
    w.KeyObject("metadata");
    for (const AlertMetadata& m : a.metadata) {
      w.KeyArray(m.key);
      for (std::string_view v : m.values) w.String(v);
      w.EndArray();
    }
    w.EndObject();
  }
  if (!a.context.empty()) w.KeyRaw("context", a.context);
  w.EndObject();
}

void WriteHttp(const HttpInfo& h, JsonWriter& w) {
  w.KeyObject("http");
  w.KeyStringIfSet("hostname", h.hostname);
  if (h.http_port) w.KeyUint("http_port", *h.http_port);
  w.KeyStringIfSet("url", h.url);
  w.KeyStringIfSet("http_user_agent", h.http_user_agent);
  w.KeyStringIfSet("xff", h.xff);
  w.KeyStringIfSet("http_content_type", h.http_content_type);
  w.KeyStringIfSet("http_refer", h.http_refer);
  w.KeyStringIfSet("http_method", h.http_method);
  w.KeyStringIfSet("protocol", h.protocol);
  if (h.status) w.KeyUint("status", *h.status);
  w.KeyStringIfSet("redirect", h.redirect);
  if (h.length) w.KeyUint("length", *h.length);
  w.EndObject();
}

void WriteDns(const DnsInfo& d, JsonWriter& w) {
  w.KeyObject("dns");
  if (d.kind == DnsInfo::Kind::kQuery) {
    w.KeyString("type", "query");
    w.KeyUint("id", d.id);
    w.KeyString("rrname", d.rrname);
    w.KeyString("rrtype", d.rrtype);
    if (d.flags & 0x0040) w.KeyBool("z", true);  // the reserved Z bit, as Suricata logs it
  } else {
    w.KeyUint("version", 2);
    w.KeyString("type", "answer");
    w.KeyUint("id", d.id);
    char hex[8];
    auto r = std::to_chars(hex, hex + sizeof(hex), d.flags, 16);
    w.KeyString("flags", std::string_view(hex, static_cast<size_t>(r.ptr - hex)));
    // Only set bits are written, as Suricata does.
    if (d.flags & 0x8000) w.KeyBool("qr", true);
    if (d.flags & 0x0400) w.KeyBool("aa", true);
    if (d.flags & 0x0200) w.KeyBool("tc", true);
    if (d.flags & 0x0100) w.KeyBool("rd", true);
    if (d.flags & 0x0080) w.KeyBool("ra", true);
    if (d.flags & 0x0040) w.KeyBool("z", true);
    w.KeyString("rrname", d.rrname);
    w.KeyString("rrtype", d.rrtype);
    w.KeyString("rcode", d.rcode);
    if (!d.answers.empty()) {
      w.KeyArray("answers");
      for (const DnsAnswer& a : d.answers) {
        w.BeginObject();
        w.KeyString("rrname", a.rrname);
        w.KeyString("rrtype", a.rrtype);
        w.KeyUint("ttl", a.ttl);
        w.KeyStringIfSet("rdata", a.rdata);
        w.EndObject();
      }
      w.EndArray();
    }
  }
  w.EndObject();
}

void WriteFingerprint(JsonWriter& w, std::string_view key, const TlsFingerprint& f) {
  w.KeyObject(key);
  w.KeyString("hash", f.hash);
  w.KeyString("string", f.string);
  w.EndObject();
}

void WriteTls(const TlsInfo& t, JsonWriter& w) {
  w.KeyObject("tls");
  w.KeyStringIfSet("subject", t.subject);
  w.KeyStringIfSet("issuerdn", t.issuerdn);
  w.KeyStringIfSet("serial", t.serial);
  w.KeyStringIfSet("fingerprint", t.fingerprint);
  w.KeyStringIfSet("sni", t.sni);
  w.KeyStringIfSet("version", t.version);
  w.KeyStringIfSet("notbefore", t.notbefore);
  w.KeyStringIfSet("notafter", t.notafter);
  if (t.ja3) WriteFingerprint(w, "ja3", *t.ja3);
  if (t.ja3s) WriteFingerprint(w, "ja3s", *t.ja3s);
  auto strings = [&](std::string_view key, std::span<const std::string> v) {
    if (v.empty()) return;
    w.KeyArray(key);
    for (const std::string& s : v) w.String(s);
    w.EndArray();
  };
  strings("subjectaltname", t.subjectaltname);
  strings("client_alpns", t.client_alpns);
  if (!t.server_alpn.empty()) {
    w.KeyArray("server_alpns");
    w.String(t.server_alpn);
    w.EndArray();
  }
  w.EndObject();
}

void WriteAppLayer(const Event& ev, JsonWriter& w) {
  if (ev.http) WriteHttp(*ev.http, w);
  if (ev.dns) WriteDns(*ev.dns, w);
  if (ev.tls) WriteTls(*ev.tls, w);
  if (ev.app_json) w.KeyRaw(ev.app_json->key, ev.app_json->json);
}

void WriteFlowCounts(const FlowInfo& f, JsonWriter& w) {
  w.KeyUint("pkts_toserver", f.pkts_toserver);
  w.KeyUint("pkts_toclient", f.pkts_toclient);
  w.KeyUint("bytes_toserver", f.bytes_toserver);
  w.KeyUint("bytes_toclient", f.bytes_toclient);
  KeyTime(w, "start", f.start);
}

// The flow summary inside an alert: counts, start, and the flow's own orientation (its
// initiator as src), which differs from the packet's when the packet goes to the client.
void WriteAlertFlow(const Event& ev, JsonWriter& w) {
  const EventEnvelope& e = ev.envelope;
  const bool swap = e.direction == Direction::kToClient;
  w.KeyObject("flow");
  WriteFlowCounts(*ev.flow, w);
  if (e.src_ip.family != 0) {
    KeyIp(w, "src_ip", swap ? e.dest_ip : e.src_ip);
    KeyIp(w, "dest_ip", swap ? e.src_ip : e.dest_ip);
    if (HasPorts(e.ip_proto)) {
      w.KeyUint("src_port", swap ? e.dest_port : e.src_port);
      w.KeyUint("dest_port", swap ? e.src_port : e.dest_port);
    }
  }
  w.EndObject();
}

void WriteFlowEvent(const FlowInfo& f, JsonWriter& w) {
  w.KeyObject("flow");
  WriteFlowCounts(f, w);
  KeyTime(w, "end", f.end);
  w.KeyInt("age", f.age);
  w.KeyStringIfSet("state", f.state);
  w.KeyStringIfSet("reason", f.reason);
  w.KeyBool("alerted", f.alerted);
  w.KeyStringIfSet("action", f.action);
  w.EndObject();
}

void WriteAnomaly(const AnomalyInfo& a, JsonWriter& w) {
  w.KeyObject("anomaly");
  w.KeyString("type", a.type);
  w.KeyString("event", a.event);
  w.KeyStringIfSet("layer", a.layer);
  if (a.code) w.KeyUint("code", *a.code);
  w.EndObject();
}

// Stats counters arrive as dotted names; Suricata nests them: "decoder.pkts" and "decoder.ipv4"
// become "decoder": {"pkts": N, "ipv4": N}. A small tree keeps each prefix in one object even
// when the names are not grouped, in order of first appearance. Stats events are written once
// per interval, so the allocation here is off every hot path.
struct StatsNode {
  std::string_view name;
  uint64_t value = 0;
  std::vector<uint32_t> children;
  std::optional<std::string_view> text;  // a StatsText leaf
};

void WriteStatsNode(const std::vector<StatsNode>& nodes, uint32_t i, JsonWriter& w) {
  const StatsNode& n = nodes[i];
  if (n.children.empty()) {
    if (n.text) {
      w.KeyString(n.name, *n.text);
    } else {
      w.KeyUint(n.name, n.value);
    }
    return;
  }
  // A name that is both a counter and a prefix ("a" and "a.b") keeps only the object: JSON
  // cannot hold both under one key. Counter tables do not do this.
  w.KeyObject(n.name);
  for (uint32_t c : n.children) WriteStatsNode(nodes, c, w);
  w.EndObject();
}

void WriteStats(const StatsInfo& s, JsonWriter& w) {
  std::vector<StatsNode> nodes(1);  // nodes[0] is the root
  auto place = [&nodes](std::string_view name) {
    uint32_t cur = 0;
    std::string_view rest = name;
    while (true) {
      size_t dot = rest.find('.');
      std::string_view part = rest.substr(0, dot);
      uint32_t found = 0;
      for (uint32_t child : nodes[cur].children) {
        if (nodes[child].name == part) {
          found = child;
          break;
        }
      }
      if (found == 0) {
        found = static_cast<uint32_t>(nodes.size());
        nodes.push_back(StatsNode{part, 0, {}, {}});
        nodes[cur].children.push_back(found);
      }
      cur = found;
      if (dot == std::string_view::npos) break;
      rest = rest.substr(dot + 1);
    }
    return cur;
  };
  for (const StatsCounter& c : s.counters) nodes[place(c.name)].value = c.value;
  for (const StatsText& t : s.texts) nodes[place(t.name)].text = t.value;
  w.KeyObject("stats");
  w.KeyInt("uptime", s.uptime);
  for (uint32_t c : nodes[0].children) WriteStatsNode(nodes, c, w);
  w.EndObject();
}

void WriteTail(const EventEnvelope& e, JsonWriter& w) {
  w.KeyStringIfSet("app_proto", e.app_proto);
  w.KeyStringIfSet("direction", DirectionName(e.direction));
}

}  // namespace

Status WriteEve(const Event& ev, JsonWriter& w) {
  auto missing = [&](const char* what) {
    return Error(ErrorCode::kInvalidArgument,
                 std::string("eve: ") + std::string(EventTypeName(ev.type)) + " event without " +
                     what);
  };
  switch (ev.type) {
    case EventType::kAlert: if (!ev.alert) return missing("alert"); break;
    case EventType::kFlow: if (!ev.flow) return missing("flow"); break;
    case EventType::kDns: if (!ev.dns) return missing("dns"); break;
    case EventType::kHttp: if (!ev.http) return missing("http"); break;
    case EventType::kTls: if (!ev.tls) return missing("tls"); break;
    case EventType::kAnomaly: if (!ev.anomaly) return missing("anomaly"); break;
    case EventType::kStats: if (!ev.stats) return missing("stats"); break;
    case EventType::kMqtt: if (!ev.app_json) return missing("mqtt"); break;
  }
  const EventEnvelope& e = ev.envelope;
  w.BeginObject();
  WriteHeader(ev, w);
  switch (ev.type) {
    case EventType::kAlert:
      if (e.tx_id) w.KeyUint("tx_id", *e.tx_id);
      WriteAlert(*ev.alert, w);
      WriteAppLayer(ev, w);
      WriteTail(e, w);
      if (ev.flow) WriteAlertFlow(ev, w);
      break;
    case EventType::kFlow:
      w.KeyStringIfSet("app_proto", e.app_proto);
      WriteFlowEvent(*ev.flow, w);
      break;
    case EventType::kDns:
    case EventType::kHttp:
    case EventType::kTls:
      if (e.tx_id) w.KeyUint("tx_id", *e.tx_id);
      if (ev.type == EventType::kDns) WriteDns(*ev.dns, w);
      if (ev.type == EventType::kHttp) WriteHttp(*ev.http, w);
      if (ev.type == EventType::kTls) WriteTls(*ev.tls, w);
      WriteTail(e, w);
      break;
    case EventType::kMqtt:
      if (e.tx_id) w.KeyUint("tx_id", *e.tx_id);
      w.KeyRaw(ev.app_json->key, ev.app_json->json);
      WriteTail(e, w);
      break;
    case EventType::kAnomaly:
      if (e.tx_id) w.KeyUint("tx_id", *e.tx_id);
      WriteAnomaly(*ev.anomaly, w);
      WriteTail(e, w);
      break;
    case EventType::kStats:
      WriteStats(*ev.stats, w);
      break;
  }
  w.KeyStringIfSet("province", e.province);
  w.EndObject();
  return w.status();
}

}  // namespace vigil
