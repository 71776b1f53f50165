// Packet: one captured frame and what the decoder learned about it.
//
// The capture layer fills the raw part (bytes, lengths, timestamp, pcap_cnt, link type); the
// decoder fills the rest in place, pointing into the frame's bytes (never copying them). Every
// later stage — defragmentation, flows, reassembly, app-layer, detection — reads this struct.
// A Packet lives in a worker's preallocated ring; nothing in it owns heap memory, so handling a
// packet allocates nothing.
//
// Tunnels (GRE, VXLAN) are decoded through: the L3/L4 fields describe the innermost packet, and
// tunnel_depth says how many encapsulations were peeled off.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>

#include "core/ip_address.h"
#include "core/time.h"
#include "sensor/decode/decode_event.h"

namespace vigil::sensor {

using IpAddr = vigil::IpAddress;

namespace tcp_flag {
inline constexpr uint8_t kFin = 0x01;
inline constexpr uint8_t kSyn = 0x02;
inline constexpr uint8_t kRst = 0x04;
inline constexpr uint8_t kPsh = 0x08;
inline constexpr uint8_t kAck = 0x10;
inline constexpr uint8_t kUrg = 0x20;
inline constexpr uint8_t kEce = 0x40;
inline constexpr uint8_t kCwr = 0x80;
}  // namespace tcp_flag

// IPv4 options (Packet::ipv4_opts): one bit per option type the decoder knows, by its type byte
// (copied flag, class and number: RFC 791 and IANA). -1 for any other type.
constexpr int Ipv4OptionBit(uint8_t type) {
  switch (type) {
    case 0: return 0;     // end of option list
    case 1: return 1;     // no operation
    case 7: return 2;     // record route
    case 25: return 3;    // quick-start (RFC 4782)
    case 68: return 4;    // timestamp
    case 130: return 5;   // security (RFC 1108)
    case 131: return 6;   // loose source route
    case 133: return 7;   // extended security (RFC 1108)
    case 134: return 8;   // commercial security (CIPSO)
    case 136: return 9;   // stream id
    case 137: return 10;  // strict source route
    case 148: return 11;  // router alert (RFC 2113)
    default: return -1;
  }
}
inline constexpr uint16_t kIpv4OptionUnknownBit = 1u << 15;  // an option of another type

struct TcpInfo {
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint16_t window = 0;
  uint8_t flags = 0;       // tcp_flag bits
  uint8_t header_len = 0;  // bytes, including options
  // Options (valid only when the matching has_ flag is set).
  bool has_mss = false;
  bool has_wscale = false;
  bool has_sack_permitted = false;
  bool has_timestamp = false;
  uint8_t wscale = 0;
  uint8_t sack_blocks = 0;  // number of SACK blocks in this segment
  uint16_t mss = 0;
  uint32_t ts_val = 0;
  uint32_t ts_ecr = 0;
};

struct IcmpInfo {
  uint8_t type = 0;
  uint8_t code = 0;
  uint16_t id = 0;   // echo request/reply only
  uint16_t seq = 0;  // echo request/reply only
};

// Set when the IP packet is a fragment; the defragmenter consumes these.
struct FragmentInfo {
  uint32_t id = 0;           // IPv4 identification (16 bits) or IPv6 fragment id
  uint32_t offset = 0;       // in bytes
  bool more_fragments = false;
  uint8_t next_proto = 0;    // protocol of the reassembled payload
  const uint8_t* ip_header = nullptr;  // start of this fragment's IP header
  uint16_t ip_header_len = 0;          // IPv4 header / IPv6 header incl. unfragmentable part
  const uint8_t* data = nullptr;       // fragment payload
  uint32_t data_len = 0;
};

// The innermost tunnel the decoder peeled off (GRE, VXLAN, IP-in-IP); kind kNone when none.
struct TunnelInfo {
  enum Kind : uint8_t { kNone = 0, kGre = 1, kVxlan = 2, kIpInIp = 3 };
  Kind kind = kNone;
  bool has_key = false;  // GRE key present (RFC 2890) / VXLAN VNI present
  uint32_t key = 0;      // GRE key or VXLAN VNI (24 bits)
};

// Decoder anomalies recorded on one packet. The first kMaxDecodeEvents are kept in order; later
// ones are only counted (decoder.event.* and decoder.events_overflow).
inline constexpr size_t kMaxDecodeEvents = 8;

struct Packet {
  // ---- Filled by capture ----
  const uint8_t* data = nullptr;  // frame bytes (owned by the capture ring)
  uint32_t caplen = 0;            // bytes captured
  uint32_t wirelen = 0;           // bytes on the wire
  int datalink = 0;               // pcap DLT_* value of the frame
  Timestamp ts;
  uint64_t pcap_cnt = 0;          // 1-based read order, as Suricata numbers packets

  // ---- Filled by the decoder ----
  uint8_t vlan_count = 0;
  std::array<uint16_t, 2> vlan{};  // outer first
  uint8_t vlan_extra = 0;          // tags beyond the two recorded (saturates at 255)
  uint8_t tunnel_depth = 0;        // GRE/VXLAN layers peeled off
  TunnelInfo tunnel;               // innermost tunnel, when tunnel_depth > 0

  uint8_t ip_version = 0;  // 4, 6, or 0 for non-IP
  IpAddr src;
  IpAddr dst;
  uint8_t ip_proto = 0;  // L4 protocol after IPv6 extension headers (6 TCP, 17 UDP, 1/58 ICMP)
  uint8_t ttl = 0;       // IPv4 TTL / IPv6 hop limit
  uint16_t ip_id = 0;    // IPv4 identification
  uint8_t ip_tos = 0;    // IPv4 TOS / IPv6 traffic class
  uint16_t ipv4_opts = 0;  // IPv4 options seen: 1 << Ipv4OptionBit(type), kIpv4OptionUnknownBit
  const uint8_t* l3 = nullptr;  // IP header of the innermost packet
  uint32_t l3_len = 0;          // from the IP header to the end of the IP packet (trimmed to IP length)
  const uint8_t* l4 = nullptr;  // TCP/UDP/ICMP header
  uint32_t l4_len = 0;
  bool is_fragment = false;
  FragmentInfo frag;

  uint16_t sport = 0;  // TCP/UDP ports; for ICMP 0
  uint16_t dport = 0;
  TcpInfo tcp;
  IcmpInfo icmp;

  const uint8_t* payload = nullptr;  // L4 payload (TCP/UDP data, ICMP body)
  uint32_t payload_len = 0;

  bool checksum_bad = false;  // an IPv4/TCP/UDP/ICMP checksum failed validation
  bool decoded = false;       // the decoder reached a usable L3 (IP) layer

  // Anomalies (named decoder events) found while decoding, in the order found.
  uint8_t event_count = 0;
  std::array<DecodeEvent, kMaxDecodeEvents> events{};

  bool has_event(DecodeEvent e) const {
    for (uint8_t i = 0; i < event_count; ++i) {
      if (events[i] == e) return true;
    }
    return false;
  }

  // Records an anomaly found after decoding (the defragmenter's overlap events) so rules see it
  // like a decoder event; false when the list is full. Counting is the caller's.
  bool add_event(DecodeEvent e) {
    if (has_event(e)) return true;
    if (event_count >= kMaxDecodeEvents) return false;
    events[event_count++] = e;
    return true;
  }

  // The innermost IPv4 header carries an option of this type (ipopts).
  bool has_ipv4_option(uint8_t type) const {
    const int bit = Ipv4OptionBit(type);
    return ip_version == 4 && bit >= 0 && (ipv4_opts & (1u << bit)) != 0;
  }

  bool is_tcp() const { return decoded && !is_fragment && ip_proto == 6 && l4 != nullptr; }
  bool is_udp() const { return decoded && !is_fragment && ip_proto == 17 && l4 != nullptr; }
  bool is_icmp() const {
    return decoded && !is_fragment && (ip_proto == 1 || ip_proto == 58) && l4 != nullptr;
  }
  std::span<const uint8_t> payload_span() const { return {payload, payload_len}; }
};

}  // namespace vigil::sensor
