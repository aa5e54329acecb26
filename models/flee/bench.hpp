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

/// Reference implementation's figures (RULES.md): Mali 2012 and a synthetic 2,500-location graph.
inline constexpr double kReferenceMaliStepsPerS = 2.3e5;
inline constexpr double kReferenceSyntheticStepsPerS = 6e3;

/// The benchmark case of the flee model's registry entry. Options (BenchRequest::options):
/// --awareness N, the synthetic grid's awareness level (default 1).
BenchReport run_bench(const BenchRequest& request);

}  // namespace corridor::flee
