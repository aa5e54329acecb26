#pragma once
// A synthetic Flee case of any size for the benchmark (docs/flee.md "Benchmark"): a jittered
// square grid of towns (links to the right and lower neighbours, and a diagonal at every
// third town) 30-110 km apart, every agent mobile (default_movechance 1, no camps, no
// conflicts, no closures), agents spread evenly over the towns on day 0.
#include <cstdint>

#include "models/flee/case.hpp"

namespace corridor::flee {

FleeCase make_synthetic_case(std::uint32_t locations, std::uint64_t agents, std::uint64_t seed,
                             int awareness_level = 1);

}  // namespace corridor::flee
