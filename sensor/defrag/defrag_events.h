// DefragEvent: the anomalies defragmentation detects in traffic, named after Suricata's defrag
// decoder events ("defrag.ipv4.fragment_overlap"), one name per anomaly and IP version.
//
// The Defragmenter reports the events a fragment raised as a bit set in DefragResult::events
// (so the pipeline can emit anomaly events and rules can match them) and bumps a counter of the
// same name for each.
//
//   for (unsigned b = 0; b < kDefragEventCount; ++b)
//     if (result.events & (1u << b)) EmitAnomaly(DefragEventName(b));
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::sensor {

enum class DefragAnomaly : uint8_t {
  kOverlap,               // a fragment overlaps data already held (any overlap, not duplicates)
  kOverlapDifferentData,  // ... and the overlapping bytes differ: an evasion attempt or corruption
  kFragmentTooLarge,      // the fragment reaches past what IP can carry (65535; ping of death)
  kReassemblyTooLarge,    // the datagram would exceed DefragConfig::max_datagram_size
  kInvalidLength,         // a non-last fragment whose length is not a multiple of 8, or empty
  kBeyondEnd,             // data past the end set by the last fragment, or a second differing end
  kTooManyFragments,      // more than DefragConfig::max_fragments fragments for one datagram
  kInvalidHeader,         // fragment metadata or IP header unusable (version, lengths, IPv6 chain)
  kCount,
};

inline constexpr unsigned kDefragEventCount = 2 * static_cast<unsigned>(DefragAnomaly::kCount);

// Bit index of an event in DefragResult::events: two per anomaly, IPv4 then IPv6.
constexpr unsigned DefragEventBit(DefragAnomaly a, bool ipv6) {
  return 2 * static_cast<unsigned>(a) + (ipv6 ? 1 : 0);
}

// "defrag.ipv4.fragment_overlap"; "" for a bit out of range.
std::string_view DefragEventName(unsigned bit);
inline std::string_view DefragEventName(DefragAnomaly a, bool ipv6) {
  return DefragEventName(DefragEventBit(a, ipv6));
}

}  // namespace vigil::sensor
