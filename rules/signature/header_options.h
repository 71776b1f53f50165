// Header keywords: checks on IP, TCP and ICMP header fields.
//
//   itype:8; icode:>0; icmp_id:0; icmp_seq:0; ttl:<5; ip_proto:!tcp; id:31337; tos:8;
//   window:55808; seq:0; ack:0; flags:S,12; flags:!FSRPAU; sameip;
//   tcp.flags:S; tcp.seq:0; tcp.ack:1;      (Suricata 7/8 spellings of flags, seq, ack)
//   decode-event:ipv4.trunc_pkt; ipopts:rr;  (event_option.h)
//
// Numeric fields use IntegerMatch syntax (N, <N, >N, <=N, >=N, !N, A<>B, A-B). ip_proto also
// takes protocol names (tcp, udp, icmp, ipv6-icmp, gre, esp, ...). flags: [!|+|*]<FSRPAUCE0>
// with an optional mask after ',' (the old Snort digits 1 and 2 stand for C and E).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "rules/signature/event_option.h"
#include "rules/signature/integer_match.h"

namespace vigil::rules {

// TCP flag bits as they appear in the header byte (CWR=0x80 ... FIN=0x01).
enum TcpFlagBits : uint8_t {
  kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpPsh = 0x08,
  kTcpAck = 0x10, kTcpUrg = 0x20, kTcpEce = 0x40, kTcpCwr = 0x80,
};

enum class TcpFlagsMode : uint8_t {
  kExact,  // exactly these flags (after the mask)
  kAll,    // '+': these flags and possibly others
  kAny,    // '*': any of these flags
  kNot,    // '!': none of these flags
};

struct TcpFlagsOption {
  uint8_t flags = 0;         // 0 with kExact means "no flags set" (flags:0)
  uint8_t ignore_mask = 0;   // bits to ignore before comparing
  TcpFlagsMode mode = TcpFlagsMode::kExact;
  bool Matches(uint8_t header) const {
    uint8_t h = static_cast<uint8_t>(header & ~ignore_mask);
    switch (mode) {
      case TcpFlagsMode::kExact: return h == flags;
      case TcpFlagsMode::kAll: return (h & flags) == flags;
      case TcpFlagsMode::kAny: return (h & flags) != 0;
      case TcpFlagsMode::kNot: return (h & flags) == 0;
    }
    return false;
  }
};

struct HeaderOptions {
  std::optional<IntegerMatch> itype, icode, icmp_id, icmp_seq, ttl, ip_proto, ip_id, tos;
  std::optional<IntegerMatch> window, seq, ack;
  std::optional<TcpFlagsOption> flags;
  bool sameip = false;
  std::vector<DecodeEventOption> decode_events;  // all must be on the packet
  std::vector<IpOptsOption> ipopts;              // all must be in the IPv4 header
};

bool IsHeaderKeyword(std::string_view keyword);
Status ApplyHeaderOption(HeaderOptions* h, std::string_view keyword, std::string_view value,
                         bool has_value);
Result<TcpFlagsOption> ParseTcpFlags(std::string_view value);

}  // namespace vigil::rules
