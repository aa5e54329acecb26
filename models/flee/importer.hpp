#pragma once
// `corridor run --flee INPUT_DIR --flee-data VALIDATION_DIR [--flee-settings FILE]`: a Flee
// case given by its folders, as the flee model's registry entry offers it (docs/flee.md).
#include "sim/registry.hpp"

namespace corridor::flee {

/// The options of the importer (the first selects it).
std::vector<CliOption> importer_options();
/// The scenario the given options stand for (flee_scenario.hpp). Throws InputError.
ImportedScenario import_case(const GivenOptions& given);

}  // namespace corridor::flee
