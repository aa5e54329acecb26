#include "sim/runner.hpp"

#include <fmt/format.h>

#include "sim/routes.hpp"

namespace corridor {

std::unique_ptr<LoadedScenario> load_scenario(const std::filesystem::path& file,
                                              const std::vector<std::string>& overrides) {
  return load_scenario(ScenarioDoc::load(file), overrides);
}

std::unique_ptr<LoadedScenario> load_scenario(ScenarioDoc doc, const std::vector<std::string>& overrides) {
  auto ls = std::make_unique<LoadedScenario>();
  ls->doc = std::move(doc);
  for (const auto& o : overrides) ls->doc.set(o);
  ls->scenario = Scenario::read(ls->doc);
  const Section root = ls->doc.root();
  const auto& reg = model_registry();
  auto it = reg.find(ls->scenario.model);
  if (it == reg.end()) {
    std::vector<std::string> names;
    for (const auto& [k, v] : reg) names.push_back(k);
    root.fail("model", fmt::format("unknown model '{}' (known: {})", ls->scenario.model, fmt::join(names, ", ")));
  }
  if (ls->scenario.network.given) {
    ls->network = std::make_unique<Network>(Network::load(ls->scenario.network));
    check_reachability(*ls->network, ls->scenario.network.origins, ls->scenario.network.destinations,
                       fmt::format("{}: keys 'network.origins'/'network.destinations'", root.where("network").str()));
  } else if (it->second.load_network) {
    ls->network = std::make_unique<Network>(it->second.load_network(ls->scenario, ls->doc));
  } else {
    root.fail("network", "is required but missing (expected a map with nodes and edges tables)");
  }
  ls->runner = it->second.make(ls->scenario, ls->doc, *ls->network);
  event_kind_mask(ls->scenario.output, ls->runner->event_kinds(), ls->scenario.model);  // throws on an unknown kind
  ls->doc.check_all_keys_used();
  return ls;
}

}  // namespace corridor
