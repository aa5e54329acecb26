#pragma once
// The corridor model's parameter table. Each module declares its own parameters, next to its
// code (`Module::Params::declare`, with the corridor Declarer, declarer.hpp), with default,
// unit, valid range and source; CorridorModel's Parameters lists the modules in order. The
// same declarations read the scenario's `corridor:` section and make the table that
// `corridor params corridor` prints, module by module, and that docs/model.md §3.9 carries
// (scripts/update_model_docs.py writes it; a test checks the docs agree).
#include <string>
#include <vector>

#include "sim/parameters.hpp"

namespace corridor::cm {

/// The declared parameters, in declaration order (`corridor params corridor --json`).
std::vector<ParameterDoc> parameter_docs();

}  // namespace corridor::cm
