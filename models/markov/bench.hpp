#pragma once
// `corridor bench --model markov`: the engine's own loop on the synthetic Markov case of any
// size (synthetic.hpp), through the same code paths as a real run (model, engine, HDF5 series
// output); under mpirun the agents are partitioned over the ranks as in `corridor run`.
#include "sim/registry.hpp"

namespace corridor::markov {

BenchReport run_bench(const BenchRequest& request);

}  // namespace corridor::markov
