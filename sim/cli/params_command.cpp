// `corridor params MODEL`: prints a model's declared parameter table in Markdown.
// docs/model.md carries this output verbatim between its params markers
// (scripts/update_model_docs.py writes it there; tests/python/test_model_docs.py checks it),
// so the table in the docs is the one the code reads, not a copy kept by hand.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>

#include "models/corridor/parameters.hpp"
#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/parameters.hpp"
#include "sim/runner.hpp"

namespace corridor {

int params_command(const ParamsArgs& args) {
  const auto& registry = model_registry();
  if (!registry.count(args.model)) {
    std::vector<std::string> names;
    for (const auto& [name, entry] : registry) names.push_back(name);
    throw InputError(fmt::format("unknown model '{}' (known: {})", args.model, fmt::join(names, ", ")));
  }
  if (args.model == "corridor") {
    fmt::print("{}", args.json ? parameter_table_json(cm::parameter_docs(), "corridor", "corridor")
                               : cm::parameter_table_markdown());
    return 0;
  }
  // The other models read their few keys by hand; their keys are documented in prose.
  const std::string where =
      args.model == "flee" ? "docs/flee.md" : fmt::format("docs/scenarios.md (section '{}')", args.model);
  fmt::print("model '{}' declares no parameter table; its scenario keys are documented in {}\n", args.model, where);
  return 0;
}

}  // namespace corridor
