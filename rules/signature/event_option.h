// Packet-anomaly keywords: `decode-event` (Suricata's decoder events) and `ipopts` (IPv4
// options present in the header).
//
//   decode-event:ipv4.trunc_pkt;  decode-event:decoder.ipv6.exthdr_dupl_fh;
//   ipopts:rr;  ipopts:lsrr;  ipopts:any;
//
// The rule front end only checks the syntax of an event name ("<layer>.<event>", lower case,
// digits and '_'); the "decoder." prefix Suricata accepts is dropped. Which names exist is the
// sensor's business: its decoder owns the event table (sensor/decode/decode_event.h), and the
// detection engine skips a rule naming an event it does not know. Every decode-event of a rule
// must be present on the packet.
//
// ipopts names an IPv4 option by its Suricata name and stores the option's type byte (RFC 791
// and IANA numbers), so the match needs no shared bit layout: rr lsrr ssrr ts sec esec satid
// eol nop rtralt cipso qs, or `any` (the header carries at least one option byte).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::rules {

struct DecodeEventOption {
  std::string name;  // "ipv4.trunc_pkt" (no "decoder." prefix)
};

struct IpOptsOption {
  bool any = false;  // ipopts:any
  uint8_t type = 0;  // option type byte (copied flag, class and number), when !any
};

Result<DecodeEventOption> ParseDecodeEvent(std::string_view value);
Result<IpOptsOption> ParseIpOpts(std::string_view value);

}  // namespace vigil::rules
