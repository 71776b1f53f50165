// Defragmenter: reassembles IPv4 and IPv6 fragments into whole IP packets, one per worker thread.
//
// The worker hands every decoded Packet with is_fragment set to Process(). The fragment is copied
// into the tracker of its datagram, keyed by (src, dst, id, protocol, VLAN ids, IP version); when
// the datagram is complete, Process() returns a view of the reassembled IP packet in a buffer the
// Defragmenter owns (valid until the next call), which the worker decodes again as raw IP:
//
//   DefragResult r = defrag.Process(pkt);
//   if (r.action == DefragAction::kReassembled) DecodeRawIp(r.datagram, pkt.ts, &inner);
//   for (unsigned b = 0; b < kDefragEventCount; ++b)
//     if (r.events >> b & 1) RaiseAnomaly(DefragEventName(b));
//
// Output: IPv4 gets the offset-0 fragment's header with total length set, flags and offset
// cleared and the checksum recomputed. IPv6 gets the fixed header and unfragmentable extension
// headers of the offset-0 fragment, the Fragment header removed (the header before it now names
// the fragment's next header) and the payload length set.
//
// Memory: everything lives in a ChunkPool bounded by DefragConfig::memcap, plus fixed buffers
// allocated in the constructor; Process() never allocates. Time is packet time: each call first
// expires trackers idle for DefragConfig::timeout_ns (oldest first, O(1) per expired tracker).
//
// Input contract (FragmentInfo, filled by the decoder): ip_header/ip_header_len cover the IPv4
// header with options, or the IPv6 fixed header plus the unfragmentable extension headers (the
// Fragment header itself may be included or not: the chain is walked to find it); data/data_len
// are the fragment's payload; offset in bytes; next_proto the reassembled payload's protocol.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/counters.h"
#include "core/result.h"
#include "core/time.h"
#include "sensor/decode/packet.h"
#include "sensor/defrag/chunk_pool.h"
#include "sensor/defrag/defrag_config.h"
#include "sensor/defrag/defrag_events.h"

namespace vigil::sensor {

enum class DefragAction : uint8_t {
  kNotFragment,  // the packet was not a fragment; nothing done
  kHeld,         // stored; the datagram is not complete yet
  kReassembled,  // this fragment completed the datagram: see DefragResult::datagram
  kDropped,      // not stored: see DefragResult::drop
};

enum class DefragDrop : uint8_t {
  kNone,
  kInvalid,           // malformed fragment (an event says which way)
  kTooLarge,          // past 65535 or max_datagram_size
  kBeyondEnd,         // past the datagram's end as set by its last fragment
  kDuplicate,         // an exact copy of a fragment already held: nothing to add
  kTooManyFragments,  // max_fragments reached for this datagram
  kTrackerLimit,      // max_trackers reached: no tracker for a new datagram
  kMemcap,            // the memcap cannot hold it
};

struct DefragResult {
  DefragAction action = DefragAction::kNotFragment;
  DefragDrop drop = DefragDrop::kNone;
  uint32_t events = 0;                 // bit DefragEventBit(anomaly, ipv6) per event raised
  std::span<const uint8_t> datagram;  // the reassembled IP packet when kReassembled

  bool Has(DefragAnomaly a, bool ipv6) const { return (events >> DefragEventBit(a, ipv6)) & 1u; }
};

class Defragmenter {
 public:
  // Registers the defragmenter's counters (once per process, before any CounterBlock exists).
  [[nodiscard]] static Result<CounterGroup> RegisterCounters(CounterRegistry& registry);

  // `config` must have passed Validate(). `counters` comes from RegisterCounters; `block` is the
  // calling thread's and must outlive the Defragmenter.
  Defragmenter(const DefragConfig& config, CounterGroup counters, CounterBlock* block);
  Defragmenter(const Defragmenter&) = delete;
  Defragmenter& operator=(const Defragmenter&) = delete;

  DefragResult Process(const Packet& p);

  // Expires every tracker idle for the timeout at `now` (also done by Process with the packet's
  // time). Use when no packets arrive, e.g. on a live interface's idle tick.
  void Sweep(Timestamp now);
  // Drops every tracker (end of run); counted as neither timeout nor drop.
  void Clear();

  uint32_t active_trackers() const { return active_trackers_; }
  // Bytes held against the memcap.
  size_t memuse() const { return pool_.memuse(); }
  const DefragConfig& config() const { return config_; }

 private:
  struct Key {
    std::array<uint8_t, 16> src{};
    std::array<uint8_t, 16> dst{};
    uint32_t id = 0;
    std::array<uint16_t, 2> vlan{};
    uint8_t proto = 0;
    uint8_t version = 0;
    uint8_t pad[2] = {0, 0};  // explicit, so the key compares and hashes as bytes
  };
  struct Tracker;
  struct FragRecord;

  static Key MakeKey(const Packet& p);
  uint64_t HashKey(const Key& k) const;
  uint32_t Find(const Key& k, uint64_t hash) const;
  void Expire(Timestamp now);
  void FreeTracker(uint32_t t);
  void LruUnlink(uint32_t t);
  void LruPushBack(uint32_t t);
  bool Complete(const Tracker& t) const;
  bool BuildDatagram(uint32_t t, std::span<const uint8_t>* out);
  void Raise(DefragResult& r, DefragAnomaly a, bool ipv6);
  DefragResult Drop(DefragResult r, DefragDrop why);

  DefragConfig config_;
  CounterGroup counters_;
  CounterBlock* block_;
  ChunkPool pool_;
  std::vector<uint32_t> buckets_;     // tracker chunk index per bucket, chained via hash_next
  std::vector<uint32_t> scratch_;     // fragment order for painting, max_fragments entries
  std::vector<uint8_t> out_;          // the reassembled packet
  uint32_t lru_head_ = ChunkPool::kNone;  // least recently updated tracker
  uint32_t lru_tail_ = ChunkPool::kNone;
  uint32_t active_trackers_ = 0;
  Timestamp now_{};
};

}  // namespace vigil::sensor
