#pragma once
// A sweep's design (docs/hpc.md, "Designs"): rows of values for scenario key paths, one row
// per design point, each row applied to a run as `--set key.path=value`. A design is a CSV
// file (`design: FILE.csv`) or sampled from ranges (`sample: {method, n, seed, parameters}`,
// sampling.hpp); every scenario of the sweep runs at every point.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/config.hpp"

namespace corridor {

struct Design {
  std::vector<std::string> keys;                 ///< key paths, one per column, in file order
  std::vector<std::string> points;               ///< each row's label: the CSV's `point` column, else p0000, ...
  std::vector<std::vector<std::string>> values;  ///< [row][column]: YAML text as --set reads it
  bool empty() const { return points.empty(); }
  /// Row `row` as --set assignments, in column order.
  std::vector<std::string> assignments(std::size_t row) const;
};

/// The most points a design may have.
inline constexpr std::size_t kMaxDesignPoints = 200000;

/// Reads a design CSV: a header of key paths (and optionally `point`, the rows' labels), one
/// row per point; fields are YAML values (quote those with commas, e.g. "{scale: 2, max: 1}").
/// Throws InputError naming file:line for an empty design, a duplicate or empty column, an
/// empty value, `seed` as a column, or duplicate point labels.
Design read_design_csv(const std::filesystem::path& file);

/// Expands `sample:` (the section holding method, n, seed, parameters): method lhs or sobol,
/// n points, seed (default `sweep_seed`), parameters {key.path: [low, high, lin|log]}. A
/// parameter at point i takes low + u (high - low), or exp(log low + u (log high - log low))
/// for log, u the point's coordinate (sampling.hpp); values are written with 10 significant
/// digits. Errors name the file, line and key.
Design sample_design(const Section& sample, std::uint64_t sweep_seed);

}  // namespace corridor
