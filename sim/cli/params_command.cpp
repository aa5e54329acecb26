// `corridor params MODEL [--json]`: prints a model's declared parameter table, as Markdown or
// JSON. The docs carry the Markdown verbatim between their params markers
// (scripts/update_model_docs.py writes it there; tests/python/test_model_docs.py checks it),
// and scripts read defaults from the JSON, so neither keeps a copy of a default.
#include <fmt/format.h>

#include <cstdio>

#include "sim/cli/commands.hpp"
#include "sim/parameters.hpp"

namespace corridor {

int params_command(const ModelRegistry& models, const ParamsArgs& args) {
  const ModelEntry& entry = models.at(args.model);
  const std::vector<ParameterDoc> docs = entry.parameters ? entry.parameters() : std::vector<ParameterDoc>{};
  if (args.json) {
    fmt::print("{}", parameter_table_json(docs, entry.name, entry.name));
    return 0;
  }
  if (docs.empty()) {
    fmt::print("model '{}' declares no parameters; it is documented in {}\n", entry.name, entry.docs);
    return 0;
  }
  fmt::print("{}", parameter_table_markdown(docs, entry.name));
  return 0;
}

}  // namespace corridor
