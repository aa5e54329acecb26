#include "sim/sweep/sampling.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "sim/rng.hpp"

namespace corridor {

namespace {

/// Direction numbers of the first 64 dimensions of Joe & Kuo's new-joe-kuo-6.21201 (S. Joe and
/// F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional projections", SIAM J.
/// Sci. Comput. 30, 2635-2654, 2008): per dimension the primitive polynomial, encoded with its
/// leading and constant terms as bits (x^3 + x + 1 = 0b1011 = 11), and the initial odd numbers
/// m_1..m_s, s its degree. Dimension 1 (polynomial 1) is the van der Corput sequence.
struct Direction {
  std::uint32_t poly;
  std::array<std::uint32_t, 9> m;
};
constexpr std::array<Direction, kSobolMaxDimensions> kJoeKuo = {{
    {1, {1}},
    {3, {1}},
    {7, {1, 3}},
    {11, {1, 3, 1}},
    {13, {1, 1, 1}},
    {19, {1, 1, 3, 3}},
    {25, {1, 3, 5, 13}},
    {37, {1, 1, 5, 5, 17}},
    {41, {1, 1, 5, 5, 5}},
    {47, {1, 1, 7, 11, 19}},
    {55, {1, 1, 5, 1, 1}},
    {59, {1, 1, 1, 3, 11}},
    {61, {1, 3, 5, 5, 31}},
    {67, {1, 3, 3, 9, 7, 49}},
    {91, {1, 1, 1, 15, 21, 21}},
    {97, {1, 3, 1, 13, 27, 49}},
    {103, {1, 1, 1, 15, 7, 5}},
    {109, {1, 3, 1, 15, 13, 25}},
    {115, {1, 1, 5, 5, 19, 61}},
    {131, {1, 3, 7, 11, 23, 15, 103}},
    {137, {1, 3, 7, 13, 13, 15, 69}},
    {143, {1, 1, 3, 13, 7, 35, 63}},
    {145, {1, 3, 5, 9, 1, 25, 53}},
    {157, {1, 3, 1, 13, 9, 35, 107}},
    {167, {1, 3, 1, 5, 27, 61, 31}},
    {171, {1, 1, 5, 11, 19, 41, 61}},
    {185, {1, 3, 5, 3, 3, 13, 69}},
    {191, {1, 1, 7, 13, 1, 19, 1}},
    {193, {1, 3, 7, 5, 13, 19, 59}},
    {203, {1, 1, 3, 9, 25, 29, 41}},
    {211, {1, 3, 5, 13, 23, 1, 55}},
    {213, {1, 3, 7, 3, 13, 59, 17}},
    {229, {1, 3, 1, 3, 5, 53, 69}},
    {239, {1, 1, 5, 5, 23, 33, 13}},
    {241, {1, 1, 7, 7, 1, 61, 123}},
    {247, {1, 1, 7, 9, 13, 61, 49}},
    {253, {1, 3, 3, 5, 3, 55, 33}},
    {285, {1, 3, 1, 15, 31, 13, 49, 245}},
    {299, {1, 3, 5, 15, 31, 59, 63, 97}},
    {301, {1, 3, 1, 11, 11, 11, 77, 249}},
    {333, {1, 3, 1, 11, 27, 43, 71, 9}},
    {351, {1, 1, 7, 15, 21, 11, 81, 45}},
    {355, {1, 3, 7, 3, 25, 31, 65, 79}},
    {357, {1, 3, 1, 1, 19, 11, 3, 205}},
    {361, {1, 1, 5, 9, 19, 21, 29, 157}},
    {369, {1, 3, 7, 11, 1, 33, 89, 185}},
    {391, {1, 3, 3, 3, 15, 9, 79, 71}},
    {397, {1, 3, 7, 11, 15, 39, 119, 27}},
    {425, {1, 1, 3, 1, 11, 31, 97, 225}},
    {451, {1, 1, 1, 3, 23, 43, 57, 177}},
    {463, {1, 3, 7, 7, 17, 17, 37, 71}},
    {487, {1, 3, 1, 5, 27, 63, 123, 213}},
    {501, {1, 1, 3, 5, 11, 43, 53, 133}},
    {529, {1, 3, 5, 5, 29, 17, 47, 173, 479}},
    {539, {1, 3, 3, 11, 3, 1, 109, 9, 69}},
    {545, {1, 1, 1, 5, 17, 39, 23, 5, 343}},
    {557, {1, 3, 1, 5, 25, 15, 31, 103, 499}},
    {563, {1, 1, 1, 11, 11, 17, 63, 105, 183}},
    {601, {1, 1, 5, 11, 9, 29, 97, 231, 363}},
    {607, {1, 1, 5, 15, 19, 45, 41, 7, 383}},
    {617, {1, 3, 7, 7, 31, 19, 83, 137, 221}},
    {623, {1, 1, 1, 3, 23, 15, 111, 223, 83}},
    {631, {1, 1, 5, 13, 31, 15, 55, 25, 161}},
    {637, {1, 1, 3, 13, 25, 47, 39, 87, 257}}
}};

constexpr int kBits = 32;

/// The 32 direction integers v_1..v_32 of dimension j (v_k has its leading bit at 2^(32-k)).
std::array<std::uint32_t, kBits> directions(std::size_t j) {
  std::array<std::uint32_t, kBits> v{};
  const Direction& dir = kJoeKuo[j];
  int s = 0;
  while ((dir.poly >> (s + 1)) != 0) ++s;  // the polynomial's degree
  if (s == 0) {
    for (int k = 1; k <= kBits; ++k) v[k - 1] = std::uint32_t{1} << (kBits - k);
    return v;
  }
  for (int k = 1; k <= s && k <= kBits; ++k) v[k - 1] = dir.m[k - 1] << (kBits - k);
  // Bratley and Fox's recurrence: v_k = v_{k-s} ^ (v_{k-s} >> s) ^ XOR_{i=1}^{s-1} a_i v_{k-i},
  // a_i the polynomial's coefficient of x^(s-i).
  for (int k = s + 1; k <= kBits; ++k) {
    std::uint32_t x = v[k - s - 1] ^ (v[k - s - 1] >> s);
    for (int i = 1; i < s; ++i)
      if ((dir.poly >> (s - i)) & 1u) x ^= v[k - i - 1];
    v[k - 1] = x;
  }
  return v;
}

std::vector<std::vector<std::uint32_t>> sobol_integers(std::size_t n, std::size_t d) {
  if (d > kSobolMaxDimensions)
    throw std::invalid_argument("a Sobol design has at most " + std::to_string(kSobolMaxDimensions) +
                                " dimensions, not " + std::to_string(d));
  if (n >= (std::size_t{1} << 32)) throw std::invalid_argument("a Sobol design has fewer than 2^32 points");
  std::vector<std::array<std::uint32_t, kBits>> v;
  for (std::size_t j = 0; j < d; ++j) v.push_back(directions(j));
  std::vector<std::vector<std::uint32_t>> out(n, std::vector<std::uint32_t>(d, 0));
  std::vector<std::uint32_t> x(d, 0);
  for (std::size_t i = 1; i < n; ++i) {
    // Gray-code order: point i differs from point i-1 by the direction of the lowest zero bit of i-1.
    int c = 0;
    for (std::size_t b = i - 1; b & 1; b >>= 1) ++c;
    for (std::size_t j = 0; j < d; ++j) x[j] ^= v[j][static_cast<std::size_t>(c)];
    out[i] = x;
  }
  return out;
}

constexpr double kTwoTo32 = 4294967296.0;

}  // namespace

UnitPoints sobol_points(std::size_t n, std::size_t d) {
  UnitPoints out;
  out.reserve(n);
  for (const auto& row : sobol_integers(n, d)) {
    std::vector<double> p(d);
    for (std::size_t j = 0; j < d; ++j) p[j] = row[j] / kTwoTo32;
    out.push_back(std::move(p));
  }
  return out;
}

UnitPoints shifted_sobol_points(std::size_t n, std::size_t d, std::uint64_t seed) {
  std::vector<std::uint32_t> shift(d);
  for (std::size_t j = 0; j < d; ++j) shift[j] = RandomStream(seed, j, 0, purpose::kSweepDesign).next_u32();
  UnitPoints out;
  out.reserve(n);
  for (const auto& row : sobol_integers(n, d)) {
    std::vector<double> p(d);
    for (std::size_t j = 0; j < d; ++j) p[j] = (row[j] ^ shift[j]) / kTwoTo32;
    out.push_back(std::move(p));
  }
  return out;
}

UnitPoints latin_hypercube(std::size_t n, std::size_t d, std::uint64_t seed) {
  if (n > kMaxLatinHypercubePoints)
    throw std::invalid_argument("a Latin hypercube has at most " + std::to_string(kMaxLatinHypercubePoints) +
                                " points, not " + std::to_string(n));
  UnitPoints out(n, std::vector<double>(d, 0.0));
  for (std::size_t j = 0; j < d; ++j) {
    // Day 1: the permutation of dimension j (day 0 is the Sobol shift of the same seed).
    RandomStream perm(seed, j, 1, purpose::kSweepDesign);
    std::vector<std::size_t> stratum(n);
    for (std::size_t k = 0; k < n; ++k) stratum[k] = k;
    for (std::size_t k = n; k > 1; --k) {  // Fisher-Yates
      const std::size_t r = perm.below(static_cast<std::uint32_t>(k));
      std::swap(stratum[k - 1], stratum[r]);
    }
    // Day 2 + i: the position of point i inside its stratum.
    for (std::size_t i = 0; i < n; ++i) {
      RandomStream pos(seed, j, static_cast<std::uint32_t>(2 + i), purpose::kSweepDesign);
      out[i][j] = (static_cast<double>(stratum[i]) + pos.uniform()) / static_cast<double>(n);
    }
  }
  return out;
}

}  // namespace corridor
