// Event: the in-memory form of one EVE-compatible event (alert, flow, dns, http, tls, anomaly,
// stats) before it is written as a line of JSON by WriteEve (core/eve_writer.h).
//
// An Event is a common envelope (time, flow id, 5-tuple, app_proto, community_id, our sensor_id
// and province) plus pointers to the payloads it carries. Payloads hold std::string_view and
// std::span fields that point into the producer's memory (flow state, parser buffers, the rule):
// they must stay valid only while the event is being written. The sensor writes each event at
// once, so building one copies nothing and allocates nothing.
//
//   AlertInfo alert{.signature_id = 2016141, .rev = 5, .signature = rule.msg, ...};
//   HttpInfo http{.hostname = tx.host, .url = tx.uri, ...};
//   Event ev{.type = EventType::kAlert, .alert = &alert, .http = &http};
//   ev.envelope = ...;           // filled from the packet and flow
//   WriteEve(ev, writer);        // one line of EVE JSON in writer.view()
//
// An alert may carry http/dns/tls payloads (the transaction that matched) and a flow summary,
// exactly as Suricata's alert events do; an http event carries only `http`, and so on.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/ip_address.h"
#include "core/time.h"

namespace vigil {

enum class EventType : uint8_t {
  kAlert,
  kFlow,
  kDns,
  kHttp,
  kTls,
  kAnomaly,
  kStats,
  kMqtt,
  // New types go here; keep EventTypeName() in step.
};
// The EVE "event_type" string: "alert", "flow", ...
std::string_view EventTypeName(EventType t);

enum class Direction : uint8_t { kNone, kToServer, kToClient };
// "to_server" / "to_client"; empty for kNone.
std::string_view DirectionName(Direction d);

// The EVE "proto" string as Suricata writes it: "TCP", "UDP", "ICMP", "IPv6-ICMP", "SCTP",
// "GRE", ...; other protocol numbers are written as their decimal value by WriteEve (this
// returns an empty view for them).
std::string_view ProtoName(uint8_t ip_proto);

// Fields every event can carry. Absent fields (zero flow_id, empty views, empty optionals,
// unset addresses) are omitted from the JSON.
struct EventEnvelope {
  Timestamp timestamp;
  uint64_t flow_id = 0;
  std::string_view sensor_id;  // ours; written where Suricata writes its sensor_id
  std::string_view in_iface;
  std::optional<uint64_t> pcap_cnt;
  IpAddress src_ip;  // family 0 (stats events): no 5-tuple is written
  IpAddress dest_ip;
  uint16_t src_port = 0;  // written for TCP, UDP and SCTP only
  uint16_t dest_port = 0;
  uint8_t ip_proto = 0;
  std::optional<uint8_t> icmp_type;  // ICMP/ICMPv6 packets
  std::optional<uint8_t> icmp_code;
  std::string_view pkt_src;        // "wire/pcap", "stream (flow timeout)", ...
  std::string_view community_id;   // see core/community_id.h
  std::optional<uint64_t> tx_id;   // app-layer transaction the event belongs to
  std::string_view app_proto;      // "http", "dns", "tls", "failed", ...
  Direction direction = Direction::kNone;
  std::string_view province;       // ours; written last, where Suricata writes "host"
};

// ---- Payloads ----

struct AlertMetadata {
  std::string_view key;  // e.g. "attack_target"
  std::span<const std::string_view> values;
};

struct AlertInfo {
  std::string_view action = "allowed";  // "allowed" or "blocked"
  uint32_t gid = 1;
  uint32_t signature_id = 0;
  uint32_t rev = 0;
  std::string_view signature;
  std::string_view category;
  uint32_t severity = 3;
  std::span<const AlertMetadata> metadata;  // "metadata": {"key": ["v1", "v2"], ...}
  std::string_view context;  // "context": one pre-serialised JSON object (datajson), "" none
};

struct FlowInfo {
  uint64_t pkts_toserver = 0;
  uint64_t pkts_toclient = 0;
  uint64_t bytes_toserver = 0;
  uint64_t bytes_toclient = 0;
  Timestamp start;
  Timestamp end;         // flow events only
  int64_t age = 0;       // seconds; flow events only
  std::string_view state;   // "new", "established", "closed", "bypassed"
  std::string_view reason;  // "timeout", "forced", "shutdown"
  bool alerted = false;
  std::string_view action;  // flow events: "pass" or "drop" when the sensor decided one; "" = none
};

struct DnsAnswer {
  std::string_view rrname;
  std::string_view rrtype;  // "A", "AAAA", "CNAME", ...
  uint32_t ttl = 0;
  std::string_view rdata;
};

struct DnsInfo {
  enum class Kind : uint8_t { kQuery, kAnswer };
  Kind kind = Kind::kQuery;
  uint16_t id = 0;
  uint16_t flags = 0;  // raw header flags; answers write them as hex ("8180") plus qr/aa/tc/rd/ra
  std::string_view rrname;
  std::string_view rrtype;
  std::string_view rcode;  // "NOERROR", "NXDOMAIN", ... (answers)
  std::span<const DnsAnswer> answers;
};

struct HttpInfo {
  std::string_view hostname;
  std::optional<uint16_t> http_port;  // when the Host header names a port
  std::string_view url;
  std::string_view http_user_agent;
  std::string_view xff;
  std::string_view http_content_type;
  std::string_view http_refer;
  std::string_view http_method;
  std::string_view protocol;  // "HTTP/1.1"
  std::optional<uint16_t> status;
  std::string_view redirect;  // Location header
  std::optional<uint64_t> length;  // response body bytes seen
};

struct TlsFingerprint {
  std::string_view hash;    // md5 hex
  std::string_view string;  // the JA3 / JA3S string
};

struct TlsInfo {
  std::string_view subject;
  std::string_view issuerdn;
  std::string_view serial;
  std::string_view fingerprint;
  std::string_view sni;
  std::string_view version;  // "TLS 1.2", "TLSv1.3", ...
  std::string_view notbefore;  // "2016-06-15T09:40:59" as Suricata writes certificate times
  std::string_view notafter;
  std::optional<TlsFingerprint> ja3;
  std::optional<TlsFingerprint> ja3s;
  std::span<const std::string> subjectaltname;  // server certificate's dNSName SANs
  std::span<const std::string> client_alpns;    // ClientHello ALPN list
  std::string_view server_alpn;                 // ServerHello's selected ALPN ("server_alpns")
};

struct AnomalyInfo {
  std::string_view type = "decode";  // "decode", "stream" or "applayer"
  std::string_view event;            // e.g. "ipv4.trunc_pkt"
  std::string_view layer;            // applayer only: "proto_parser", "proto_detect", ...
  std::optional<uint32_t> code;
};

// An app-layer object its producer serialised itself (protocols whose EVE payload is built by
// their own writer, e.g. "mqtt"): written as "key": json. `json` must be one JSON object.
struct AppJsonInfo {
  std::string_view key;
  std::string_view json;
};

struct StatsCounter {
  std::string_view name;  // dotted: "decoder.pkts" becomes {"decoder": {"pkts": N}}
  uint64_t value = 0;
};

// A string-valued stats entry (the live ruleset's hash and version), nested like counters.
struct StatsText {
  std::string_view name;
  std::string_view value;
};

struct StatsInfo {
  int64_t uptime = 0;  // seconds
  std::span<const StatsCounter> counters;
  std::span<const StatsText> texts;
};

struct Event {
  EventType type = EventType::kAlert;
  EventEnvelope envelope;
  const AlertInfo* alert = nullptr;
  const FlowInfo* flow = nullptr;
  const DnsInfo* dns = nullptr;
  const HttpInfo* http = nullptr;
  const TlsInfo* tls = nullptr;
  const AnomalyInfo* anomaly = nullptr;
  const StatsInfo* stats = nullptr;
  const AppJsonInfo* app_json = nullptr;  // kMqtt events; alerts on such a transaction
};

}  // namespace vigil
