// DistinctCounter against a reference multiset under a sliding window of random values, across
// the switch from the small vector to the table and back through clear().
#include "correlator/engine/distinct_counter.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <random>

namespace vigil {
namespace {

TEST(DistinctCounter, CountsOccurrencesNotJustValues) {
  DistinctCounter d;
  d.Add(7);
  d.Add(7);
  d.Add(0);  // zero is a value like any other
  EXPECT_EQ(d.size(), 2u);
  d.Remove(7);
  EXPECT_EQ(d.size(), 2u);
  d.Remove(7);
  EXPECT_EQ(d.size(), 1u);
  d.Remove(99);  // never added: no effect
  EXPECT_EQ(d.size(), 1u);
  d.clear();
  EXPECT_EQ(d.size(), 0u);
}

TEST(DistinctCounter, SlidingWindowMatchesReference) {
  std::mt19937_64 rng(3);
  for (uint64_t range : {8ull, 40ull, 500ull, 20000ull}) {
    for (size_t window : {16u, 100u, 3000u}) {
      DistinctCounter d;
      std::map<uint64_t, int> ref;
      std::deque<uint64_t> w;
      for (int i = 0; i < 30000; ++i) {
        // Values collide in their low bits (multiples of 4096) to exercise probe runs.
        const uint64_t v = (rng() % range) * (i % 3 == 0 ? 4096 : 1);
        d.Add(v);
        ++ref[v];
        w.push_back(v);
        if (w.size() > window) {
          const uint64_t old = w.front();
          w.pop_front();
          d.Remove(old);
          if (--ref[old] == 0) ref.erase(old);
        }
        ASSERT_EQ(d.size(), ref.size()) << "range " << range << " window " << window << " step " << i;
      }
      while (!w.empty()) {
        d.Remove(w.front());
        w.pop_front();
      }
      EXPECT_EQ(d.size(), 0u);
      d.Add(5);
      EXPECT_EQ(d.size(), 1u);
    }
  }
}

}  // namespace
}  // namespace vigil
