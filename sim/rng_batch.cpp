#include "sim/rng_batch.hpp"

#include <Random123/philox.h>

#include <stdexcept>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && __GNUC__ >= 12
#include <immintrin.h>
#define CORRIDOR_X86_KERNELS 1  // target("arch=x86-64-v4") and __builtin_cpu_supports("x86-64-v4")
#endif

namespace corridor {

namespace {

// Philox4x32-10 as Random123 computes it (philox.h): ten rounds on the counter (agent low,
// agent high, day, purpose << 16) under the key (seed low, seed high), the key bumped by the
// Weyl constants between rounds. RandomStream's first block is this counter's output.
constexpr int kRounds = 10;

struct Keys {
  std::uint32_t k0[kRounds], k1[kRounds];
  explicit Keys(std::uint64_t seed) {
    k0[0] = static_cast<std::uint32_t>(seed);
    k1[0] = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 1; r < kRounds; ++r) {
      k0[r] = k0[r - 1] + PHILOX_W32_0;
      k1[r] = k1[r - 1] + PHILOX_W32_1;
    }
  }
};

/// One lane at a time, in a loop over plain arrays that the compiler vectorises: always
/// inlined into the portable and the AVX-512 copy below, each compiled for its instruction
/// set; also the AVX2 kernel's tail.
[[gnu::always_inline]] inline void lanes(const std::uint64_t* ids, std::size_t begin, std::size_t n, const Keys& k,
                                         std::uint32_t day, std::uint32_t word3, FirstBlocks& out) {
  for (std::size_t i = begin; i < n; ++i) {
    std::uint32_t x0 = static_cast<std::uint32_t>(ids[i]), x1 = static_cast<std::uint32_t>(ids[i] >> 32);
    std::uint32_t x2 = day, x3 = word3;
#pragma GCC unroll 10
    for (int r = 0; r < kRounds; ++r) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(PHILOX_M4x32_0) * x0;
      const std::uint64_t p1 = static_cast<std::uint64_t>(PHILOX_M4x32_1) * x2;
      x0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1 ^ k.k0[r];
      x1 = static_cast<std::uint32_t>(p1);
      x2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3 ^ k.k1[r];
      x3 = static_cast<std::uint32_t>(p0);
    }
    out.word[0][i] = x0;
    out.word[1][i] = x1;
    out.word[2][i] = x2;
    out.word[3][i] = x3;
  }
}

void portable(const std::uint64_t* ids, std::size_t n, const Keys& k, std::uint32_t day, std::uint32_t word3,
              FirstBlocks& out) {
  lanes(ids, 0, n, k, day, word3, out);
}

#ifdef CORRIDOR_X86_KERNELS
// With AVX-512 (x86-64-v4) GCC vectorises the loop well: the 32 x 32 -> 64-bit multiplies
// on 64-bit lanes (vpmullq). With AVX2 it does not (it emulates a 64-bit multiply), so that
// kernel is written with intrinsics: vpmuludq takes the even 32-bit lanes, the odd lanes are
// shifted down and multiplied the same way, and the products' halves are blended back into
// lane order. (The same hand-written kernel for AVX-512 was slower on this machine than the
// vectorised loop; docs/benchmarks.md, "The engine at the floor".)
__attribute__((target("arch=x86-64-v4"))) void avx512(const std::uint64_t* ids, std::size_t n, const Keys& k,
                                                      std::uint32_t day, std::uint32_t word3, FirstBlocks& out) {
  lanes(ids, 0, n, k, day, word3, out);
}

__attribute__((target("avx2"))) void avx2(const std::uint64_t* ids, std::size_t n, const Keys& k,
                                          std::uint32_t day, std::uint32_t word3, FirstBlocks& out) {
  const __m256i m0 = _mm256_set1_epi64x(PHILOX_M4x32_0), m1 = _mm256_set1_epi64x(PHILOX_M4x32_1);
  const __m256i split = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);  // low words, then high words
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i a = _mm256_permutevar8x32_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(ids + i)), split);
    const __m256i b =
        _mm256_permutevar8x32_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(ids + i + 4)), split);
    __m256i x0 = _mm256_permute2x128_si256(a, b, 0x20), x1 = _mm256_permute2x128_si256(a, b, 0x31);
    __m256i x2 = _mm256_set1_epi32(static_cast<int>(day)), x3 = _mm256_set1_epi32(static_cast<int>(word3));
    for (int r = 0; r < kRounds; ++r) {
      const __m256i pe0 = _mm256_mul_epu32(x0, m0), po0 = _mm256_mul_epu32(_mm256_srli_epi64(x0, 32), m0);
      const __m256i pe1 = _mm256_mul_epu32(x2, m1), po1 = _mm256_mul_epu32(_mm256_srli_epi64(x2, 32), m1);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(pe0, 32), po0, 0xAA);
      const __m256i lo0 = _mm256_blend_epi32(pe0, _mm256_slli_epi64(po0, 32), 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(pe1, 32), po1, 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(pe1, _mm256_slli_epi64(po1, 32), 0xAA);
      x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(static_cast<int>(k.k0[r])));
      x1 = lo1;
      x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(static_cast<int>(k.k1[r])));
      x3 = lo0;
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.word[0] + i), x0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.word[1] + i), x1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.word[2] + i), x2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.word[3] + i), x3);
  }
  lanes(ids, i, n, k, day, word3, out);
}

#endif  // CORRIDOR_X86_KERNELS

PhiloxKernel detect() {
#ifdef CORRIDOR_X86_KERNELS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4")) return PhiloxKernel::kAvx512;
  if (__builtin_cpu_supports("avx2")) return PhiloxKernel::kAvx2;
#endif
  return PhiloxKernel::kPortable;
}

}  // namespace

PhiloxKernel philox_kernel() {
  static const PhiloxKernel chosen = detect();
  return chosen;
}

std::vector<PhiloxKernel> available_philox_kernels() {
  std::vector<PhiloxKernel> k{PhiloxKernel::kPortable};
  if (philox_kernel() == PhiloxKernel::kAvx512 || philox_kernel() == PhiloxKernel::kAvx2)
    k.push_back(PhiloxKernel::kAvx2);
  if (philox_kernel() == PhiloxKernel::kAvx512) k.push_back(PhiloxKernel::kAvx512);
  return k;
}

std::string_view philox_kernel_name(PhiloxKernel k) {
  switch (k) {
    case PhiloxKernel::kAvx2: return "avx2";
    case PhiloxKernel::kAvx512: return "avx512";
    default: return "portable";
  }
}

void first_blocks_with(PhiloxKernel kernel, const std::uint64_t* ids, std::size_t n, std::uint64_t seed,
                       std::uint32_t day, std::uint16_t purpose, FirstBlocks& out) {
  if (n > FirstBlocks::kCapacity) throw std::logic_error("first_blocks: more streams than FirstBlocks holds");
  const Keys keys(seed);
  const std::uint32_t word3 = static_cast<std::uint32_t>(purpose) << 16;  // block 0 of the purpose
  switch (kernel) {
#ifdef CORRIDOR_X86_KERNELS
    case PhiloxKernel::kAvx512: avx512(ids, n, keys, day, word3, out); return;
    case PhiloxKernel::kAvx2: avx2(ids, n, keys, day, word3, out); return;
#endif
    default: portable(ids, n, keys, day, word3, out); return;
  }
}

void first_blocks(const std::uint64_t* ids, std::size_t n, std::uint64_t seed, std::uint32_t day,
                  std::uint16_t purpose, FirstBlocks& out) {
  first_blocks_with(philox_kernel(), ids, n, seed, day, purpose, out);
}

}  // namespace corridor
