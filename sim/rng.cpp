#include "sim/rng.hpp"

#include <algorithm>
#include <cmath>

namespace corridor {

std::uint64_t RandomStream::poisson(double mean) {
  if (!(mean > 0.0)) return 0;
  if (mean < 10.0) {
    // Inversion by sequential search on one uniform: exact.
    double u = uniform(), p = std::exp(-mean), cdf = p;
    std::uint64_t k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= mean / static_cast<double>(k);
      cdf += p;
    }
    return k;
  }
  // PTRS: transformed rejection with squeeze (Hormann 1993), exact for mean >= 10.
  const double smu = std::sqrt(mean), b = 0.931 + 2.53 * smu, a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2.0);
  const double log_mean = std::log(mean);
  for (;;) {
    const double u = uniform() - 0.5, v = uniform(), us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * log_mean - std::lgamma(k + 1.0))
      return static_cast<std::uint64_t>(k);
  }
}

std::uint64_t RandomStream::binomial(std::uint64_t n, double p) {
  if (n == 0 || !(p > 0.0)) return 0;
  if (p >= 1.0) return n;
  if (p > 0.5) return n - binomial(n, 1.0 - p);
  const double nd = static_cast<double>(n), q = 1.0 - p;
  if (nd * p < 10.0) {
    // Inversion (exact); q^n >= e^-10-ish here, so no underflow.
    const double s = p / q, a = (nd + 1.0) * s;
    double r = std::pow(q, nd), u = uniform();
    std::uint64_t x = 0;
    while (u > r && x < n) {
      u -= r;
      ++x;
      r *= a / static_cast<double>(x) - s;
    }
    return x;
  }
  // BTRS: transformed rejection with squeeze (Hormann 1993), exact for n*p >= 10.
  const double spq = std::sqrt(nd * p * q), b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p, c = nd * p + 0.5, vr = 0.92 - 4.2 / b;
  const double alpha = (2.83 + 5.1 / b) * spq, lpq = std::log(p / q);
  const double m = std::floor((nd + 1.0) * p);
  const double h = std::lgamma(m + 1.0) + std::lgamma(nd - m + 1.0);
  for (;;) {
    const double u = uniform() - 0.5;
    double v = uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + c);
    if (k < 0.0 || k > nd) continue;
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    v = std::log(v * alpha / (a / (us * us) + b));
    if (v <= h - std::lgamma(k + 1.0) - std::lgamma(nd - k + 1.0) + (k - m) * lpq)
      return static_cast<std::uint64_t>(k);
  }
}

}  // namespace corridor
