#pragma once
// `corridor run --flee INPUT_DIR --flee-data VALIDATION_DIR [--flee-settings FILE] [--flee-strict]`: the
// scenario document those options stand for, synthesized in memory so that a Flee folder and
// a scenario file (scenarios/flee/mali2012.yaml) run through one code path.
#include <filesystem>
#include <optional>
#include <string>

namespace corridor::flee {

/// YAML text of a `model: flee` scenario for the given folders: calendar from
/// INPUT_DIR/sim_period.csv, absolute paths, seed 1 (a --seed or --set changes it); `strict`
/// sets `flee.strict` (what the reference ignores is an error, not a warning).
/// Throws InputError naming the folder or file that is missing or malformed.
std::string scenario_yaml_for_folders(const std::filesystem::path& input, const std::filesystem::path& validation,
                                      const std::optional<std::filesystem::path>& settings, bool strict = false);

}  // namespace corridor::flee
