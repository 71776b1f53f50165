// DnsMessage and ParseDnsMessage: one DNS message (RFC 1035) decoded into text fields.
//
// The parser is a pure function over one message's bytes (UDP payload, or a TCP message without
// its 2-byte length prefix); DnsParser applies it to flows. Names are decompressed with a
// pointer-jump limit and written dotted ("www.example.com", "<root>" for the root, as Suricata
// writes them). Record data is decoded to text for A, AAAA, CNAME, NS, PTR, MX, TXT, SOA and SRV;
// other types keep only their type number and rdata length. Anomalies found while parsing are
// set in `events` (bit i = DnsEvent i).
//
//   DnsMessage m;
//   bool ok = ParseDnsMessage(payload, cfg, m);   // false: malformed (what parsed stays in m)
//   for (auto& q : m.questions) ... q.name, q.type_name
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sensor/app/dns/dns_config.h"
#include "sensor/app/dns/dns_event.h"

namespace vigil::sensor {

struct DnsQuestion {
  std::string name;
  uint16_t type = 0;
  uint16_t klass = 0;
  std::string type_name;  // "A", or the number for unknown types
};

struct DnsRecord {
  std::string name;
  uint16_t type = 0;
  uint16_t klass = 0;
  uint32_t ttl = 0;
  uint16_t rdlength = 0;
  std::string type_name;
  // A/AAAA address, CNAME/NS/PTR target, MX exchange, TXT strings joined by a space,
  // SOA "mname rname serial refresh retry expire minimum", SRV "priority weight port target".
  // Empty for other types (rdata_decoded false).
  std::string rdata;
  bool rdata_decoded = false;
};

struct DnsMessage {
  uint16_t id = 0;
  uint16_t flags = 0;
  uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
  std::vector<DnsQuestion> questions;
  std::vector<DnsRecord> answers;
  std::vector<DnsRecord> authorities;
  std::vector<DnsRecord> additionals;
  uint32_t events = 0;       // bit i: DnsEvent i
  bool malformed = false;    // parsing stopped early (dns.malformed_data)
  bool records_capped = false;  // max_records reached; later records not decoded
  uint64_t index = 0;        // position of the message in its flow (set by DnsParser)
  bool tcp = false;          // set by DnsParser

  bool is_response() const { return (flags & 0x8000) != 0; }
  uint8_t opcode() const { return static_cast<uint8_t>((flags >> 11) & 0x0f); }
  uint8_t rcode() const { return static_cast<uint8_t>(flags & 0x0f); }
  bool HasEvent(DnsEvent e) const { return (events >> static_cast<unsigned>(e)) & 1u; }
  void Clear();
};

// Decodes `msg` into `out` (cleared first). Returns false if the message is malformed; the
// header and whatever decoded before the error are kept.
bool ParseDnsMessage(std::span<const uint8_t> msg, const DnsConfig& cfg, DnsMessage& out);

}  // namespace vigil::sensor
