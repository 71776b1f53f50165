// RangeSet<T>: a set of unsigned values kept as sorted, disjoint, non-adjacent inclusive ranges.
//
// It is the compiled form of rule address and port expressions: the parser evaluates includes
// and excludes ([10.0.0.0/8, !10.1.0.0/16], !$HOME_NET, nested groups) with Union and Subtract
// at load time, so matching a packet is one binary search with no allocation.
//
//   RangeSet<uint16_t> s;
//   s.Add(80, 80); s.Add(8000, 8999);
//   s.Contains(8080);  // true
//
// T must be totally ordered and provide Next(T)/Prev(T) (value +1/-1) through RangeTraits<T>.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace vigil::rules {

template <typename T>
struct RangeTraits {
  static constexpr T Min() { return std::numeric_limits<T>::min(); }
  static constexpr T Max() { return std::numeric_limits<T>::max(); }
  static constexpr T Next(T v) { return static_cast<T>(v + 1); }
  static constexpr T Prev(T v) { return static_cast<T>(v - 1); }
};

template <typename T>
class RangeSet {
 public:
  struct Range {
    T lo;
    T hi;
    friend bool operator==(const Range&, const Range&) = default;
  };
  using Traits = RangeTraits<T>;

  static RangeSet All() {
    RangeSet s;
    s.ranges_.push_back({Traits::Min(), Traits::Max()});
    return s;
  }

  // Adds [lo, hi]; lo > hi is ignored. Keeps the invariant (sorted, merged).
  void Add(T lo, T hi) {
    if (hi < lo) return;
    ranges_.push_back({lo, hi});
    Normalize();
  }

  void Union(const RangeSet& other) {
    Append(other);
    Normalize();
  }

  // Adds `other`'s ranges without restoring the invariant: call Normalize() once after a batch
  // (a list of n elements then costs one sort, not n).
  void Append(const RangeSet& other) {
    ranges_.insert(ranges_.end(), other.ranges_.begin(), other.ranges_.end());
  }

  // Removes every value of `other`. Both sets are normalized, so one linear merge does it.
  void Subtract(const RangeSet& other) {
    if (ranges_.empty() || other.ranges_.empty()) return;
    std::vector<Range> out;
    out.reserve(ranges_.size() + other.ranges_.size());
    size_t j = 0;
    for (Range r : ranges_) {
      T lo = r.lo;
      bool alive = true;
      while (j < other.ranges_.size() && other.ranges_[j].hi < lo) ++j;
      size_t k = j;
      while (alive && k < other.ranges_.size() && !(r.hi < other.ranges_[k].lo)) {
        const Range& x = other.ranges_[k];
        if (lo < x.lo) out.push_back({lo, Traits::Prev(x.lo)});
        if (x.hi < r.hi) {
          lo = Traits::Next(x.hi);
          ++k;
        } else {
          alive = false;
        }
      }
      if (alive) out.push_back({lo, r.hi});
    }
    ranges_ = std::move(out);
  }

  bool Contains(T v) const {
    // First range whose lo is > v; the one before it is the only candidate.
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), v,
                               [](T value, const Range& r) { return value < r.lo; });
    if (it == ranges_.begin()) return false;
    --it;
    return !(it->hi < v);
  }

  bool empty() const { return ranges_.empty(); }
  bool full() const {
    return ranges_.size() == 1 && ranges_[0].lo == Traits::Min() && ranges_[0].hi == Traits::Max();
  }
  const std::vector<Range>& ranges() const { return ranges_; }
  friend bool operator==(const RangeSet&, const RangeSet&) = default;

  // Sorts and merges overlapping or adjacent ranges.
  void Normalize() {
    std::sort(ranges_.begin(), ranges_.end(),
              [](const Range& a, const Range& b) { return a.lo < b.lo; });
    size_t w = 0;
    for (size_t i = 0; i < ranges_.size(); ++i) {
      if (w > 0) {
        Range& last = ranges_[w - 1];
        // Merge overlapping or adjacent ranges (guarding the +1 against overflow at Max).
        if (!(last.hi < ranges_[i].lo) ||
            (last.hi != Traits::Max() && Traits::Next(last.hi) == ranges_[i].lo)) {
          if (last.hi < ranges_[i].hi) last.hi = ranges_[i].hi;
          continue;
        }
      }
      ranges_[w++] = ranges_[i];
    }
    ranges_.resize(w);
  }

 private:
  std::vector<Range> ranges_;
};

// A 128-bit unsigned value for IPv6 ranges (big-endian address bytes → hi, lo).
struct Uint128 {
  uint64_t hi = 0;
  uint64_t lo = 0;
  friend bool operator==(const Uint128&, const Uint128&) = default;
  friend auto operator<=>(const Uint128&, const Uint128&) = default;
};

template <>
struct RangeTraits<Uint128> {
  static constexpr Uint128 Min() { return {0, 0}; }
  static constexpr Uint128 Max() { return {~uint64_t{0}, ~uint64_t{0}}; }
  static constexpr Uint128 Next(Uint128 v) { return v.lo == ~uint64_t{0} ? Uint128{v.hi + 1, 0} : Uint128{v.hi, v.lo + 1}; }
  static constexpr Uint128 Prev(Uint128 v) { return v.lo == 0 ? Uint128{v.hi - 1, ~uint64_t{0}} : Uint128{v.hi, v.lo - 1}; }
};

}  // namespace vigil::rules
