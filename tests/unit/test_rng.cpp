// Unit tests for sim/rng: counter-based streams keyed by (seed, agent, day, purpose) and the
// distributions drawn from them.
//
// Statistical checks use one fresh stream per sample (agent = sample index), the way the
// engine draws. Tolerances: a sample mean is checked within 5 standard errors,
// SE = sqrt(variance / N); a sample variance within 5 standard errors of the variance,
// SE = sqrt((mu4 - sigma^4) / N) with mu4 the distribution's fourth central moment. For a
// correct generator a 5-SE miss has probability below 1e-6 per check. The seeds are fixed, so
// every run draws the same numbers: the tests are deterministic, and these bounds were not tuned.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/rng.hpp"

using corridor::RandomStream;

namespace {

struct Moments {
  double mean = 0, var = 0;
  std::size_t n = 0;
};

Moments moments(const std::vector<double>& x) {
  Moments m;
  m.n = x.size();
  for (double v : x) m.mean += v;
  m.mean /= static_cast<double>(m.n);
  for (double v : x) m.var += (v - m.mean) * (v - m.mean);
  m.var /= static_cast<double>(m.n - 1);
  return m;
}

/// Checks mean and variance against the analytic values within 5 standard errors each.
void check_moments(const std::vector<double>& x, double mean, double var, double mu4) {
  const Moments m = moments(x);
  const double n = static_cast<double>(m.n);
  const double se_mean = std::sqrt(var / n);
  const double se_var = std::sqrt((mu4 - var * var) / n);
  INFO("sample mean " << m.mean << ", expected " << mean << " +- " << 5 * se_mean);
  CHECK(std::fabs(m.mean - mean) <= 5 * se_mean);
  INFO("sample variance " << m.var << ", expected " << var << " +- " << 5 * se_var);
  CHECK(std::fabs(m.var - var) <= 5 * se_var);
}

std::array<std::uint32_t, 8> first_numbers(std::uint64_t seed, std::uint64_t agent, std::uint32_t day,
                                           std::uint16_t purpose) {
  RandomStream s(seed, agent, day, purpose);
  std::array<std::uint32_t, 8> out{};
  for (auto& v : out) v = s.next_u32();
  return out;
}

constexpr std::uint64_t kSeed = 20240531;

}  // namespace

TEST_CASE("the same seed, agent, day and purpose give the same numbers") {
  RandomStream a(kSeed, 12345, 17, 3), b(kSeed, 12345, 17, 3);
  for (int i = 0; i < 1000; ++i) REQUIRE(a.next_u32() == b.next_u32());
  RandomStream c(kSeed, 12345, 17, 3), d(kSeed, 12345, 17, 3);
  for (int i = 0; i < 100; ++i) REQUIRE(c.uniform() == d.uniform());
}

TEST_CASE("changing any one of seed, agent, day or purpose changes the numbers") {
  const auto base = first_numbers(kSeed, 12345, 17, 3);
  // Eight 32-bit numbers agree by chance with probability 2^-256.
  CHECK(first_numbers(kSeed + 1, 12345, 17, 3) != base);
  CHECK(first_numbers(kSeed, 12346, 17, 3) != base);
  CHECK(first_numbers(kSeed, 12345, 18, 3) != base);
  CHECK(first_numbers(kSeed, 12345, 17, 4) != base);
  // The high halves of the 64-bit seed and agent take part too.
  CHECK(first_numbers(kSeed + (std::uint64_t{1} << 32), 12345, 17, 3) != base);
  CHECK(first_numbers(kSeed, 12345 + (std::uint64_t{1} << 32), 17, 3) != base);
  // So do the engine's purposes at the top of the range.
  CHECK(first_numbers(kSeed, 12345, 17, corridor::purpose::kCapacityRank) !=
        first_numbers(kSeed, 12345, 17, corridor::purpose::kSynthetic));
}

TEST_CASE("rank_hash is a deterministic function of seed, agent, day and purpose") {
  CHECK(corridor::rank_hash(kSeed, 5, 9) == corridor::rank_hash(kSeed, 5, 9));
  CHECK(corridor::rank_hash(kSeed, 5, 9) != corridor::rank_hash(kSeed, 6, 9));
  CHECK(corridor::rank_hash(kSeed, 5, 9) != corridor::rank_hash(kSeed, 5, 10));
  CHECK(corridor::rank_hash(kSeed, 5, 9) != corridor::rank_hash(kSeed + 1, 5, 9));
  CHECK(corridor::rank_hash(kSeed, 5, 9, 1) != corridor::rank_hash(kSeed, 5, 9, 2));
}

TEST_CASE("uniform draws lie from 0 up to but excluding 1 with mean 1/2 and variance 1/12") {
  const std::size_t n = 400000;
  std::vector<double> x;
  x.reserve(n);
  bool in_range = true;
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream s(kSeed, i, 0, 1);
    const double u = s.uniform();
    in_range = in_range && u >= 0.0 && u < 1.0;
    x.push_back(u);
  }
  CHECK(in_range);
  // Uniform(0,1): variance 1/12, fourth central moment 1/80.
  check_moments(x, 0.5, 1.0 / 12.0, 1.0 / 80.0);
}

TEST_CASE("a long stream of uniforms stays uniform across its refills") {
  // One stream, many blocks: checks the block counter advances rather than repeating.
  RandomStream s(kSeed, 7, 3, 2);
  const std::size_t n = 100000;
  std::vector<double> x(n);
  for (auto& v : x) v = s.uniform();
  check_moments(x, 0.5, 1.0 / 12.0, 1.0 / 80.0);
  std::size_t repeats = 0;
  for (std::size_t i = 1; i < n; ++i) repeats += x[i] == x[i - 1] ? 1 : 0;
  CHECK(repeats == 0);
}

TEST_CASE("uniform_pos lies above 0 and at most 1 and is safe to take the logarithm of") {
  bool in_range = true;
  for (std::size_t i = 0; i < 100000; ++i) {
    RandomStream s(kSeed, i, 1, 1);
    const double u = s.uniform_pos();
    in_range = in_range && u > 0.0 && u <= 1.0 && std::isfinite(std::log(u));
  }
  CHECK(in_range);
}

TEST_CASE("below(n) covers every value from 0 to n - 1 evenly and nothing else") {
  const std::uint32_t k = 7;
  const std::size_t n = 140000;
  std::array<std::size_t, k> counts{};
  bool in_range = true;
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream s(kSeed, i, 2, 1);
    const std::uint32_t v = s.below(k);
    in_range = in_range && v < k;
    if (v < k) ++counts[v];
  }
  REQUIRE(in_range);
  // Each count is Binomial(n, 1/k): within 5 standard errors sqrt(n p (1-p)) of n/k.
  const double p = 1.0 / k, se = std::sqrt(static_cast<double>(n) * p * (1 - p));
  for (std::uint32_t v = 0; v < k; ++v) {
    INFO("value " << v << " drawn " << counts[v] << " times");
    CHECK(std::fabs(static_cast<double>(counts[v]) - static_cast<double>(n) * p) <= 5 * se);
  }
  RandomStream s(kSeed, 0, 0, 0);
  for (int i = 0; i < 100; ++i) REQUIRE(s.below(1) == 0u);
}

TEST_CASE("bernoulli with p 0 never fires and with p 1 always fires") {
  RandomStream s(kSeed, 1, 1, 1);
  for (int i = 0; i < 1000; ++i) {
    REQUIRE_FALSE(s.bernoulli(0.0));
    REQUIRE(s.bernoulli(1.0));
    REQUIRE_FALSE(s.bernoulli(-0.5));  // clamped
    REQUIRE(s.bernoulli(1.5));         // clamped
  }
}

TEST_CASE("bernoulli fires with probability p") {
  const std::size_t n = 100000;
  const double p = 0.3;
  std::size_t hits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream s(kSeed, i, 4, 1);
    hits += s.bernoulli(p) ? 1 : 0;
  }
  // Binomial(n, p) count: within 5 standard errors sqrt(n p (1-p)).
  const double se = std::sqrt(static_cast<double>(n) * p * (1 - p));
  CHECK(std::fabs(static_cast<double>(hits) - static_cast<double>(n) * p) <= 5 * se);
}

TEST_CASE("exponential draws have mean 1 and variance 1") {
  std::vector<double> x;
  for (std::size_t i = 0; i < 200000; ++i) {
    RandomStream s(kSeed, i, 5, 1);
    x.push_back(s.exponential());
  }
  // Exp(1): variance 1, fourth central moment 9.
  check_moments(x, 1.0, 1.0, 9.0);
}

TEST_CASE("normal draws have mean 0 and variance 1") {
  std::vector<double> x;
  for (std::size_t i = 0; i < 200000; ++i) {
    RandomStream s(kSeed, i, 6, 1);
    x.push_back(s.normal());
  }
  // N(0,1): fourth central moment 3.
  check_moments(x, 0.0, 1.0, 3.0);
}

namespace {
std::vector<double> poisson_sample(double mean, std::size_t n, std::uint32_t day) {
  std::vector<double> x;
  x.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream s(kSeed, i, day, 9);
    x.push_back(static_cast<double>(s.poisson(mean)));
  }
  return x;
}
// Poisson(l): variance l, fourth central moment l (1 + 3 l).
void check_poisson(double mean, std::size_t n, std::uint32_t day) {
  INFO("poisson mean " << mean);
  check_moments(poisson_sample(mean, n, day), mean, mean, mean * (1 + 3 * mean));
}
}  // namespace

TEST_CASE("poisson with a small mean (inversion) has the right mean and variance") {
  check_poisson(0.05, 200000, 10);
  check_poisson(3.7, 200000, 11);
  check_poisson(9.9, 200000, 12);
}

TEST_CASE("poisson with a large mean (PTRS) has the right mean and variance") {
  check_poisson(10.0, 200000, 13);
  check_poisson(250.0, 200000, 14);
  check_poisson(1.0e5, 100000, 15);
}

TEST_CASE("poisson with a large mean puts the right mass on each value") {
  // Chi-square goodness of fit for Poisson(30) over the bins 15..45 plus the two tails.
  // The statistic has about `bins - 1` degrees of freedom; the bound is its 1 - 1e-6 quantile
  // by the Wilson-Hilferty approximation (z = 4.75).
  const double mean = 30;
  const std::size_t n = 200000;
  const auto x = poisson_sample(mean, n, 16);
  const int lo = 15, hi = 45;
  std::vector<double> observed(hi - lo + 3, 0.0), expected(hi - lo + 3, 0.0);
  for (double v : x) {
    const int k = static_cast<int>(v);
    observed[k < lo ? 0 : k > hi ? hi - lo + 2 : k - lo + 1] += 1;
  }
  double below = 0;
  for (int k = 0; k <= hi; ++k) {
    const double pk = std::exp(-mean + k * std::log(mean) - std::lgamma(k + 1.0));
    if (k < lo) below += pk;
    else expected[k - lo + 1] = pk * n;
  }
  expected[0] = below * n;
  double inside = below;
  for (int k = lo; k <= hi; ++k) inside += expected[k - lo + 1] / n;
  expected.back() = (1 - inside) * n;
  double chi2 = 0;
  for (std::size_t b = 0; b < observed.size(); ++b)
    chi2 += (observed[b] - expected[b]) * (observed[b] - expected[b]) / expected[b];
  const double df = static_cast<double>(observed.size() - 1), z = 4.75;
  const double bound = df * std::pow(1 - 2 / (9 * df) + z * std::sqrt(2 / (9 * df)), 3);
  INFO("chi-square " << chi2 << " with " << df << " degrees of freedom, bound " << bound);
  CHECK(chi2 <= bound);
}

TEST_CASE("poisson of a zero, negative or NaN mean is zero") {
  RandomStream s(kSeed, 1, 1, 1);
  CHECK(s.poisson(0.0) == 0u);
  CHECK(s.poisson(-3.0) == 0u);
  CHECK(s.poisson(std::nan("")) == 0u);
}

namespace {
// Binomial(n, p): variance n p q, fourth central moment n p q (1 + 3 (n - 2) p q).
void check_binomial(std::uint64_t trials, double p, std::size_t n, std::uint32_t day) {
  INFO("binomial n " << trials << ", p " << p);
  std::vector<double> x;
  x.reserve(n);
  bool in_range = true;
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream s(kSeed, i, day, 10);
    const std::uint64_t k = s.binomial(trials, p);
    in_range = in_range && k <= trials;
    x.push_back(static_cast<double>(k));
  }
  CHECK(in_range);
  const double nd = static_cast<double>(trials), q = 1 - p, npq = nd * p * q;
  check_moments(x, nd * p, npq, npq * (1 + 3 * (nd - 2) * p * q));
}
}  // namespace

TEST_CASE("binomial with n p below 10 (inversion) has the right mean and variance") {
  check_binomial(40, 0.1, 200000, 20);   // n p = 4
  check_binomial(5, 0.5, 200000, 21);    // n p = 2.5, p at the symmetry point
  check_binomial(1000, 0.002, 200000, 22);
}

TEST_CASE("binomial with n p of 10 or more (BTRS) has the right mean and variance") {
  check_binomial(100, 0.1, 200000, 23);  // n p = 10, the switch point
  check_binomial(1000, 0.3, 200000, 24);
  check_binomial(1000000, 0.45, 100000, 25);
}

TEST_CASE("binomial with p above 1/2 mirrors onto 1 - p on both code paths") {
  check_binomial(30, 0.9, 200000, 26);    // n (1-p) = 3: inversion
  check_binomial(1000, 0.8, 200000, 27);  // n (1-p) = 200: BTRS
}

TEST_CASE("binomial puts the right mass on each value on the BTRS path") {
  // Chi-square goodness of fit for Binomial(60, 0.4) (n p = 24) over 12..36 plus the tails;
  // bound as for the Poisson case: the 1 - 1e-6 quantile by Wilson-Hilferty (z = 4.75).
  const std::uint64_t trials = 60;
  const double p = 0.4;
  const std::size_t n = 200000;
  const int lo = 12, hi = 36;
  std::vector<double> observed(hi - lo + 3, 0.0), expected(hi - lo + 3, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream s(kSeed, i, 28, 10);
    const int k = static_cast<int>(s.binomial(trials, p));
    observed[k < lo ? 0 : k > hi ? hi - lo + 2 : k - lo + 1] += 1;
  }
  const double nd = static_cast<double>(trials);
  auto pmf = [&](int k) {
    return std::exp(std::lgamma(nd + 1) - std::lgamma(k + 1.0) - std::lgamma(nd - k + 1) + k * std::log(p) +
                    (nd - k) * std::log(1 - p));
  };
  for (int k = 0; k <= static_cast<int>(trials); ++k) {
    const double e = pmf(k) * n;
    expected[k < lo ? 0 : k > hi ? hi - lo + 2 : k - lo + 1] += e;
  }
  double chi2 = 0;
  for (std::size_t b = 0; b < observed.size(); ++b)
    chi2 += (observed[b] - expected[b]) * (observed[b] - expected[b]) / expected[b];
  const double df = static_cast<double>(observed.size() - 1), z = 4.75;
  const double bound = df * std::pow(1 - 2 / (9 * df) + z * std::sqrt(2 / (9 * df)), 3);
  INFO("chi-square " << chi2 << " with " << df << " degrees of freedom, bound " << bound);
  CHECK(chi2 <= bound);
}

TEST_CASE("binomial handles its edge cases exactly") {
  RandomStream s(kSeed, 1, 1, 1);
  CHECK(s.binomial(0, 0.5) == 0u);
  CHECK(s.binomial(100, 0.0) == 0u);
  CHECK(s.binomial(100, -0.1) == 0u);
  CHECK(s.binomial(100, 1.0) == 100u);
  CHECK(s.binomial(100, 1.5) == 100u);
  CHECK(s.binomial(100, std::nan("")) == 0u);
  CHECK(s.binomial(1, 0.5) <= 1u);
}
