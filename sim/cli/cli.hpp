#pragma once
// `corridor`: the command line. It parses arguments and calls the engine (sim/run.hpp,
// sim/sweep/runner.hpp, ...); what differs between models it asks the registry it is given
// (sim/registry.hpp). Exit codes: 0 success, 2 bad input, 1 internal error, 128 + signal.
#include "sim/registry.hpp"

namespace corridor {

int run_cli(int argc, char** argv, const ModelRegistry& models);

}  // namespace corridor
