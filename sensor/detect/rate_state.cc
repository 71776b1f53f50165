#include "sensor/detect/rate_state.h"

namespace vigil::sensor {

using rules::ThresholdType;

bool RateExpired(const RateState& st, const rules::ThresholdOption& t, Timestamp now) {
  if (t.type == ThresholdType::kBackoff) return false;
  return now.ns - st.window_start_ns >= static_cast<int64_t>(t.seconds) * 1'000'000'000;
}

bool RateAllow(RateState& st, const rules::ThresholdOption& t, Timestamp now) {
  if (t.type == ThresholdType::kBackoff) {
    if (!st.started) {
      st.started = true;
      st.next = t.count;
    }
    ++st.count;
    if (st.count != st.next) return false;
    const uint64_t m = t.multiplier < 2 ? 2 : t.multiplier;
    st.next = st.next > (UINT64_MAX / m) ? UINT64_MAX : st.next * m;
    return true;
  }
  if (!st.started || RateExpired(st, t, now)) {
    st.started = true;
    st.window_start_ns = now.ns;
    st.count = 0;
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
    case ThresholdType::kBackoff: break;
  }
  return true;
}

}  // namespace vigil::sensor
