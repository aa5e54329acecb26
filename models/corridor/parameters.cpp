// The corridor model's parameters, read from a scenario or listed for the docs
// (docs/model.md §3.9 is generated from the listing); the modules' order is
// Parameters::declare's (corridor_model.cpp).
#include "models/corridor/parameters.hpp"

#include <fmt/format.h>

#include "models/corridor/corridor_model.hpp"

namespace corridor::cm {

Parameters Parameters::read(const Section& section) {
  Parameters p;
  Declarer d(&section);
  declare(d, p);
  return p;
}

namespace {
Declarer listing() {
  Parameters p;
  Declarer d(nullptr);
  Parameters::declare(d, p);
  return d;
}
}  // namespace

std::vector<ParameterDoc> parameter_docs() { return listing().docs(); }

std::string parameter_table_markdown() {
  const Declarer d = listing();
  const auto& docs = d.docs();
  const auto& modules = d.modules();
  std::string out;
  for (std::size_t m = 0; m < modules.size(); ++m) {
    const std::size_t end = m + 1 < modules.size() ? modules[m + 1].first : docs.size();
    const std::vector<ParameterDoc> rows(docs.begin() + static_cast<std::ptrdiff_t>(modules[m].first),
                                         docs.begin() + static_cast<std::ptrdiff_t>(end));
    out += fmt::format("{}**{}**: {}\n\n", m ? "\n" : "", modules[m].title, modules[m].where);
    out += corridor::parameter_table_markdown(rows, "corridor");
  }
  return out;
}

}  // namespace corridor::cm
