#pragma once
// `corridor bench --model flee`: agent-steps per second of the flee model through the same
// code paths as a real run (model, engine, HDF5 series output), on a Flee scenario
// (`--scenario scenarios/flee/mali2012.yaml`) or on the synthetic grid (synthetic.hpp).
// Prints `key=value` lines, including the ratio to the reference implementation's figures
// quoted in RULES.md. A benchmark, never a test: nothing here asserts a speed.
#include <cstdint>
#include <string>

namespace corridor::flee {

struct FleeBenchOptions {
  std::string scenario;           ///< empty: the synthetic grid
  std::uint32_t locations = 2500;
  std::uint64_t agents = 100000;
  int days = 30;
  int threads = 1;
  std::uint64_t seed = 1;
  int awareness_level = 1;        ///< synthetic grid only
  bool events = false;
  std::string out;                ///< keep the HDF5 output here (default: removed)
};

/// Reference implementation's agent-steps per second (RULES.md) on the synthetic 2,500-location
/// graph, and on the published cases by the name of their scenario (scenarios/flee/<name>.yaml);
/// 0 for a scenario it was not measured on.
inline constexpr double kReferenceSyntheticStepsPerS = 6e3;
double reference_steps_per_s(const std::string& scenario_name);

int run_flee_bench(const FleeBenchOptions& o);

}  // namespace corridor::flee
