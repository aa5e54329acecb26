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

std::vector<ParameterDoc> parameter_docs() {
  Parameters p;
  Declarer d(nullptr);
  Parameters::declare(d, p);
  return d.docs();
}

}  // namespace corridor::cm
