#pragma once
// Space-filling designs in the unit cube for `sample:` in sweep files (docs/hpc.md, "Designs"):
// a Sobol sequence and a Latin hypercube, both deterministic functions of (n, dimensions, seed)
// that give the same points on every platform and in every version (pinned by unit tests).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace corridor {

/// Rows of points in [0, 1)^d: point i is points[i], coordinate j is points[i][j].
using UnitPoints = std::vector<std::vector<double>>;

/// The most dimensions sobol_points() supports (the direction numbers tabulated in sampling.cpp).
inline constexpr std::size_t kSobolMaxDimensions = 64;

/// The first n points of the Sobol sequence in d dimensions (Gray-code order, first point 0),
/// with Joe & Kuo's direction numbers (new-joe-kuo-6.21201, the table scipy.stats.qmc.Sobol
/// uses), 32 bits per coordinate. Unscrambled: equal to scipy.stats.qmc.Sobol(d,
/// scramble=False).random(n). Throws std::invalid_argument for d > kSobolMaxDimensions or n >= 2^32.
UnitPoints sobol_points(std::size_t n, std::size_t d);

/// sobol_points(n, d) with a random digital shift: coordinate j of every point XORed with 32
/// bits drawn from Philox keyed by (seed, dimension j, purpose kSweepDesign). A digital shift
/// keeps the net's stratification (every dyadic box holds the same number of points) while
/// moving the first point off the corner; different seeds give different, equally good designs.
UnitPoints shifted_sobol_points(std::size_t n, std::size_t d, std::uint64_t seed);

/// The most points latin_hypercube() draws (a stream of sim/rng.hpp holds 2^18 numbers).
inline constexpr std::size_t kMaxLatinHypercubePoints = 200000;

/// A Latin hypercube of n points in d dimensions: in every dimension each of the n strata
/// [k/n, (k+1)/n) holds exactly one point. Dimension j uses its own Philox stream keyed by
/// (seed, dimension j, purpose kSweepDesign): a Fisher-Yates permutation of the strata, then a
/// uniform position inside each stratum. Throws std::invalid_argument for n > kMaxLatinHypercubePoints.
UnitPoints latin_hypercube(std::size_t n, std::size_t d, std::uint64_t seed);

}  // namespace corridor
