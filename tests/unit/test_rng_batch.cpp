// sim/rng_batch: every kernel of first_blocks gives, lane for lane, the Philox4x32-10 block of
// Random123 that RandomStream starts with, for edge values of every counter and key word and
// for any batch length; a stream built from a computed block goes on as the plain stream.
#include <Random123/philox.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "sim/rng.hpp"
#include "sim/rng_batch.hpp"

using namespace corridor;

namespace {

/// Random123's own Philox4x32-10 on RandomStream's first counter.
r123::Philox4x32_R<10>::ctr_type reference(std::uint64_t seed, std::uint64_t agent, std::uint32_t day,
                                           std::uint16_t purpose) {
  const r123::Philox4x32_R<10>::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const r123::Philox4x32_R<10>::ctr_type ctr = {{static_cast<std::uint32_t>(agent), static_cast<std::uint32_t>(agent >> 32),
                                                 day, static_cast<std::uint32_t>(purpose) << 16}};
  return r123::Philox4x32_R<10>{}(ctr, key);
}

const std::vector<std::uint64_t> kEdge64 = {0,           1,           0x7FFFFFFFull,         0xFFFFFFFFull,
                                            1ull << 32,  0xFFFFFFFF00000000ull, 0x8000000000000000ull,
                                            ~0ull,       ~0ull - 1};

/// Edge values first, then a spread of ids whose both words vary.
std::vector<std::uint64_t> test_ids() {
  std::vector<std::uint64_t> ids = kEdge64;
  std::uint64_t x = 0x243F6A8885A308D3ull;
  while (ids.size() < FirstBlocks::kCapacity) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    ids.push_back(x);
  }
  return ids;
}

}  // namespace

TEST_CASE("first_blocks equals Random123's Philox4x32-10 for every kernel, edge values and batch lengths", "[rng]") {
  const std::vector<std::uint64_t> ids = test_ids();
  const auto kernels = available_philox_kernels();
  REQUIRE(kernels.front() == PhiloxKernel::kPortable);
  INFO("first_blocks uses the " << philox_kernel_name(philox_kernel()) << " kernel");
  for (PhiloxKernel kernel : kernels) {
    INFO("kernel " << philox_kernel_name(kernel));
    for (std::uint64_t seed : kEdge64) {
      for (std::uint32_t day : {0u, 1u, 365u, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
        for (std::uint16_t purpose : {std::uint16_t{0}, std::uint16_t{1}, std::uint16_t{0xF001}, std::uint16_t{0xFFFF}}) {
          FirstBlocks out;
          first_blocks_with(kernel, ids.data(), ids.size(), seed, day, purpose, out);
          for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto ref = reference(seed, ids[i], day, purpose);
            for (int w = 0; w < 4; ++w) REQUIRE(out.word[w][i] == ref.v[w]);
          }
        }
      }
    }
  }
}

TEST_CASE("first_blocks fills exactly n lanes for any n and leaves the rest alone", "[rng]") {
  const std::vector<std::uint64_t> ids = test_ids();
  for (PhiloxKernel kernel : available_philox_kernels()) {
    INFO("kernel " << philox_kernel_name(kernel));
    for (std::size_t n : {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 255, 256}) {
      INFO("n = " << n);
      FirstBlocks out;
      for (auto& word : out.word)
        for (auto& v : word) v = 0xDEADBEEFu;
      const std::uint64_t* first = ids.data();
      first_blocks_with(kernel, first, n, 12345, 17, 3, out);
      for (std::size_t i = 0; i < FirstBlocks::kCapacity; ++i) {
        if (i < n) {
          RandomStream s(12345, first[i], 17, 3);
          for (int w = 0; w < 4; ++w) REQUIRE(out.word[w][i] == s.next_u32());
        } else {
          for (int w = 0; w < 4; ++w) REQUIRE(out.word[w][i] == 0xDEADBEEFu);
        }
      }
    }
    // Unaligned ids (one past an aligned start).
    FirstBlocks out;
    first_blocks_with(kernel, ids.data() + 1, 40, 9, 2, 1, out);
    for (std::size_t i = 0; i < 40; ++i) {
      const auto ref = reference(9, ids[i + 1], 2, 1);
      for (int w = 0; w < 4; ++w) REQUIRE(out.word[w][i] == ref.v[w]);
    }
  }
}

TEST_CASE("a RandomStream built from a computed first block gives the plain stream's numbers", "[rng]") {
  const std::vector<std::uint64_t> ids = test_ids();
  FirstBlocks out;
  first_blocks(ids.data(), 20, 0xFFFFFFFF12345678ull, 40, 7, out);
  for (std::size_t i = 0; i < 20; ++i) {
    RandomStream plain(0xFFFFFFFF12345678ull, ids[i], 40, 7);
    RandomStream computed(0xFFFFFFFF12345678ull, ids[i], 40, 7, out.block(i));
    // Across several blocks of four, mixing the draws models make.
    for (int k = 0; k < 5; ++k) {
      REQUIRE(computed.next_u32() == plain.next_u32());
      REQUIRE(computed.uniform() == plain.uniform());
      REQUIRE(computed.below(1000) == plain.below(1000));
    }
  }
}

TEST_CASE("the kernel first_blocks uses is one this machine can run", "[rng]") {
  const auto kernels = available_philox_kernels();
  CHECK(kernels.back() == philox_kernel());
  CHECK(philox_kernel_name(PhiloxKernel::kPortable) == "portable");
  CHECK(philox_kernel_name(PhiloxKernel::kAvx2) == "avx2");
  CHECK(philox_kernel_name(PhiloxKernel::kAvx512) == "avx512");
}
