#include "models/flee/importer.hpp"

#include <optional>

#include "models/flee/flee_scenario.hpp"
#include "sim/error.hpp"

namespace corridor::flee {

std::vector<CliOption> importer_options() {
  return {
      {"--flee", "Run a Flee input folder (locations.csv, routes.csv, ...)", true},
      {"--flee-data", "With --flee: the validation folder (data_layout.csv)", true},
      {"--flee-settings", "With --flee: simsetting.yml (default: Flee's defaults)", true},
      {"--flee-strict", "With --flee: what Flee's reader ignores (and corridor warns about) is an error", false},
  };
}

ImportedScenario import_case(const GivenOptions& given) {
  const auto input = given.find("--flee");
  const auto data = given.find("--flee-data");
  if (data == given.end()) throw InputError("--flee needs --flee-data (the validation folder with data_layout.csv)");
  std::optional<std::filesystem::path> settings;
  if (const auto s = given.find("--flee-settings"); s != given.end()) settings = s->second;
  const bool strict = given.count("--flee-strict") > 0;
  return ImportedScenario{scenario_yaml_for_folders(input->second, data->second, settings, strict),
                          "<--flee " + input->second + ">"};
}

}  // namespace corridor::flee
