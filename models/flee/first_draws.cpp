#include "models/flee/first_draws.hpp"

#include <Random123/philox.h>

namespace corridor::flee {

// One copy of the loop per instruction set, chosen when the program starts: the wide integer
// multiplies of AVX2 and AVX-512 are what make the batch pay (on plain SSE2 it is no faster
// than one agent at a time). Other compilers and machines get the portable loop.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && __GNUC__ >= 12
#define CORRIDOR_FLEE_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CORRIDOR_FLEE_CLONES
#endif

CORRIDOR_FLEE_CLONES
void first_draws(const std::uint64_t* ids, std::size_t n, std::uint64_t seed, std::uint32_t day,
                 std::uint16_t purpose, std::uint32_t* out) {
  // Philox4x32-10 (Random123's constants) on the counter RandomStream uses for its first block:
  // (agent low, agent high, day, purpose << 16), key (seed low, seed high). Word 0 of the result.
  constexpr int kRounds = 10;
  std::uint32_t key0[kRounds], key1[kRounds];
  key0[0] = static_cast<std::uint32_t>(seed);
  key1[0] = static_cast<std::uint32_t>(seed >> 32);
  for (int r = 1; r < kRounds; ++r) {
    key0[r] = key0[r - 1] + PHILOX_W32_0;
    key1[r] = key1[r - 1] + PHILOX_W32_1;
  }
  const std::uint32_t purpose_word = static_cast<std::uint32_t>(purpose) << 16;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t x0 = static_cast<std::uint32_t>(ids[i]), x1 = static_cast<std::uint32_t>(ids[i] >> 32);
    std::uint32_t x2 = day, x3 = purpose_word;
#pragma GCC unroll 10
    for (int r = 0; r < kRounds; ++r) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(PHILOX_M4x32_0) * x0;
      const std::uint64_t p1 = static_cast<std::uint64_t>(PHILOX_M4x32_1) * x2;
      x0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1 ^ key0[r];
      x1 = static_cast<std::uint32_t>(p1);
      x2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3 ^ key1[r];
      x3 = static_cast<std::uint32_t>(p0);
    }
    out[i] = x0;
  }
}

}  // namespace corridor::flee
