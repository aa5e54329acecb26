#pragma once
// Counter-based randomness (decision 3, docs/architecture.md). Every draw is Philox4x32-10 of
// (seed, agent id, day, purpose): no generator state is shared or carried between days,
// so results cannot depend on threads, ranks, iteration order or restarts.
#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace corridor {

/// Purposes 0x0000-0xEFFF belong to models (each model names its own); the engine keeps the rest.
namespace purpose {
inline constexpr std::uint16_t kEngineFirst = 0xF000;
inline constexpr std::uint16_t kCapacityRank = 0xF001;  ///< ranking candidates for limited capacity
inline constexpr std::uint16_t kSynthetic = 0xF002;     ///< benchmark / synthetic inputs
inline constexpr std::uint16_t kSweepSeed = 0xF003;     ///< seeds of a sweep's runs (sim/sweep/plan.cpp)
inline constexpr std::uint16_t kSweepDesign = 0xF004;   ///< sampled sweep designs (sim/sweep/sampling.cpp)
}  // namespace purpose

/// A stream of random numbers private to one (seed, agent, day, purpose). Cheap to create:
/// construct it where the draw happens, use it, drop it. Up to 2^18 numbers per stream.
class RandomStream {
 public:
  using Philox = r123::Philox4x32_R<10>;

  RandomStream(std::uint64_t seed, std::uint64_t agent, std::uint32_t day, std::uint16_t purpose) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    ctr_ = {{static_cast<std::uint32_t>(agent), static_cast<std::uint32_t>(agent >> 32), day,
             static_cast<std::uint32_t>(purpose) << 16}};
  }

  /// The same stream, its first block (its first four numbers) computed already, for many
  /// agents at once, by first_blocks (sim/rng_batch.hpp): it hands those four out first and
  /// goes on exactly as the stream above.
  RandomStream(std::uint64_t seed, std::uint64_t agent, std::uint32_t day, std::uint16_t purpose,
               const std::array<std::uint32_t, 4>& first_block)
      : RandomStream(seed, agent, day, purpose) {
    for (int w = 0; w < 4; ++w) out_.v[w] = first_block[static_cast<std::size_t>(w)];
    ++ctr_[3];  // the block after the first
    used_ = 0;
  }

  /// The next 32 random bits.
  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return out_[used_++];
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() {
    const std::uint64_t a = next_u32() >> 5, b = next_u32() >> 6;  // 27 + 26 bits
    return static_cast<double>((a << 26) | b) * 0x1.0p-53;
  }

  /// Uniform double in (0, 1]: safe to take the logarithm of.
  double uniform_pos() { return 1.0 - uniform(); }

  /// Uniform integer in [0, n) by multiply-shift (bias below n / 2^32, negligible for our n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next_u32()) * n) >> 32);
  }

  /// True with probability p (p outside [0,1] acts as clamped).
  bool bernoulli(double p) { return uniform() < p; }

  /// Exponential with rate 1.
  double exponential() { return -std::log(uniform_pos()); }

  /// Standard normal (Box-Muller; uses two uniforms, discards the second variate).
  double normal() {
    const double u1 = uniform_pos(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  /// Poisson(mean); inversion for small means, normal-corrected PTRS for large ones.
  std::uint64_t poisson(double mean);

  /// Binomial(n, p); exact inversion when n*min(p,1-p) is small, else a Poisson/normal-free
  /// exact method (BTRS, Hormann 1993).
  std::uint64_t binomial(std::uint64_t n, double p);

 private:
  void refill() {
    out_ = Philox{}(ctr_, key_);
    ++ctr_[3];  // low 16 bits count blocks within this stream
    used_ = 0;
  }
  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type out_{};
  int used_ = 4;
};

/// A 64-bit hash of (seed, agent, day, purpose) from the same Philox, used to rank candidates
/// for limited capacity deterministically (decision 4, docs/architecture.md).
inline std::uint64_t rank_hash(std::uint64_t seed, std::uint64_t agent, std::uint32_t day,
                               std::uint16_t purpose = purpose::kCapacityRank) {
  RandomStream s(seed, agent, day, purpose);
  const std::uint64_t hi = s.next_u32();
  return (hi << 32) | s.next_u32();
}

}  // namespace corridor
