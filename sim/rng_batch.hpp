#pragma once
// The first block of many agents' random streams at once. A model that steps its agents in
// blocks of rows computes the day's first Philox4x32-10 block (four 32-bit numbers) of every
// agent of the block in one call, several agents per vector instruction, instead of one
// agent at a time inside RandomStream. The numbers are exactly RandomStream's
// (tests/unit/test_rng_batch.cpp compares them with Random123 for every kernel this machine
// can run), so no result depends on how they were computed: an agent that needs more than
// four numbers continues with RandomStream's constructor that takes the block.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/rng.hpp"

namespace corridor {

/// The first blocks of up to kCapacity streams: word[w][i] is the (w + 1)-th next_u32() of
/// stream i. Aligned for vector stores.
struct FirstBlocks {
  static constexpr std::size_t kCapacity = 256;
  alignas(64) std::uint32_t word[4][kCapacity];

  /// Stream i's block, as RandomStream's constructor for a computed block takes it.
  std::array<std::uint32_t, 4> block(std::size_t i) const { return {word[0][i], word[1][i], word[2][i], word[3][i]}; }
};

/// For i < n (n <= FirstBlocks::kCapacity): the first block of RandomStream(seed, ids[i], day,
/// purpose) into out (lanes n and beyond are left as they were).
void first_blocks(const std::uint64_t* ids, std::size_t n, std::uint64_t seed, std::uint32_t day,
                  std::uint16_t purpose, FirstBlocks& out);

/// The implementations of first_blocks: a plain loop compiled for the baseline (portable) and
/// for x86-64-v4 (AVX-512, where GCC vectorises Philox's 32 x 32 -> 64-bit multiplies well),
/// and an AVX2 kernel written with intrinsics (there GCC 12 emulates a full 64-bit multiply,
/// from plain loops and from vector extensions alike, about half as fast).
enum class PhiloxKernel { kPortable, kAvx2, kAvx512 };

/// The kernel first_blocks uses on this machine (the widest the processor and OS support).
PhiloxKernel philox_kernel();
/// Every kernel this machine can run, the portable one first (for the tests).
std::vector<PhiloxKernel> available_philox_kernels();
/// "portable", "avx2" or "avx512" (printed by `corridor bench`).
std::string_view philox_kernel_name(PhiloxKernel k);
/// first_blocks with the given kernel, which must be one of available_philox_kernels().
void first_blocks_with(PhiloxKernel k, const std::uint64_t* ids, std::size_t n, std::uint64_t seed,
                       std::uint32_t day, std::uint16_t purpose, FirstBlocks& out);

}  // namespace corridor
