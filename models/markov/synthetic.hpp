#pragma once
// A synthetic Markov case of any size, for `corridor bench` and the scaling tests: a ring of
// V nodes with chords (each node joined to i+1, i+7 and i+31), half the mass of each row
// spread over its neighbours, agents spread evenly over the nodes.
#include <cstdint>

#include "models/markov/markov_model.hpp"
#include "sim/network.hpp"
#include "sim/scenario.hpp"

namespace corridor::markov {

struct SyntheticCase {
  Network network;
  MarkovSpec spec;
  Scenario scenario;
};

SyntheticCase make_synthetic(std::uint32_t nodes, std::uint64_t agents, int days, std::uint64_t seed);

}  // namespace corridor::markov
