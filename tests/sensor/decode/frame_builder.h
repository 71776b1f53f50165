// Test helpers: hand-built frames for the decoder tests. Each function returns the bytes of one
// header (plus what it carries), inner layers first: Eth(0x0800, Ipv4(..., Tcp(...))).
// IP builders fill lengths and checksums, including the TCP/UDP/ICMP checksum of what they carry,
// so a test breaks exactly the field it is about.
#pragma once

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "sensor/decode/checksum.h"

namespace vigil::sensor::test {

using Bytes = std::vector<uint8_t>;

inline Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& b : parts) out.insert(out.end(), b.begin(), b.end());
  return out;
}

inline void Put16(Bytes& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}
inline void Put32(Bytes& b, size_t at, uint32_t v) {
  Put16(b, at, static_cast<uint16_t>(v >> 16));
  Put16(b, at + 2, static_cast<uint16_t>(v));
}
inline void Push16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void Push32(Bytes& b, uint32_t v) {
  Push16(b, static_cast<uint16_t>(v >> 16));
  Push16(b, static_cast<uint16_t>(v));
}

inline std::array<uint8_t, 4> V4(const char* s) {
  std::array<uint8_t, 4> a{};
  inet_pton(AF_INET, s, a.data());
  return a;
}
inline std::array<uint8_t, 16> V6(const char* s) {
  std::array<uint8_t, 16> a{};
  inet_pton(AF_INET6, s, a.data());
  return a;
}

inline void StoreChecksum(Bytes& b, size_t at, uint64_t sum) {
  uint16_t c = ChecksumFinish(sum);
  std::memcpy(&b[at], &c, 2);
}

// ---- Link layers ----
inline Bytes Eth(uint16_t type, const Bytes& payload) {
  Bytes b = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};
  Push16(b, type);
  return Cat({b, payload});
}
// A VLAN tag: TCI then the inner ethertype (the outer ethertype, 0x8100/0x88a8, is the caller's).
inline Bytes Vlan(uint16_t vid, uint16_t inner_type, const Bytes& payload) {
  Bytes b;
  Push16(b, static_cast<uint16_t>(0x2000 | vid));  // priority 1
  Push16(b, inner_type);
  return Cat({b, payload});
}
inline Bytes Sll(uint16_t proto, const Bytes& payload) {
  Bytes b = {0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 1, 2, 3, 4, 5, 6, 0, 0};
  Push16(b, proto);
  return Cat({b, payload});
}
inline Bytes Sll2(uint16_t proto, const Bytes& payload) {
  Bytes b;
  Push16(b, proto);
  Push16(b, 0);
  Push32(b, 2);  // ifindex
  Push16(b, 1);  // ARPHRD_ETHER
  b.push_back(0);
  b.push_back(6);
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<uint8_t>(i));
  return Cat({b, payload});
}
inline Bytes Null(uint32_t family, bool big_endian, const Bytes& payload) {
  Bytes b(4);
  if (big_endian) {
    Put32(b, 0, family);
  } else {
    b[0] = static_cast<uint8_t>(family);
    b[1] = static_cast<uint8_t>(family >> 8);
    b[2] = static_cast<uint8_t>(family >> 16);
    b[3] = static_cast<uint8_t>(family >> 24);
  }
  return Cat({b, payload});
}
inline Bytes Pppoe(uint16_t ppp_proto, const Bytes& payload, uint8_t code = 0) {
  Bytes b = {0x11, code};
  Push16(b, 0x1234);  // session id
  Push16(b, static_cast<uint16_t>(payload.size() + 2));
  Push16(b, ppp_proto);
  return Cat({b, payload});
}

// ---- Transport layers (checksum left zero: the IP builder fills it) ----
inline Bytes Tcp(uint16_t sport, uint16_t dport, uint8_t flags, const Bytes& options = {},
                 const Bytes& payload = {}, uint32_t seq = 1000, uint32_t ack = 2000) {
  Bytes b;
  Push16(b, sport);
  Push16(b, dport);
  Push32(b, seq);
  Push32(b, ack);
  const size_t hlen = 20 + options.size();  // caller pads options to a multiple of 4
  b.push_back(static_cast<uint8_t>((hlen / 4) << 4));
  b.push_back(flags);
  Push16(b, 65535);  // window
  Push16(b, 0);      // checksum
  Push16(b, 0);      // urgent
  return Cat({b, options, payload});
}
inline Bytes Udp(uint16_t sport, uint16_t dport, const Bytes& payload = {}) {
  Bytes b;
  Push16(b, sport);
  Push16(b, dport);
  Push16(b, static_cast<uint16_t>(8 + payload.size()));
  Push16(b, 0);
  return Cat({b, payload});
}
inline Bytes Icmp(uint8_t type, uint8_t code, uint16_t id = 0, uint16_t seq = 0,
                  const Bytes& payload = {}) {
  Bytes b = {type, code, 0, 0};
  Push16(b, id);
  Push16(b, seq);
  return Cat({b, payload});
}

inline size_t L4ChecksumOffset(uint8_t proto) {
  switch (proto) {
    case 6: return 16;
    case 17: return 6;
    case 1:
    case 58: return 2;
    default: return SIZE_MAX;
  }
}

// ---- IPv4 ----
struct Ip4Opt {
  uint8_t ttl = 64;
  uint16_t id = 0x1234;
  uint16_t frag = 0;      // flags + offset field as on the wire
  Bytes options;          // padded by the caller to a multiple of 4
  bool l4_checksum = true;
  uint8_t tos = 0;
};
inline Bytes Ipv4(const char* src, const char* dst, uint8_t proto, const Bytes& payload,
                  const Ip4Opt& o = {}) {
  const size_t hlen = 20 + o.options.size();
  Bytes b(hlen, 0);
  b[0] = static_cast<uint8_t>(0x40 | (hlen / 4));
  b[1] = o.tos;
  Put16(b, 2, static_cast<uint16_t>(hlen + payload.size()));
  Put16(b, 4, o.id);
  Put16(b, 6, o.frag);
  b[8] = o.ttl;
  b[9] = proto;
  auto s = V4(src), d = V4(dst);
  std::memcpy(&b[12], s.data(), 4);
  std::memcpy(&b[16], d.data(), 4);
  std::copy(o.options.begin(), o.options.end(), b.begin() + 20);
  StoreChecksum(b, 10, ChecksumAdd(b.data(), hlen));
  Bytes l4 = payload;
  const size_t at = L4ChecksumOffset(proto);
  if (o.l4_checksum && (o.frag & 0x3fff) == 0 && at != SIZE_MAX && l4.size() >= at + 2) {
    l4[at] = l4[at + 1] = 0;
    uint64_t sum = proto == 1 ? 0 : ChecksumPseudoV4(s.data(), d.data(), proto,
                                                     static_cast<uint32_t>(l4.size()));
    StoreChecksum(l4, at, ChecksumAdd(l4.data(), l4.size(), sum));
  }
  return Cat({b, l4});
}

// ---- IPv6 ----
// An extension header: next header, length byte, body (padded by the caller so that
// 2 + body is a multiple of 8; AH: of 4).
inline Bytes ExtHdr(uint8_t next, const Bytes& body, bool ah = false) {
  Bytes b = {next, 0};
  const size_t total = 2 + body.size();
  b[1] = static_cast<uint8_t>(ah ? total / 4 - 2 : total / 8 - 1);
  return Cat({b, body});
}
inline Bytes FragHdr(uint8_t next, uint16_t offset_bytes, bool more, uint32_t id) {
  Bytes b = {next, 0};
  Push16(b, static_cast<uint16_t>((offset_bytes & 0xfff8) | (more ? 1 : 0)));
  Push32(b, id);
  return b;
}
struct Ip6Opt {
  uint8_t hop_limit = 64;
  size_t upper_offset = 0;  // where the upper-layer header starts within `payload`
  uint8_t upper_proto = 0;  // 0: same as first next header
  bool l4_checksum = true;
};
inline Bytes Ipv6(const char* src, const char* dst, uint8_t next, const Bytes& payload,
                  const Ip6Opt& o = {}) {
  Bytes b(40, 0);
  b[0] = 0x60;
  Put16(b, 4, static_cast<uint16_t>(payload.size()));
  b[6] = next;
  b[7] = o.hop_limit;
  auto s = V6(src), d = V6(dst);
  std::memcpy(&b[8], s.data(), 16);
  std::memcpy(&b[24], d.data(), 16);
  Bytes pl = payload;
  const uint8_t proto = o.upper_proto ? o.upper_proto : next;
  const size_t at = L4ChecksumOffset(proto);
  if (o.l4_checksum && at != SIZE_MAX && pl.size() >= o.upper_offset + at + 2) {
    const size_t l4_len = pl.size() - o.upper_offset;
    uint8_t* l4 = pl.data() + o.upper_offset;
    l4[at] = l4[at + 1] = 0;
    uint64_t sum = ChecksumPseudoV6(s.data(), d.data(), proto, static_cast<uint32_t>(l4_len));
    uint16_t c = ChecksumFinish(ChecksumAdd(l4, l4_len, sum));
    std::memcpy(l4 + at, &c, 2);
  }
  return Cat({b, pl});
}

// ---- Tunnels ----
inline Bytes Gre(uint16_t flags_version, uint16_t proto, const Bytes& fields, const Bytes& payload) {
  Bytes b;
  Push16(b, flags_version);
  Push16(b, proto);
  return Cat({b, fields, payload});
}
inline Bytes Vxlan(uint32_t vni, const Bytes& inner_frame, uint8_t flags = 0x08) {
  Bytes b = {flags, 0, 0, 0};
  Push32(b, vni << 8);
  return Cat({b, inner_frame});
}

}  // namespace vigil::sensor::test
