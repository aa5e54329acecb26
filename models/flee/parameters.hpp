#pragma once
// The flee model's parameter table for `corridor params flee`: the keys of the scenario's
// `flee:` section, then every Flee setting of settings_table() (settings.hpp), which may also
// be given under `flee:` by section (e.g. `flee.move_rules.max_move_speed`).
#include <vector>

#include "sim/parameters.hpp"

namespace corridor::flee {

std::vector<ParameterDoc> parameter_docs();

}  // namespace corridor::flee
