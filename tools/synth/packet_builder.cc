#include "tools/synth/packet_builder.h"

#include <algorithm>
#include <cstring>

namespace vigil::synth {
namespace {

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherIpv6 = 0x86DD;
constexpr uint16_t kEtherVlan = 0x8100;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kIpv6FragmentHeader = 44;

void Put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void Put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// Sum of the TCP/UDP pseudo-header (RFC 793 / RFC 8200 section 8.1).
uint64_t PseudoHeaderSum(const IpAddress& src, const IpAddress& dst, uint8_t proto, size_t l4_len) {
  uint8_t ph[40];
  uint64_t acc = 0;
  acc = ChecksumAdd(src.data(), src.size(), acc);
  acc = ChecksumAdd(dst.data(), dst.size(), acc);
  if (src.is_v6()) {
    Put32(ph, static_cast<uint32_t>(l4_len));
    ph[4] = ph[5] = ph[6] = 0;
    ph[7] = proto;
    return ChecksumAdd(ph, 8, acc);
  }
  ph[0] = 0;
  ph[1] = proto;
  Put16(ph + 2, static_cast<uint16_t>(l4_len));
  return ChecksumAdd(ph, 4, acc);
}

}  // namespace

uint64_t ChecksumAdd(const uint8_t* p, size_t n, uint64_t acc) {
  // Ones'-complement addition is independent of byte order and word width (RFC 1071 2.B/C), so
  // add native 64-bit words with end-around carry and fold at the end.
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    acc += v;
    acc += (acc < v);
    p += 8;
    n -= 8;
  }
  while (n >= 2) {
    uint16_t v;
    std::memcpy(&v, p, 2);
    acc += v;
    acc += (acc < v);
    p += 2;
    n -= 2;
  }
  if (n == 1) {
    const uint8_t last[2] = {p[0], 0};
    uint16_t v;
    std::memcpy(&v, last, 2);
    acc += v;
    acc += (acc < v);
  }
  return acc;
}

uint16_t ChecksumFinish(uint64_t acc) {
  acc = (acc & 0xFFFFFFFFu) + (acc >> 32);
  acc = (acc & 0xFFFFFFFFu) + (acc >> 32);
  acc = (acc & 0xFFFFu) + (acc >> 16);
  acc = (acc & 0xFFFFu) + (acc >> 16);
  return static_cast<uint16_t>(~acc);
}

TcpOptionList TcpOptionList::Syn(TcpStack stack, uint16_t mss, uint8_t wscale, bool timestamps,
                                 uint32_t tsval, uint32_t tsecr) {
  TcpOptionList o;
  uint8_t* p = o.bytes.data();
  size_t n = 0;
  auto mss_opt = [&] { p[n] = 2; p[n + 1] = 4; Put16(p + n + 2, mss); n += 4; };
  auto ts_opt = [&] { p[n] = 8; p[n + 1] = 10; Put32(p + n + 2, tsval); Put32(p + n + 6, tsecr); n += 10; };
  auto ws_opt = [&] { p[n] = 3; p[n + 1] = 3; p[n + 2] = wscale; n += 3; };
  auto sack_opt = [&] { p[n] = 4; p[n + 1] = 2; n += 2; };
  auto nop = [&] { p[n++] = 1; };
  if (stack == TcpStack::kLinux) {
    mss_opt();
    sack_opt();
    if (timestamps) {
      ts_opt();
    } else {
      nop();
      nop();
    }
    nop();
    ws_opt();
  } else {
    mss_opt();
    nop();
    ws_opt();
    if (timestamps) {
      nop();
      nop();
      ts_opt();
    }
    nop();
    nop();
    sack_opt();
  }
  while (n % 4 != 0) nop();
  o.len = static_cast<uint8_t>(n);
  return o;
}

TcpOptionList TcpOptionList::Timestamps(uint32_t tsval, uint32_t tsecr) {
  TcpOptionList o;
  o.bytes[0] = 1;
  o.bytes[1] = 1;
  o.bytes[2] = 8;
  o.bytes[3] = 10;
  Put32(o.bytes.data() + 4, tsval);
  Put32(o.bytes.data() + 8, tsecr);
  o.len = 12;
  return o;
}

FrameCount PacketBuilder::Tcp(FlowPackets& out, int64_t ts_ns, const IpRoute& route,
                              const IpFields& ip, const TcpSegment& seg,
                              std::span<const uint8_t> payload, int fragments) {
  const size_t hlen = 20 + seg.options.len;
  l4_.resize(hlen + payload.size());
  uint8_t* t = l4_.data();
  Put16(t, seg.src_port);
  Put16(t + 2, seg.dst_port);
  Put32(t + 4, seg.seq);
  Put32(t + 8, seg.ack);
  t[12] = static_cast<uint8_t>((hlen / 4) << 4);
  t[13] = seg.flags;
  Put16(t + 14, seg.window);
  t[16] = t[17] = 0;  // checksum
  t[18] = t[19] = 0;  // urgent pointer
  if (seg.options.len) std::memcpy(t + 20, seg.options.bytes.data(), seg.options.len);
  if (!payload.empty()) std::memcpy(t + hlen, payload.data(), payload.size());
  uint64_t acc = PseudoHeaderSum(route.src, route.dst, kProtoTcp, l4_.size());
  const uint16_t ck = ChecksumFinish(ChecksumAdd(l4_.data(), l4_.size(), acc));
  std::memcpy(t + 16, &ck, 2);
  return EmitDatagram(out, ts_ns, route, ip, kProtoTcp, fragments);
}

FrameCount PacketBuilder::Udp(FlowPackets& out, int64_t ts_ns, const IpRoute& route,
                              const IpFields& ip, uint16_t src_port, uint16_t dst_port,
                              std::span<const uint8_t> payload, int fragments) {
  l4_.resize(8 + payload.size());
  uint8_t* u = l4_.data();
  Put16(u, src_port);
  Put16(u + 2, dst_port);
  Put16(u + 4, static_cast<uint16_t>(l4_.size()));
  u[6] = u[7] = 0;
  if (!payload.empty()) std::memcpy(u + 8, payload.data(), payload.size());
  uint64_t acc = PseudoHeaderSum(route.src, route.dst, kProtoUdp, l4_.size());
  uint16_t ck = ChecksumFinish(ChecksumAdd(l4_.data(), l4_.size(), acc));
  if (ck == 0) ck = 0xFFFF;  // 0 means "no checksum" in UDP; all-ones is the same sum
  std::memcpy(u + 6, &ck, 2);
  return EmitDatagram(out, ts_ns, route, ip, kProtoUdp, fragments);
}

size_t PacketBuilder::WriteLink(uint8_t* p, const IpRoute& route, uint16_t ethertype) const {
  std::memcpy(p, route.dst_mac.b.data(), 6);
  std::memcpy(p + 6, route.src_mac.b.data(), 6);
  if (cfg_.vlan != 0) {
    Put16(p + 12, kEtherVlan);
    Put16(p + 14, cfg_.vlan & 0x0FFF);  // PCP 0, DEI 0
    Put16(p + 16, ethertype);
    return 18;
  }
  Put16(p + 12, ethertype);
  return 14;
}

FrameCount PacketBuilder::EmitDatagram(FlowPackets& out, int64_t ts_ns, const IpRoute& route,
                                       const IpFields& ip, uint8_t protocol, int fragments) {
  const size_t total = l4_.size();
  // Fragment payloads are multiples of 8 bytes except the last; need at least 8 bytes each.
  size_t pieces = static_cast<size_t>(std::clamp(fragments, 1, 3));
  while (pieces > 1 && total < pieces * 8 + 1) --pieces;
  const bool v6 = route.src.is_v6();
  const size_t link_len = cfg_.vlan ? 18 : 14;
  FrameCount count;
  size_t offset = 0;
  for (size_t i = 0; i < pieces; ++i) {
    size_t len = total - offset;
    if (i + 1 < pieces) len = std::max<size_t>(8, (total / pieces) & ~size_t{7});
    const bool fragmented = pieces > 1;
    const bool more = i + 1 < pieces;
    const size_t ip_len = v6 ? 40 + (fragmented ? 8 : 0) : 20;
    const size_t frame_len = link_len + ip_len + len;
    const size_t stored = cfg_.pad_min_frame ? std::max(frame_len, kMinEthernetFrame) : frame_len;
    uint8_t* f = out.Append(ts_ns, stored);
    size_t n = WriteLink(f, route, v6 ? kEtherIpv6 : kEtherIpv4);
    uint8_t* h = f + n;
    if (v6) {
      Put32(h, (6u << 28) | (ip.ipv6_flow_label & 0xFFFFF));
      Put16(h + 4, static_cast<uint16_t>(ip_len - 40 + len));
      h[6] = fragmented ? kIpv6FragmentHeader : protocol;
      h[7] = route.ttl;
      std::memcpy(h + 8, route.src.data(), 16);
      std::memcpy(h + 24, route.dst.data(), 16);
      if (fragmented) {
        uint8_t* fh = h + 40;
        fh[0] = protocol;
        fh[1] = 0;
        Put16(fh + 2, static_cast<uint16_t>(offset | (more ? 1 : 0)));  // offset is a multiple of 8
        Put32(fh + 4, ip.id);
      }
    } else {
      h[0] = 0x45;
      h[1] = 0;
      Put16(h + 2, static_cast<uint16_t>(20 + len));
      Put16(h + 4, static_cast<uint16_t>(ip.id));
      uint16_t frag = static_cast<uint16_t>(offset / 8);
      if (more) frag |= 0x2000;
      if (!fragmented && ip.dont_fragment) frag |= 0x4000;
      Put16(h + 6, frag);
      h[8] = route.ttl;
      h[9] = protocol;
      h[10] = h[11] = 0;
      std::memcpy(h + 12, route.src.data(), 4);
      std::memcpy(h + 16, route.dst.data(), 4);
      const uint16_t ck = ChecksumFinish(ChecksumAdd(h, 20, 0));
      std::memcpy(h + 10, &ck, 2);
    }
    std::memcpy(h + ip_len, l4_.data() + offset, len);
    if (stored > frame_len) std::memset(f + frame_len, 0, stored - frame_len);
    offset += len;
    count.frames++;
    count.bytes += stored;
    count.last_frame_len = static_cast<uint32_t>(stored);
  }
  return count;
}

}  // namespace vigil::synth
