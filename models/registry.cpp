// Every rule set the binary can run, by the name a scenario gives in `model:`.
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
      {"markov", {&make<markov::MarkovModel>, nullptr}},
  };
  return registry;
}

}  // namespace corridor
