#ifndef RINGFENCE_TOOLS_SIM_SIM_RANDOM_H_
#define RINGFENCE_TOOLS_SIM_SIM_RANDOM_H_

// The simulator's random numbers: SplitMix64, with every distribution
// written here (the standard library's distributions differ between
// implementations, and a seed must give the same files everywhere).

#include <cassert>
#include <cstdint>
#include <span>

namespace rf::sim {

class SimRandom {
 public:
  explicit SimRandom(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in 0..n-1, without modulo bias. REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    assert(n > 0);
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = Next();
    while (x >= limit);
    return x % n;
  }
  // Uniform in lo..hi, both included. REQUIRES: lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) {
    assert(lo <= hi);
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // True with probability per_mille / 1000.
  bool Chance(uint32_t per_mille) { return Below(1000) < per_mille; }
  // An index drawn by integer weights. REQUIRES: some weight > 0.
  size_t Weighted(std::span<const uint32_t> weights) {
    uint64_t total = 0;
    for (uint32_t w : weights) total += w;
    uint64_t x = Below(total);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    assert(false);
    return 0;
  }

 private:
  uint64_t state_;
};

}  // namespace rf::sim

#endif  // RINGFENCE_TOOLS_SIM_SIM_RANDOM_H_
