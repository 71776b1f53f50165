// PacketBuilder: writes whole Ethernet frames (optional 802.1Q tag, IPv4 or IPv6, TCP with
// options or UDP) with correct IPv4 header, TCP and UDP checksums into a FlowPackets, optionally
// split into 2-3 IP fragments (IPv4 MF/offset, or the IPv6 Fragment extension header).
//
//   PacketBuilder pb({.vlan = 0, .pad_min_frame = true});
//   TcpSegment seg{.src_port = 40000, .dst_port = 80, .seq = isn, .flags = kTcpSyn, ...};
//   seg.options = TcpOptionList::Syn(TcpStack::kLinux, 1460, 7, true, tsval, 0);
//   FrameCount c = pb.Tcp(out, ts_ns, route, ip_fields, seg, payload, /*fragments=*/1);
//
// Checksums are computed over the complete L4 datagram before it is fragmented, as a sending
// host does. The returned FrameCount says how many frames and frame bytes were written.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/ip_address.h"
#include "tools/synth/flow_packets.h"

namespace vigil::synth {

inline constexpr uint8_t kTcpFin = 0x01;
inline constexpr uint8_t kTcpSyn = 0x02;
inline constexpr uint8_t kTcpRst = 0x04;
inline constexpr uint8_t kTcpPsh = 0x08;
inline constexpr uint8_t kTcpAck = 0x10;

inline constexpr size_t kMinEthernetFrame = 60;  // without the FCS, which captures omit

struct MacAddress {
  std::array<uint8_t, 6> b{};
};

// Addresses of one direction of a flow.
struct IpRoute {
  MacAddress src_mac;
  MacAddress dst_mac;
  IpAddress src;
  IpAddress dst;
  uint8_t ttl = 64;  // IPv6 hop limit too
};

// Per-packet IP header fields.
struct IpFields {
  uint32_t id = 0;               // IPv4 identification (low 16 bits) / IPv6 fragment id
  bool dont_fragment = false;    // IPv4 DF (cleared automatically when fragmenting)
  uint32_t ipv6_flow_label = 0;  // 20 bits
};

enum class TcpStack { kLinux, kWindows };

// Raw TCP option bytes, already padded to a multiple of 4.
struct TcpOptionList {
  std::array<uint8_t, 40> bytes{};
  uint8_t len = 0;

  // SYN / SYN-ACK options in the order the stack writes them. Linux: MSS, SACK_PERM, TS, NOP,
  // WS (20 bytes); Windows: MSS, NOP, WS, NOP, NOP, SACK_PERM (12 bytes, TS only if asked).
  static TcpOptionList Syn(TcpStack stack, uint16_t mss, uint8_t wscale, bool timestamps,
                           uint32_t tsval, uint32_t tsecr);
  // NOP, NOP, TS: what every segment carries once timestamps were negotiated (12 bytes).
  static TcpOptionList Timestamps(uint32_t tsval, uint32_t tsecr);
};

struct TcpSegment {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;
  TcpOptionList options;
};

struct FrameCount {
  uint32_t frames = 0;
  uint64_t bytes = 0;           // sum of frame lengths
  uint32_t last_frame_len = 0;  // the frame that completes the packet (last fragment)
};

struct PacketBuilderConfig {
  uint16_t vlan = 0;           // 0 = untagged
  bool pad_min_frame = true;   // pad frames shorter than 60 bytes with zeros
};

class PacketBuilder {
 public:
  explicit PacketBuilder(PacketBuilderConfig cfg) : cfg_(cfg) {}

  // fragments: 1 = whole packet; 2 or 3 = IP fragments (fewer if the datagram is too small).
  FrameCount Tcp(FlowPackets& out, int64_t ts_ns, const IpRoute& route, const IpFields& ip,
                 const TcpSegment& seg, std::span<const uint8_t> payload, int fragments = 1);
  FrameCount Udp(FlowPackets& out, int64_t ts_ns, const IpRoute& route, const IpFields& ip,
                 uint16_t src_port, uint16_t dst_port, std::span<const uint8_t> payload,
                 int fragments = 1);

  // Ethernet (+VLAN) + IP header length for a route's family, without fragment headers.
  size_t HeaderBytes(const IpAddress& addr) const {
    return (cfg_.vlan ? 18 : 14) + (addr.is_v6() ? 40 : 20);
  }

 private:
  // Frames the L4 datagram in l4_ (header + payload) as one packet or `fragments` fragments.
  FrameCount EmitDatagram(FlowPackets& out, int64_t ts_ns, const IpRoute& route,
                          const IpFields& ip, uint8_t protocol, int fragments);
  size_t WriteLink(uint8_t* p, const IpRoute& route, uint16_t ethertype) const;

  PacketBuilderConfig cfg_;
  std::vector<uint8_t> l4_;  // scratch for the L4 datagram being built
};

// RFC 1071 ones'-complement sum helpers (native byte order; store the result with memcpy).
uint64_t ChecksumAdd(const uint8_t* p, size_t n, uint64_t acc);
uint16_t ChecksumFinish(uint64_t acc);

}  // namespace vigil::synth
