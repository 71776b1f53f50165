// XbitsTable: the state behind `xbits` — named bits kept per host (track ip_src / ip_dst) or per
// host pair (track ip_pair, symmetric: A→B and B→A share the bit), each with an expiry in
// (ip_src and ip_dst only say which address of the packet is the host: a bit set with
// track ip_dst on host H is seen by isset with track ip_src on a packet from H)
// packet time (`expire N`, default 30 s as in Suricata).
//
// State is per worker thread: flows are pinned to workers, so a bit set by one worker is not
// seen by another (Suricata keeps one global host table). With one worker, or with traffic of
// one host staying on one worker, the results agree. The table is bounded: when full, expired
// bits are swept; if none has expired the set is dropped and counted (`full()`).
//
//   XbitsTable x(65536);
//   x.Apply(kSet, id, kIpSrc, 30, pkt.src, pkt.dst, pkt.ts);
//   x.IsSet(id, kIpSrc, pkt.src, pkt.dst, pkt.ts);
#pragma once

#include <cstdint>
#include <unordered_map>

#include "core/ip_address.h"
#include "core/time.h"
#include "rules/signature/flowbits_option.h"

namespace vigil::sensor {

class XbitsTable {
 public:
  static constexpr uint32_t kDefaultExpireSeconds = 30;
  explicit XbitsTable(size_t capacity) : capacity_(capacity) {}

  bool IsSet(uint32_t id, rules::XbitsTrack track, const IpAddress& src, const IpAddress& dst,
             Timestamp now) const;
  // set / unset / toggle; other commands are ignored.
  void Apply(rules::FlowbitsCommand cmd, uint32_t id, rules::XbitsTrack track,
             uint32_t expire_seconds, const IpAddress& src, const IpAddress& dst, Timestamp now);
  uint64_t full() const { return full_; }
  size_t size() const { return table_.size(); }

 private:
  struct Key {
    uint32_t id = 0;
    uint8_t track = 0;
    IpAddress a, b;
    bool operator==(const Key& o) const {
      return id == o.id && track == o.track && a.family == o.a.family && a.bytes == o.a.bytes &&
             b.family == o.b.family && b.bytes == o.b.bytes;
    }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  static Key MakeKey(uint32_t id, rules::XbitsTrack track, const IpAddress& src, const IpAddress& dst);

  size_t capacity_;
  uint64_t full_ = 0;
  std::unordered_map<Key, int64_t, KeyHash> table_;  // → expiry (ns)
};

}  // namespace vigil::sensor
