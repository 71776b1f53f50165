// DnsEvent: named DNS anomalies, with Suricata's app-layer-event names ("dns.*").
//
// The table doubles as the counter definitions. A parsed DnsMessage keeps the set of events its
// parse raised (DnsMessage::events).
//
//   DnsEventName(DnsEvent::kInfiniteLoop) == "dns.infinite_loop"
#pragma once

#include <cstdint>
#include <iterator>
#include <string_view>

#include "core/counters.h"

namespace vigil::sensor {

// Index into kDnsEventDefs; keep the two in the same order.
enum class DnsEvent : uint8_t {
  kMalformedData,
  kNotARequest,
  kNotAResponse,
  kZFlagSet,
  kInvalidOpcode,
  kNameTooLong,
  kInfiniteLoop,
  kTooManyLabels,
  kCount,
};

inline constexpr CounterDef kDnsEventDefs[] = {
    {"dns.malformed_data", "DNS message whose lengths or counts run past its end (parse stopped)"},
    {"dns.not_a_request", "DNS message with QR=1 sent to the server"},
    {"dns.not_a_response", "DNS message with QR=0 sent to the client"},
    {"dns.z_flag_set", "DNS message with the reserved Z bit set"},
    {"dns.invalid_opcode", "DNS message with an unassigned opcode"},
    {"dns.name_too_long", "DNS name longer than max_name_length (truncated)"},
    {"dns.infinite_loop", "DNS name with more compression pointers than max_pointer_jumps (a loop)"},
    {"dns.too_many_labels", "DNS name with more than max_labels labels (truncated)"},
};
static_assert(std::size(kDnsEventDefs) == static_cast<size_t>(DnsEvent::kCount));

inline std::string_view DnsEventName(DnsEvent e) {
  auto i = static_cast<size_t>(e);
  return i < std::size(kDnsEventDefs) ? kDnsEventDefs[i].name : std::string_view("dns.unknown");
}

}  // namespace vigil::sensor
