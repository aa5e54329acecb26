#include "models/flee/first_draws.hpp"

#include <algorithm>

#include "sim/rng_batch.hpp"

namespace corridor::flee {

void first_draws(const std::uint64_t* ids, std::size_t n, std::uint64_t seed, std::uint32_t day,
                 std::uint16_t purpose, std::uint32_t* out) {
  // The engine's batch Philox (sim/rng_batch.hpp) computes each stream's whole first block;
  // movement needs its first number.
  FirstBlocks blocks;
  for (std::size_t b = 0; b < n; b += FirstBlocks::kCapacity) {
    const std::size_t m = std::min(FirstBlocks::kCapacity, n - b);
    first_blocks(ids + b, m, seed, day, purpose, blocks);
    std::copy_n(blocks.word[0], m, out + b);
  }
}

}  // namespace corridor::flee
