#include "sensor/detect/threshold_tracker.h"

#include <tuple>

namespace vigil::sensor {

using rules::ThresholdType;
using rules::TrackBy;

size_t ThresholdTracker::KeyHash::operator()(const Key& k) const {
  // FNV-1a over the id and both addresses.
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](uint8_t b) { h = (h ^ b) * 1099511628211ull; };
  for (int i = 0; i < 4; ++i) mix(static_cast<uint8_t>(k.id >> (8 * i)));
  for (uint8_t b : k.a.bytes) mix(b);
  for (uint8_t b : k.b.bytes) mix(b);
  return static_cast<size_t>(h);
}

void ThresholdTracker::Sweep(Timestamp now) {
  for (auto it = table_.begin(); it != table_.end();) {
    if (RateExpired(it->second.rate, it->second.limits, now)) it = table_.erase(it);
    else ++it;
  }
}

bool ThresholdTracker::Allow(uint32_t id, const rules::ThresholdOption& t, const IpAddress& src,
                             const IpAddress& dst, Timestamp ts) {
  Key key;
  key.id = id;
  switch (t.track) {
    case TrackBy::kSrc: key.a = src; break;
    case TrackBy::kDst: key.a = dst; break;
    case TrackBy::kRule: break;
    case TrackBy::kBoth: case TrackBy::kFlow: case TrackBy::kEither: {
      // The pair in a fixed order: A→B and B→A count together.
      const bool swap = std::tie(src.family, src.bytes) > std::tie(dst.family, dst.bytes);
      key.a = swap ? dst : src;
      key.b = swap ? src : dst;
      break;
    }
  }
  auto it = table_.find(key);
  if (it == table_.end()) {
    if (table_.size() >= capacity_) {
      Sweep(ts);
      if (table_.size() >= capacity_) {
        ++full_;
        return true;  // untracked: fail open, counted
      }
    }
    it = table_.emplace(key, State{RateState{}, t}).first;
  }
  it->second.limits = t;
  return RateAllow(it->second.rate, t, ts);
}

}  // namespace vigil::sensor
