// Decoder entry point: resets the packet, dispatches on the link type through a table, and after
// the walk bumps the per-packet counters. Also the IP protocol dispatch shared by IPv4 and IPv6.
#include "sensor/decode/decoder.h"

#include <cassert>

#include "sensor/decode/checksum.h"
#include "sensor/decode/decode_state.h"

namespace vigil::sensor {

using namespace decode_internal;  // NOLINT(google-build-using-namespace): this folder's internals

namespace {

using LinkFn = void (*)(DecodeState&, const uint8_t*, uint32_t);

struct LinkEntry {
  int datalink;
  LinkFn decode;
};

// Table-driven dispatch by link type (Zeek's packet analyzers, Suricata's DecodeLinkLayer).
// Ethernet first: it is by far the most common, and the scan stops at the first match.
constexpr LinkEntry kLinkTable[] = {
    {link_type::kEthernet, DecodeEthernet},   {link_type::kLinuxSll, DecodeSll},
    {link_type::kLinuxSll2, DecodeSll2},      {link_type::kRaw, DecodeRaw},
    {link_type::kRawLinktype, DecodeRaw},     {link_type::kIpv4, DecodeRawIpv4},
    {link_type::kIpv6, DecodeRawIpv6},        {link_type::kNull, DecodeNull},
    {link_type::kLoop, DecodeNull},
};

LinkFn FindLink(int datalink) {
  for (const LinkEntry& e : kLinkTable) {
    if (e.datalink == datalink) return e.decode;
  }
  return nullptr;
}

}  // namespace

namespace decode_internal {

void ResetL4(Packet& p) {
  p.ip_proto = 0;
  p.l4 = nullptr;
  p.l4_len = 0;
  p.is_fragment = false;
  p.frag = FragmentInfo{};
  p.sport = 0;
  p.dport = 0;
  p.tcp = TcpInfo{};
  p.icmp = IcmpInfo{};
  p.payload = nullptr;
  p.payload_len = 0;
}

void AcceptIpLayer(DecodeState& s) {
  if (s.tunnel_pending) {
    s.p.tunnel_depth++;
    s.p.tunnel = s.pending;
    s.tunnel_pending = false;
  }
  ResetL4(s.p);
  s.p.ipv4_opts = 0;  // an inner IP header has its own options
  s.p.decoded = true;
}

void DecodeIpPayload(DecodeState& s, uint8_t proto, const uint8_t* data, uint32_t len) {
  Packet& p = s.p;
  p.ip_proto = proto;
  switch (proto) {
    case 6:
      DecodeTcp(s, data, len);
      break;
    case 17:
      DecodeUdp(s, data, len);
      break;
    case 1:
      if (p.ip_version == 6) {
        s.Event(DecodeEvent::kIpv6Icmpv4);  // not decoded: ICMPv4 has no meaning over IPv6
      } else {
        DecodeIcmpv4(s, data, len);
      }
      break;
    case 58:
      if (p.ip_version == 4) {
        s.Event(DecodeEvent::kIpv4Icmpv6);
      } else {
        DecodeIcmpv6(s, data, len);
      }
      break;
    case 132:
      DecodeSctp(s, data, len);
      break;
    case 47:
      if (s.cfg.decode_gre) DecodeGre(s, data, len);
      break;
    case 4:
    case 41:
      if (s.cfg.decode_ipip) DecodeIpInIp(s, proto, data, len);
      break;
    default:
      break;  // other protocols (ESP, OSPF, ...) keep ip_proto and no L4
  }
}

uint64_t PseudoHeaderSum(const Packet& p, uint8_t proto, uint32_t len) {
  if (p.ip_version == 6) return ChecksumPseudoV6(p.src.data(), p.dst.data(), proto, len);
  return ChecksumPseudoV4(p.src.data(), p.dst.data(), proto, len);
}

}  // namespace decode_internal

bool DecoderSupportsLinkType(int datalink) { return FindLink(datalink) != nullptr; }

Decoder::Decoder(const DecoderConfig& config, const DecoderCounters& ids, CounterBlock* counters)
    : config_(&config), ids_(ids), counters_(counters) {
  assert(counters_ != nullptr);
}

bool Decoder::Decode(Packet& p) {
  // Reset everything the decoder owns, keep what capture filled in. Assigning a fresh Packet
  // (rather than copying from a temporary) lets the compiler clear it with plain stores.
  const uint8_t* data = p.data;
  const uint32_t caplen = p.caplen;
  const uint32_t wirelen = p.wirelen;
  const int datalink = p.datalink;
  const Timestamp ts = p.ts;
  const uint64_t pcap_cnt = p.pcap_cnt;
  p = Packet{};
  p.data = data;
  p.caplen = caplen;
  p.wirelen = wirelen;
  p.datalink = datalink;
  p.ts = ts;
  p.pcap_cnt = pcap_cnt;

  DecodeState s{*config_, ids_, *counters_, p};
  s.verify_checksums = config_->checksums == ChecksumMode::kAll;
  s.Count(DecoderCounter::kPkts);
  counters_->Add(ids_[DecoderCounter::kBytes], p.caplen);

  LinkFn decode = FindLink(p.datalink);
  if (decode == nullptr) {
    s.Fatal(DecodeEvent::kUnsupportedDatalink);
  } else {
    decode(s, p.data, p.data != nullptr ? p.caplen : 0);  // every layer checks len first
  }

  if (p.vlan_count > 0) {
    s.Count(DecoderCounter::kVlan);
    if (p.vlan_count > 1) s.Count(DecoderCounter::kVlanQinq);
    if (p.vlan_extra > 0) s.Count(DecoderCounter::kVlanQinqinq);
  }
  if (p.checksum_bad) s.Count(DecoderCounter::kChecksumBad);
  if (s.invalid) s.Count(DecoderCounter::kInvalid);
  return p.decoded;
}

}  // namespace vigil::sensor
