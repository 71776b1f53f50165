// The decoder event table: counter name (which holds the event name after its prefix) and help.
#include "sensor/decode/decode_event.h"

#include <array>

namespace vigil::sensor {
namespace {

constexpr std::string_view kPrefix = "decoder.event.";

struct EventInfo {
  DecodeEvent id;
  std::string_view counter_name;  // kPrefix + event name
  std::string_view help;
};

using E = DecodeEvent;
constexpr EventInfo kEvents[] = {
    {E::kUnsupportedDatalink, "decoder.event.decoder.unsupported_datalink", "frame of a link type the decoder does not handle"},
    {E::kTooManyLayers, "decoder.event.decoder.too_many_layers", "more headers or tunnels than max_layers / max_tunnel_depth allow"},
    {E::kEthernetPktTooSmall, "decoder.event.ethernet.pkt_too_small", "frame shorter than an Ethernet header"},
    {E::kVlanHeaderTooSmall, "decoder.event.vlan.header_too_small", "frame ends inside an 802.1Q/802.1ad tag"},
    {E::kVlanTooManyLayers, "decoder.event.vlan.too_many_layers", "more VLAN tags than max_vlan_tags"},
    {E::kSllPktTooSmall, "decoder.event.sll.pkt_too_small", "frame shorter than a Linux cooked (SLL) header"},
    {E::kSll2PktTooSmall, "decoder.event.sll2.pkt_too_small", "frame shorter than a Linux cooked v2 (SLL2) header"},
    {E::kNullPktTooSmall, "decoder.event.ltnull.pkt_too_small", "frame shorter than the 4-byte BSD loopback header"},
    {E::kNullUnsupportedType, "decoder.event.ltnull.unsupported_type", "BSD loopback family is neither IPv4 nor IPv6"},
    {E::kRawInvalidIpVersion, "decoder.event.ipraw.invalid_ip_version", "raw IP frame whose version nibble is not 4 or 6"},
    {E::kPppoePktTooSmall, "decoder.event.pppoe.pkt_too_small", "frame ends inside a PPPoE header or its length overruns it"},
    {E::kPppoeWrongCode, "decoder.event.pppoe.wrong_code", "PPPoE session frame with a non-zero code or wrong version/type"},
    {E::kPppPktTooSmall, "decoder.event.ppp.pkt_too_small", "frame ends inside a PPP header"},
    {E::kPppUnsupProto, "decoder.event.ppp.unsup_proto", "PPP protocol other than IPv4/IPv6 data"},
    {E::kIpv4PktTooSmall, "decoder.event.ipv4.pkt_too_small", "fewer than 20 bytes for an IPv4 header"},
    {E::kIpv4HlenTooSmall, "decoder.event.ipv4.hlen_too_small", "IPv4 IHL below 5 or beyond the captured bytes"},
    {E::kIpv4IplenSmallerThanHlen, "decoder.event.ipv4.iplen_smaller_than_hlen", "IPv4 total length smaller than its header"},
    {E::kIpv4TruncPkt, "decoder.event.ipv4.trunc_pkt", "IPv4 total length larger than the captured bytes"},
    {E::kIpv4OptInvalid, "decoder.event.ipv4.opt_invalid", "IPv4 option with invalid contents (pointer, length rule)"},
    {E::kIpv4OptInvalidLen, "decoder.event.ipv4.opt_invalid_len", "IPv4 option length below 2 or wrong for its type"},
    {E::kIpv4OptMalformed, "decoder.event.ipv4.opt_malformed", "IPv4 option runs past the end of the header"},
    {E::kIpv4OptPadRequired, "decoder.event.ipv4.opt_pad_required", "non-zero bytes after the IPv4 end-of-options marker"},
    {E::kIpv4OptDuplicate, "decoder.event.ipv4.opt_duplicate", "IPv4 option present twice"},
    {E::kIpv4OptUnknown, "decoder.event.ipv4.opt_unknown", "IPv4 option of an unknown type"},
    {E::kIpv4WrongIpVersion, "decoder.event.ipv4.wrong_ip_version", "IPv4 ethertype/protocol but version is not 4"},
    {E::kIpv4Icmpv6, "decoder.event.ipv4.icmpv6", "IPv4 packet carrying ICMPv6"},
    {E::kIpv4FragPktTooLarge, "decoder.event.ipv4.frag_pkt_too_large", "IPv4 fragment ends beyond 65535 bytes"},
    {E::kIpv4ChecksumBad, "decoder.event.ipv4.checksum_bad", "IPv4 header checksum mismatch"},
    {E::kIpv4FragOverlap, "decoder.event.ipv4.frag_overlap", "IPv4 fragment overlapping data already held (raised by the defragmenter, counted by the pipeline)"},
    {E::kIpv6PktTooSmall, "decoder.event.ipv6.pkt_too_small", "fewer than 40 bytes for an IPv6 header"},
    {E::kIpv6TruncPkt, "decoder.event.ipv6.trunc_pkt", "IPv6 payload length larger than the captured bytes"},
    {E::kIpv6TruncExthdr, "decoder.event.ipv6.trunc_exthdr", "IPv6 extension header runs past the packet"},
    {E::kIpv6ExthdrDuplFh, "decoder.event.ipv6.exthdr_dupl_fh", "two IPv6 fragment headers"},
    {E::kIpv6ExthdrDuplRh, "decoder.event.ipv6.exthdr_dupl_rh", "two IPv6 routing headers"},
    {E::kIpv6ExthdrDuplHh, "decoder.event.ipv6.exthdr_dupl_hh", "two IPv6 hop-by-hop headers"},
    {E::kIpv6ExthdrDuplDh, "decoder.event.ipv6.exthdr_dupl_dh", "IPv6 destination options header repeated in one position"},
    {E::kIpv6ExthdrDuplAh, "decoder.event.ipv6.exthdr_dupl_ah", "two IPv6 authentication headers"},
    {E::kIpv6ExthdrInvalidOptlen, "decoder.event.ipv6.exthdr_invalid_optlen", "IPv6 option length overruns its header or is wrong for its type"},
    {E::kIpv6WrongIpVersion, "decoder.event.ipv6.wrong_ip_version", "IPv6 ethertype/protocol but version is not 6"},
    {E::kIpv6ExthdrAhResNotNull, "decoder.event.ipv6.exthdr_ah_res_not_null", "IPv6 AH reserved field not zero"},
    {E::kIpv6HopoptsUnknownOpt, "decoder.event.ipv6.hopopts_unknown_opt", "unknown option in an IPv6 hop-by-hop header"},
    {E::kIpv6HopoptsOnlyPadding, "decoder.event.ipv6.hopopts_only_padding", "IPv6 hop-by-hop header holding only padding"},
    {E::kIpv6DstoptsUnknownOpt, "decoder.event.ipv6.dstopts_unknown_opt", "unknown option in an IPv6 destination options header"},
    {E::kIpv6DstoptsOnlyPadding, "decoder.event.ipv6.dstopts_only_padding", "IPv6 destination options header holding only padding"},
    {E::kIpv6RhType0, "decoder.event.ipv6.rh_type_0", "deprecated IPv6 type 0 routing header (RFC 5095)"},
    {E::kIpv6ZeroLenPadn, "decoder.event.ipv6.zero_len_padn", "IPv6 PadN option of length 0 (use Pad1)"},
    {E::kIpv6FhNonZeroReservedField, "decoder.event.ipv6.fh_non_zero_reserved_field", "IPv6 fragment header reserved bits set"},
    {E::kIpv6DataAfterNoneHeader, "decoder.event.ipv6.data_after_none_header", "bytes after an IPv6 No Next Header"},
    {E::kIpv6Icmpv4, "decoder.event.ipv6.icmpv4", "IPv6 packet carrying ICMPv4"},
    {E::kIpv6ExthdrUselessFh, "decoder.event.ipv6.exthdr_useless_fh", "IPv6 atomic fragment (offset 0, no more fragments)"},
    {E::kIpv6FragInvalidLength, "decoder.event.ipv6.frag_invalid_length", "IPv6 non-final fragment length not a multiple of 8"},
    {E::kIpv6FragPktTooLarge, "decoder.event.ipv6.frag_pkt_too_large", "IPv6 fragment ends beyond 65535 bytes"},
    {E::kIpv6Jumbogram, "decoder.event.ipv6.jumbogram", "IPv6 jumbogram (RFC 2675): not supported, packet rejected"},
    {E::kIpv6ExthdrTooMany, "decoder.event.ipv6.exthdr_too_many", "more IPv6 extension headers than max_ipv6_ext_headers"},
    {E::kIpv6HopoptsNotFirst, "decoder.event.ipv6.hopopts_not_first", "IPv6 hop-by-hop header not directly after the IPv6 header"},
    {E::kIpv6Ipv4InIpv6TooSmall, "decoder.event.ipv6.ipv4_in_ipv6_too_small", "IPv4-in-IPv6 tunnel with too few bytes for the inner IPv4 header"},
    {E::kIpv6Ipv4InIpv6WrongVersion, "decoder.event.ipv6.ipv4_in_ipv6_wrong_version", "IPv4-in-IPv6 tunnel whose inner header is not version 4"},
    {E::kIpv6Ipv6InIpv6TooSmall, "decoder.event.ipv6.ipv6_in_ipv6_too_small", "IPv6-in-IPv6 tunnel with too few bytes for the inner IPv6 header"},
    {E::kIpv6Ipv6InIpv6WrongVersion, "decoder.event.ipv6.ipv6_in_ipv6_wrong_version", "IPv6-in-IPv6 tunnel whose inner header is not version 6"},
    {E::kIpv6FragOverlap, "decoder.event.ipv6.frag_overlap", "IPv6 fragment overlapping data already held (raised by the defragmenter, counted by the pipeline)"},
    {E::kTcpPktTooSmall, "decoder.event.tcp.pkt_too_small", "fewer bytes than the TCP header (or its data offset) needs"},
    {E::kTcpHlenTooSmall, "decoder.event.tcp.hlen_too_small", "TCP data offset below 5"},
    {E::kTcpOptInvalidLen, "decoder.event.tcp.opt_invalid_len", "TCP option length wrong for its kind or past the header"},
    {E::kTcpOptDuplicate, "decoder.event.tcp.opt_duplicate", "TCP option present twice"},
    {E::kTcpChecksumBad, "decoder.event.tcp.checksum_bad", "TCP checksum mismatch"},
    {E::kUdpPktTooSmall, "decoder.event.udp.pkt_too_small", "UDP length larger than the IP payload"},
    {E::kUdpHlenTooSmall, "decoder.event.udp.hlen_too_small", "fewer than 8 bytes for a UDP header"},
    {E::kUdpHlenInvalid, "decoder.event.udp.hlen_invalid", "UDP length smaller than the IP payload (trailing bytes)"},
    {E::kUdpLenInvalid, "decoder.event.udp.len_invalid", "UDP length field below 8"},
    {E::kUdpChecksumBad, "decoder.event.udp.checksum_bad", "UDP checksum mismatch"},
    {E::kUdpIpv6ZeroChecksum, "decoder.event.udp.ipv6_zero_checksum", "UDP over IPv6 with a zero checksum (RFC 8200 forbids, RFC 6935 allows for tunnels)"},
    {E::kSctpPktTooSmall, "decoder.event.sctp.pkt_too_small", "fewer than 12 bytes for an SCTP common header"},
    {E::kIcmpv4PktTooSmall, "decoder.event.icmpv4.pkt_too_small", "fewer than 8 bytes for an ICMPv4 header"},
    {E::kIcmpv4UnknownType, "decoder.event.icmpv4.unknown_type", "ICMPv4 type not assigned"},
    {E::kIcmpv4UnknownCode, "decoder.event.icmpv4.unknown_code", "ICMPv4 code not defined for its type"},
    {E::kIcmpv4Ipv4TruncPkt, "decoder.event.icmpv4.ipv4_trunc_pkt", "ICMPv4 error quoting fewer than 20 bytes of IPv4 header"},
    {E::kIcmpv4Ipv4UnknownVer, "decoder.event.icmpv4.ipv4_unknown_ver", "ICMPv4 error quoting a non-IPv4 header"},
    {E::kIcmpv4ChecksumBad, "decoder.event.icmpv4.checksum_bad", "ICMPv4 checksum mismatch"},
    {E::kIcmpv6PktTooSmall, "decoder.event.icmpv6.pkt_too_small", "fewer than 8 bytes for an ICMPv6 header"},
    {E::kIcmpv6UnknownType, "decoder.event.icmpv6.unknown_type", "ICMPv6 type not assigned"},
    {E::kIcmpv6UnknownCode, "decoder.event.icmpv6.unknown_code", "ICMPv6 code not defined for its type"},
    {E::kIcmpv6Ipv6TruncPkt, "decoder.event.icmpv6.ipv6_trunc_pkt", "ICMPv6 error quoting fewer than 40 bytes of IPv6 header"},
    {E::kIcmpv6Ipv6UnknownVersion, "decoder.event.icmpv6.ipv6_unknown_version", "ICMPv6 error quoting a non-IPv6 header"},
    {E::kIcmpv6MldMessageWithInvalidHl, "decoder.event.icmpv6.mld_message_with_invalid_hl", "MLD message with hop limit other than 1"},
    {E::kIcmpv6ChecksumBad, "decoder.event.icmpv6.checksum_bad", "ICMPv6 checksum mismatch"},
    {E::kGrePktTooSmall, "decoder.event.gre.pkt_too_small", "fewer than 4 bytes for a GRE header"},
    {E::kGreWrongVersion, "decoder.event.gre.wrong_version", "GRE version other than 0 or 1"},
    {E::kGreVersion0Recur, "decoder.event.gre.version0_recur", "GRE v0 recursion control not zero"},
    {E::kGreVersion0Flags, "decoder.event.gre.version0_flags", "GRE v0 reserved flag bits set"},
    {E::kGreVersion0HdrTooBig, "decoder.event.gre.version0_hdr_too_big", "GRE v0 optional fields run past the packet"},
    {E::kGreVersion0MalformedSreHdr, "decoder.event.gre.version0_malformed_sre_hdr", "GRE v0 source route entries malformed"},
    {E::kGreVersion1Chksum, "decoder.event.gre.version1_chksum", "GRE v1 (PPTP) with the checksum bit set"},
    {E::kGreVersion1Route, "decoder.event.gre.version1_route", "GRE v1 (PPTP) with the routing bit set"},
    {E::kGreVersion1Ssr, "decoder.event.gre.version1_ssr", "GRE v1 (PPTP) with the strict source route bit set"},
    {E::kGreVersion1Recur, "decoder.event.gre.version1_recur", "GRE v1 (PPTP) recursion control not zero"},
    {E::kGreVersion1Flags, "decoder.event.gre.version1_flags", "GRE v1 (PPTP) reserved flag bits set"},
    {E::kGreVersion1NoKey, "decoder.event.gre.version1_no_key", "GRE v1 (PPTP) without the key (call id) field"},
    {E::kGreVersion1WrongProtocol, "decoder.event.gre.version1_wrong_protocol", "GRE v1 protocol other than PPP (0x880b)"},
    {E::kGreVersion1HdrTooBig, "decoder.event.gre.version1_hdr_too_big", "GRE v1 optional fields run past the packet"},
    {E::kVxlanPktTooSmall, "decoder.event.vxlan.pkt_too_small", "VXLAN port but too few bytes for VXLAN + Ethernet"},
};

static_assert(std::size(kEvents) == kDecodeEventCount, "one table row per DecodeEvent");
constexpr bool TableInEnumOrder() {
  for (size_t i = 0; i < std::size(kEvents); ++i) {
    if (static_cast<size_t>(kEvents[i].id) != i) return false;
    if (!kEvents[i].counter_name.starts_with(kPrefix)) return false;
  }
  return true;
}
static_assert(TableInEnumOrder(), "kEvents rows must follow the DecodeEvent enum order");

const EventInfo* Find(DecodeEvent e) {
  auto i = static_cast<size_t>(e);
  return i < std::size(kEvents) ? &kEvents[i] : nullptr;
}

}  // namespace

std::string_view DecodeEventName(DecodeEvent e) {
  const EventInfo* info = Find(e);
  return info ? info->counter_name.substr(kPrefix.size()) : std::string_view();
}

std::string_view DecodeEventCounterName(DecodeEvent e) {
  const EventInfo* info = Find(e);
  return info ? info->counter_name : std::string_view();
}

std::string_view DecodeEventHelp(DecodeEvent e) {
  const EventInfo* info = Find(e);
  return info ? info->help : std::string_view();
}

std::optional<DecodeEvent> DecodeEventFromName(std::string_view name) {
  for (const EventInfo& info : kEvents) {
    if (info.counter_name.substr(kPrefix.size()) == name) return info.id;
  }
  return std::nullopt;
}

}  // namespace vigil::sensor
