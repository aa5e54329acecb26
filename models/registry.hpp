#pragma once
// Every model the binary knows (docs/architecture.md, "How to add a model"): the one place
// that names them. The command line receives this registry from main() (app/main.cpp).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sim/registry.hpp"
#include "sim/runner.hpp"

namespace corridor {

namespace models {
const ModelRegistry& registry();
}  // namespace models

/// load_scenario (sim/runner.hpp) with the models this binary carries (for tests and tools).
inline std::unique_ptr<LoadedScenario> load_scenario(const std::filesystem::path& file,
                                                     const std::vector<std::string>& overrides) {
  return load_scenario(models::registry(), file, overrides);
}

}  // namespace corridor
