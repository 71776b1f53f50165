// Rng: the synthesizer's only source of randomness (xoshiro256** seeded through splitmix64).
//
// Every draw is integer arithmetic written here — no std::*_distribution (their output differs
// between standard libraries) and no libm — so one seed gives a byte-identical capture on every
// machine. Each flow gets its own Rng forked from the run's master Rng, so a flow's content does
// not depend on how it interleaves with others.
//
//   Rng rng(42);
//   uint64_t port = rng.Range(32768, 60999);
//   if (rng.Chance(0.1)) { ... }
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace vigil::synth {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) s = SplitMix(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n == 0 yields 0. Lemire's multiply-shift (bias below 2^-32 for our n).
  uint64_t Below(uint64_t n) {
    if (n == 0) return 0;
    __extension__ using U128 = unsigned __int128;
    return static_cast<uint64_t>((static_cast<U128>(Next()) * n) >> 64);
  }

  // Uniform in [lo, hi] (inclusive).
  uint64_t Range(uint64_t lo, uint64_t hi) { return hi <= lo ? lo : lo + Below(hi - lo + 1); }

  // True with probability p (p outside [0,1] is clamped by the comparison).
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

  // A size between lo and hi spread over powers of two (many small, some large), as object sizes
  // on the web are: first pick an octave, then a uniform value inside it.
  uint64_t LogRange(uint64_t lo, uint64_t hi) {
    if (hi <= lo) return lo;
    int octaves = 0;
    while ((lo << octaves) < hi && octaves < 62) ++octaves;
    const int o = static_cast<int>(Below(static_cast<uint64_t>(octaves)));
    const uint64_t a = lo << o;
    const uint64_t b = (a * 2 < hi) ? a * 2 : hi;
    return Range(a, b);
  }

  void Fill(uint8_t* p, size_t n) {
    while (n >= 8) {
      const uint64_t v = Next();
      std::memcpy(p, &v, 8);
      p += 8;
      n -= 8;
    }
    if (n > 0) {
      const uint64_t v = Next();
      std::memcpy(p, &v, n);
    }
  }

  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

  // An independent generator for a sub-task (a flow), drawn from this one.
  Rng Fork() { return Rng(Next()); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  uint64_t s_[4];
};

}  // namespace vigil::synth
