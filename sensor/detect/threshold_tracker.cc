#include "sensor/detect/threshold_tracker.h"

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

void ThresholdTracker::Sweep(int64_t now_ns) {
  for (auto it = table_.begin(); it != table_.end();) {
    if (now_ns - it->second.window_start_ns >= it->second.window_ns) it = table_.erase(it);
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
    case TrackBy::kBoth: case TrackBy::kFlow: case TrackBy::kEither:
      key.a = src;
      key.b = dst;
      break;
  }
  const int64_t window = static_cast<int64_t>(t.seconds) * 1'000'000'000;
  auto it = table_.find(key);
  if (it == table_.end()) {
    if (table_.size() >= capacity_) {
      Sweep(ts.ns);
      if (table_.size() >= capacity_) {
        ++full_;
        return true;  // untracked: fail open, counted
      }
    }
    State st{ts.ns, window, 1};
    table_.emplace(key, st);
    switch (t.type) {
      case ThresholdType::kLimit: return t.count >= 1;
      case ThresholdType::kThreshold: case ThresholdType::kBoth: return t.count <= 1;
      case ThresholdType::kDetectionFilter: return t.count < 1;
    }
    return true;
  }
  State& st = it->second;
  const bool in_window = ts.ns - st.window_start_ns < window;
  if (!in_window) {
    st.window_start_ns = ts.ns;
    st.count = 1;
    switch (t.type) {
      case ThresholdType::kLimit: return t.count >= 1;
      case ThresholdType::kThreshold: case ThresholdType::kBoth: return t.count <= 1;
      case ThresholdType::kDetectionFilter: return t.count < 1;
    }
    return true;
  }
  ++st.count;
  switch (t.type) {
    case ThresholdType::kLimit: return st.count <= t.count;
    case ThresholdType::kThreshold:
      if (st.count >= t.count) {
        st.count = 0;
        return true;
      }
      return false;
    case ThresholdType::kBoth: return st.count == t.count;
    case ThresholdType::kDetectionFilter: return st.count > t.count;
  }
  return true;
}

}  // namespace vigil::sensor
