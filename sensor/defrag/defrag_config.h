// DefragConfig: every limit of IP defragmentation, with Suricata's defaults, and the overlap
// policy that decides whose bytes win when fragments overlap.
//
// Built once at load, validated with Validate(), passed by const reference to each worker's
// Defragmenter. What happens at each limit: the fragment that would cross it is dropped and
// counted (and, where it is an anomaly of the traffic rather than of our resources, reported as
// an event); trackers already held are kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace vigil::sensor {

// How overlapping fragment data is resolved (Novak's target-based model, as in Suricata/Snort).
// Each policy is a pairwise rule applied to every overlapping pair of fragments:
//   kFirst: the fragment that arrived first wins (Windows-like, Solaris; Wireshark reassembles
//           this way too). The default, so that what we inspect matches what analysts see.
//   kLast:  the fragment that arrived last wins (Cisco IOS-like).
//   kBsd:   the fragment with the lower offset wins; at the same offset the first one wins.
//   kLinux: the fragment with the lower offset wins; at the same offset the last one wins.
// The IP header used for the reassembled packet comes from the offset-0 fragment that wins
// under the same rule. (Named apart from the stream reassembler's OverlapPolicy so both headers
// can be included together, as the sensor's config builder does.)
enum class DefragPolicy : uint8_t { kFirst, kLast, kBsd, kLinux };

std::string_view DefragPolicyName(DefragPolicy p);
[[nodiscard]] Result<DefragPolicy> ParseDefragPolicy(std::string_view name);

struct DefragConfig {
  // Bytes the defragmenter may hold for trackers, fragment records and fragment data together
  // (Suricata: defrag.memcap 32mb). A fragment that does not fit is dropped
  // (defrag.memcap_drops). Fixed overhead outside the cap: the hash bucket array (4 bytes per
  // bucket), one 64 KiB output buffer and a sort scratch of max_fragments entries.
  size_t memcap = size_t{32} << 20;
  // Datagrams reassembled at once (Suricata: defrag.trackers 65535). The first fragment of a
  // datagram beyond it is dropped (defrag.tracker_drops).
  uint32_t max_trackers = 65535;
  // Hash buckets for tracker lookup; a power of two (Suricata: defrag.hash-size 65536).
  uint32_t hash_buckets = 65536;
  // A datagram not completed this long after its latest fragment is dropped (defrag.timeouts).
  // Packet time, so an offline run behaves the same at any replay speed. Suricata: 60 s.
  int64_t timeout_ns = 60 * kNanosPerSecond;
  // Fragments held per datagram. A 65535-byte datagram in 1500-byte frames is 45 fragments; 8-byte
  // fragments would need 8192. Beyond it the fragment is dropped (defrag.max_fragments_drops and
  // the too_many_fragments event).
  uint32_t max_fragments = 1024;
  // Largest reassembled payload (the bytes after the IP header / unfragmentable part). IP cannot
  // carry more than 65535; a lower value drops the fragment that would reach past it
  // (reassembly_too_large event).
  uint32_t max_datagram_size = 65535;
  DefragPolicy policy = DefragPolicy::kFirst;
  // Seed of the tracker hash. Set it to a random value per process to resist hash flooding;
  // 0 keeps runs reproducible.
  uint64_t hash_seed = 0;

  [[nodiscard]] Status Validate() const;
};

}  // namespace vigil::sensor
