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
  };
}

ImportedScenario import_case(const GivenOptions& given) {
  const auto input = given.find("--flee");
  const auto data = given.find("--flee-data");
  if (data == given.end()) throw InputError("--flee needs --flee-data (the validation folder with data_layout.csv)");
  std::optional<std::filesystem::path> settings;
  if (const auto s = given.find("--flee-settings"); s != given.end()) settings = s->second;
  return ImportedScenario{scenario_yaml_for_folders(input->second, data->second, settings), "<--flee " + input->second + ">"};
}

}  // namespace corridor::flee
