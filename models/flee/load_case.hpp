#pragma once
// From a scenario's `flee:` section to a FleeCase and its network (docs/flee.md "Scenario keys").
//
//   flee:
//     input: DIR            # locations.csv, routes.csv, closures.csv, conflicts.csv, sim_period.csv
//     validation: DIR       # data_layout.csv and its files
//     settings: FILE        # simsetting.yml (optional: Flee's defaults)
//     registration_corrections: true   # apply DIR/registration_corrections.csv when present
//     move_rules: {...}     # optional overrides of settings keys, same sections as simsetting.yml
#include <filesystem>

#include "models/flee/case.hpp"
#include "sim/config.hpp"
#include "sim/network.hpp"
#include "sim/scenario.hpp"

namespace corridor::flee {

/// Reads every file the `flee:` section names; checks that the scenario starts on
/// sim_period.csv's StartDate (conflict and closure days count from it). Throws InputError.
FleeCase load_case(const Scenario& scenario, const ScenarioDoc& doc);

/// The network of a case: node i = location i (id = name, kind = location type), edge e = link e.
Network build_network(const FleeCase& c);

/// The registry's NetworkLoader for `model: flee` (reads locations.csv and routes.csv).
Network load_flee_network(const Scenario& scenario, const ScenarioDoc& doc);

/// A directory named by `key` of `section`, relative to the file that set it.
std::filesystem::path section_dir(const Section& section, const std::string& key);

}  // namespace corridor::flee
