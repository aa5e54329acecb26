#pragma once
// `corridor bench --model flee`: agent-steps per second of the flee model through the same
// code paths as a real run (model, engine, HDF5 series output), on a Flee scenario
// (`--scenario scenarios/flee/mali2012.yaml`) or on the synthetic grid (synthetic.hpp).
// Its figures include the ratio to the reference implementation's figures quoted in
// docs/flee.md. A benchmark, never a test: nothing here asserts a speed.
#include <cstdint>
#include <string>

#include "sim/registry.hpp"

namespace corridor::flee {

/// Reference implementation's agent-steps per second (docs/flee-rules.md) on the synthetic 2,500-location
/// graph, and on the published cases by the name of their scenario (scenarios/flee/<name>.yaml);
/// 0 for a scenario it was not measured on.
inline constexpr double kReferenceSyntheticStepsPerS = 6e3;
double reference_steps_per_s(const std::string& scenario_name);

/// The benchmark case of the flee model's registry entry. Options (BenchRequest::options):
/// --awareness N, the synthetic grid's awareness level (default 1).
BenchReport run_bench(const BenchRequest& request);

}  // namespace corridor::flee
