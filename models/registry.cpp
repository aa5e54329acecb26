// Every rule set the binary can run, by the name a scenario gives in `model:`.
#include "models/corridor/corridor_model.hpp"
#include "models/flee/flee_model.hpp"
#include "models/flee/load_case.hpp"
#include "models/markov/markov_model.hpp"
#include "sim/runner.hpp"

namespace corridor {

namespace {
template <class Model>
std::unique_ptr<ModelRunner> make(const Scenario& sc, const ScenarioDoc& doc, const Network& net) {
  return std::make_unique<RunnerFor<Model>>(sc, doc, net);
}
}  // namespace

const std::map<std::string, ModelEntry>& model_registry() {
  static const std::map<std::string, ModelEntry> registry = {
      {"corridor", {&make<cm::CorridorModel>, nullptr}},
      {"flee", {&make<flee::FleeModel>, &flee::load_flee_network}},
      {"markov", {&make<markov::MarkovModel>, nullptr}},
  };
  return registry;
}

}  // namespace corridor
