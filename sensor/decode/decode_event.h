// DecodeEvent: one named anomaly the packet decoder can find (a "weird" in Zeek's words, a
// decoder event in Suricata's).
//
// Names follow Suricata's decoder events ("ipv4.trunc_pkt", "ipv6.exthdr_dupl_fh", ...) so that
// analysts' decode-event rules and dashboards carry over; a few Vigil-only events use the same
// "<layer>.<what>" form and are marked in sensor/decode/README.md. Each event has a counter
// "decoder.event.<name>" (see decoder_counters.h) and is recorded on the Packet (packet.h).
//
//   if (p.has_event(DecodeEvent::kIpv4TruncPkt)) ...
//   std::string_view n = DecodeEventName(DecodeEvent::kIpv4TruncPkt);   // "ipv4.trunc_pkt"
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::sensor {

enum class DecodeEvent : uint8_t {
  // Generic / link layer
  kUnsupportedDatalink,
  kTooManyLayers,
  kEthernetPktTooSmall,
  kVlanHeaderTooSmall,
  kVlanTooManyLayers,
  kSllPktTooSmall,
  kSll2PktTooSmall,
  kNullPktTooSmall,
  kNullUnsupportedType,
  kRawInvalidIpVersion,
  kPppoePktTooSmall,
  kPppoeWrongCode,
  kPppPktTooSmall,
  kPppUnsupProto,
  // IPv4
  kIpv4PktTooSmall,
  kIpv4HlenTooSmall,
  kIpv4IplenSmallerThanHlen,
  kIpv4TruncPkt,
  kIpv4OptInvalid,
  kIpv4OptInvalidLen,
  kIpv4OptMalformed,
  kIpv4OptPadRequired,
  kIpv4OptDuplicate,
  kIpv4OptUnknown,
  kIpv4WrongIpVersion,
  kIpv4Icmpv6,
  kIpv4FragPktTooLarge,
  kIpv4ChecksumBad,
  kIpv4FragOverlap,
  // IPv6
  kIpv6PktTooSmall,
  kIpv6TruncPkt,
  kIpv6TruncExthdr,
  kIpv6ExthdrDuplFh,
  kIpv6ExthdrDuplRh,
  kIpv6ExthdrDuplHh,
  kIpv6ExthdrDuplDh,
  kIpv6ExthdrDuplAh,
  kIpv6ExthdrInvalidOptlen,
  kIpv6WrongIpVersion,
  kIpv6ExthdrAhResNotNull,
  kIpv6HopoptsUnknownOpt,
  kIpv6HopoptsOnlyPadding,
  kIpv6DstoptsUnknownOpt,
  kIpv6DstoptsOnlyPadding,
  kIpv6RhType0,
  kIpv6ZeroLenPadn,
  kIpv6FhNonZeroReservedField,
  kIpv6DataAfterNoneHeader,
  kIpv6Icmpv4,
  kIpv6ExthdrUselessFh,
  kIpv6FragInvalidLength,
  kIpv6FragPktTooLarge,
  kIpv6Jumbogram,
  kIpv6ExthdrTooMany,
  kIpv6HopoptsNotFirst,
  kIpv6Ipv4InIpv6TooSmall,
  kIpv6Ipv4InIpv6WrongVersion,
  kIpv6Ipv6InIpv6TooSmall,
  kIpv6Ipv6InIpv6WrongVersion,
  kIpv6FragOverlap,
  // TCP
  kTcpPktTooSmall,
  kTcpHlenTooSmall,
  kTcpOptInvalidLen,
  kTcpOptDuplicate,
  kTcpChecksumBad,
  // UDP
  kUdpPktTooSmall,
  kUdpHlenTooSmall,
  kUdpHlenInvalid,
  kUdpLenInvalid,
  kUdpChecksumBad,
  kUdpIpv6ZeroChecksum,
  // SCTP
  kSctpPktTooSmall,
  // ICMPv4
  kIcmpv4PktTooSmall,
  kIcmpv4UnknownType,
  kIcmpv4UnknownCode,
  kIcmpv4Ipv4TruncPkt,
  kIcmpv4Ipv4UnknownVer,
  kIcmpv4ChecksumBad,
  // ICMPv6
  kIcmpv6PktTooSmall,
  kIcmpv6UnknownType,
  kIcmpv6UnknownCode,
  kIcmpv6Ipv6TruncPkt,
  kIcmpv6Ipv6UnknownVersion,
  kIcmpv6MldMessageWithInvalidHl,
  kIcmpv6ChecksumBad,
  // GRE
  kGrePktTooSmall,
  kGreWrongVersion,
  kGreVersion0Recur,
  kGreVersion0Flags,
  kGreVersion0HdrTooBig,
  kGreVersion0MalformedSreHdr,
  kGreVersion1Chksum,
  kGreVersion1Route,
  kGreVersion1Ssr,
  kGreVersion1Recur,
  kGreVersion1Flags,
  kGreVersion1NoKey,
  kGreVersion1WrongProtocol,
  kGreVersion1HdrTooBig,
  // VXLAN
  kVxlanPktTooSmall,

  kCount  // not an event: the number of events
};

inline constexpr size_t kDecodeEventCount = static_cast<size_t>(DecodeEvent::kCount);

// "ipv4.trunc_pkt"; "" for kCount or out-of-range values.
std::string_view DecodeEventName(DecodeEvent e);
// "decoder.event.ipv4.trunc_pkt"
std::string_view DecodeEventCounterName(DecodeEvent e);
// One line for operators: what the event means.
std::string_view DecodeEventHelp(DecodeEvent e);
// The event named `name` ("ipv4.trunc_pkt"), e.g. for a decode-event rule keyword.
std::optional<DecodeEvent> DecodeEventFromName(std::string_view name);

}  // namespace vigil::sensor
