#include "sim/runner.hpp"

#include <fmt/format.h>

#include "sim/routes.hpp"

namespace corridor {

std::unique_ptr<LoadedScenario> load_scenario(const ModelRegistry& models, const std::filesystem::path& file,
                                              const std::vector<std::string>& overrides) {
  InputRecorder recorder;  // the scenario file and the files it extends, then (inner recorder) the rest
  auto ls = load_scenario(models, ScenarioDoc::load(file), overrides);
  ls->inputs = recorder.inputs();
  return ls;
}

std::unique_ptr<LoadedScenario> load_scenario(const ModelRegistry& models, ScenarioDoc doc,
                                              const std::vector<std::string>& overrides) {
  InputRecorder recorder;  // the tables and the model's own files
  auto ls = std::make_unique<LoadedScenario>();
  ls->doc = std::move(doc);
  for (const auto& o : overrides) ls->doc.set(o);
  ls->scenario = Scenario::read(ls->doc);
  const Section root = ls->doc.root();
  const ModelEntry* entry = models.find(ls->scenario.model);
  if (!entry) root.fail("model", models.unknown(ls->scenario.model));
  if (ls->scenario.network.given) {
    ls->network = std::make_unique<Network>(Network::load(ls->scenario.network));
    check_reachability(*ls->network, ls->scenario.network.origins, ls->scenario.network.destinations,
                       fmt::format("{}: keys 'network.origins'/'network.destinations'", root.where("network").str()));
  } else if (entry->load_network) {
    ls->network = std::make_unique<Network>(entry->load_network(ls->scenario, ls->doc));
  } else {
    root.fail("network", "is required but missing (expected a map with nodes and edges tables)");
  }
  ls->runner = entry->make(ls->scenario, ls->doc, *ls->network);
  event_kind_mask(ls->scenario.output, ls->runner->event_kinds(), ls->scenario.model);  // throws on an unknown kind
  ls->doc.check_all_keys_used();
  ls->inputs = recorder.inputs();
  return ls;
}

}  // namespace corridor
