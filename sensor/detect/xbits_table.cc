#include "sensor/detect/xbits_table.h"

#include <tuple>

namespace vigil::sensor {

size_t XbitsTable::KeyHash::operator()(const Key& k) const {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  auto mix = [&h](uint8_t b) { h = (h ^ b) * 1099511628211ull; };
  for (int i = 0; i < 4; ++i) mix(static_cast<uint8_t>(k.id >> (8 * i)));
  mix(k.track);
  for (uint8_t b : k.a.bytes) mix(b);
  for (uint8_t b : k.b.bytes) mix(b);
  return static_cast<size_t>(h);
}

XbitsTable::Key XbitsTable::MakeKey(uint32_t id, rules::XbitsTrack track, const IpAddress& src,
                                    const IpAddress& dst) {
  Key k;
  k.id = id;
  // ip_src and ip_dst both name a host: one host table per bit, as Suricata's; pairs apart.
  k.track = track == rules::XbitsTrack::kIpPair ? 1 : 0;
  switch (track) {
    case rules::XbitsTrack::kIpDst: k.a = dst; break;
    case rules::XbitsTrack::kIpPair: {
      // Symmetric: order the pair so both directions meet the same entry.
      bool swap = std::tie(src.family, src.bytes) > std::tie(dst.family, dst.bytes);
      k.a = swap ? dst : src;
      k.b = swap ? src : dst;
      break;
    }
    default: k.a = src; break;
  }
  return k;
}

bool XbitsTable::IsSet(uint32_t id, rules::XbitsTrack track, const IpAddress& src,
                       const IpAddress& dst, Timestamp now) const {
  auto it = table_.find(MakeKey(id, track, src, dst));
  return it != table_.end() && it->second > now.ns;
}

void XbitsTable::Apply(rules::FlowbitsCommand cmd, uint32_t id, rules::XbitsTrack track,
                       uint32_t expire_seconds, const IpAddress& src, const IpAddress& dst,
                       Timestamp now) {
  Key k = MakeKey(id, track, src, dst);
  auto it = table_.find(k);
  const bool set_now = it != table_.end() && it->second > now.ns;
  bool want;
  switch (cmd) {
    case rules::FlowbitsCommand::kSet: want = true; break;
    case rules::FlowbitsCommand::kUnset: want = false; break;
    case rules::FlowbitsCommand::kToggle: want = !set_now; break;
    default: return;
  }
  if (!want) {
    if (it != table_.end()) table_.erase(it);
    return;
  }
  const int64_t expiry =
      now.ns + static_cast<int64_t>(expire_seconds ? expire_seconds : kDefaultExpireSeconds) * 1'000'000'000;
  if (it != table_.end()) {
    it->second = expiry;
    return;
  }
  if (table_.size() >= capacity_) {
    for (auto e = table_.begin(); e != table_.end();) {
      if (e->second <= now.ns) e = table_.erase(e);
      else ++e;
    }
    if (table_.size() >= capacity_) {
      ++full_;
      return;
    }
  }
  table_.emplace(k, expiry);
}

}  // namespace vigil::sensor
