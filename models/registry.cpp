// Every rule set the binary can run, by the name a scenario gives in `model:`, with what the
// engine and the command line need to know of each (sim/registry.hpp).
#include "models/registry.hpp"

#include "models/corridor/corridor_model.hpp"
#include "models/corridor/parameters.hpp"
#include "models/flee/bench.hpp"
#include "models/flee/flee_model.hpp"
#include "models/flee/importer.hpp"
#include "models/flee/load_case.hpp"
#include "models/flee/parameters.hpp"
#include "models/markov/bench.hpp"
#include "models/markov/markov_model.hpp"
#include "sim/runner.hpp"

namespace corridor::models {

const ModelRegistry& registry() {
  static const ModelRegistry models({
      ModelEntry{
          .name = "corridor",
          .summary = "migration through Central America, Mexico and the US southwest border",
          .docs = "docs/model.md",
          .make = &make_runner<cm::CorridorModel>,
          .parameters = &cm::parameter_docs,
      },
      ModelEntry{
          .name = "flee",
          .summary = "Flee's rule set for conflict-driven displacement",
          .docs = "docs/flee.md",
          .make = &make_runner<flee::FleeModel>,
          .load_network = &flee::load_flee_network,
          .parameters = &flee::parameter_docs,
          .bench = BenchCase{{{"--awareness", "flee synthetic grid: awareness level (0-6, default 1)", true}},
                             false,
                             false,
                             &flee::run_bench},
          .importer = Importer{flee::importer_options(), &flee::import_case},
      },
      ModelEntry{
          .name = "markov",
          .summary = "the verification model: agents walk a Markov chain over the network",
          .docs = "docs/scenarios.md",
          .make = &make_runner<markov::MarkovModel>,
          .parameters = &markov::parameter_docs,
          .bench = BenchCase{{}, true, true, &markov::run_bench},
      },
  });
  return models;
}

}  // namespace corridor::models
