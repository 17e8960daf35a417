// ShopRandom: the generator's own random numbers, so that the same seed gives byte-identical
// shops with any standard library (std::*_distribution differ between implementations).
//
// xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018),
// seeded through splitmix64. Distributions are written here: uniform, normal (Box-Muller),
// exponential, log-normal, and a Zipf sampler over a shared prefix-sum table.
// Not thread-safe; one per stream. Plain value: copying forks the stream.
#ifndef TAILOR_DATA_SYNTHETIC_SHOP_RANDOM_H_
#define TAILOR_DATA_SYNTHETIC_SHOP_RANDOM_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace tailor::synthetic {

// One step of splitmix64: a good 64-bit mixer for deriving seeds.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Derives an independent seed for sub-stream `stream` (e.g. catalog, users, events, item 17).
inline uint64_t DeriveSeed(uint64_t seed, uint64_t stream) {
  uint64_t state = seed ^ (stream * 0xd1b54a32d192ed03ULL);
  SplitMix64(state);
  return SplitMix64(state);
}

class ShopRandom {
 public:
  explicit ShopRandom(uint64_t seed) {
    uint64_t state = seed;
    for (uint64_t& word : s_) word = SplitMix64(state);
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

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n); n > 0.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform integer in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller; the second value is cached).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    spare_ = radius * std::sin(2.0 * M_PI * u2);
    has_spare_ = true;
    return radius * std::cos(2.0 * M_PI * u2);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  double LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }
  // Exponential with the given mean.
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }
  // Index drawn with probability proportional to `cumulative` increments (a running sum of
  // non-negative weights whose last entry is > 0).
  size_t Weighted(std::span<const double> cumulative) {
    const double target = Uniform() * cumulative.back();
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
    return std::min<size_t>(it - cumulative.begin(), cumulative.size() - 1);
  }
  // Fisher-Yates shuffle.
  template <typename T>
  void Shuffle(std::vector<T>& values) {
    for (size_t idx = values.size(); idx > 1; --idx) {
      std::swap(values[idx - 1], values[Below(idx)]);
    }
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// Samples ranks 0..n-1 with P(rank) proportional to 1 / (rank + 1)^exponent, for any n up to
// the table size. One table serves every category (prefix sums do not depend on n).
// Immutable after construction; thread-safe to read.
class ZipfTable {
 public:
  ZipfTable(size_t max_n, double exponent) : prefix_(max_n + 1, 0.0) {
    for (size_t rank = 0; rank < max_n; ++rank) {
      prefix_[rank + 1] = prefix_[rank] + std::pow(static_cast<double>(rank + 1), -exponent);
    }
  }
  // A rank in [0, n); 0 < n <= max_n.
  size_t Sample(ShopRandom& rng, size_t n) const {
    const double target = rng.Uniform() * prefix_[n];
    const auto first = prefix_.begin() + 1;
    const auto it = std::upper_bound(first, first + n, target);
    return std::min<size_t>(it - first, n - 1);
  }

 private:
  std::vector<double> prefix_;
};

// Running sum of `weights` (for ShopRandom::Weighted).
inline std::vector<double> CumulativeSum(std::span<const double> weights) {
  std::vector<double> cumulative(weights.size());
  double total = 0.0;
  for (size_t idx = 0; idx < weights.size(); ++idx) {
    total += weights[idx];
    cumulative[idx] = total;
  }
  return cumulative;
}

}  // namespace tailor::synthetic

#endif  // TAILOR_DATA_SYNTHETIC_SHOP_RANDOM_H_
