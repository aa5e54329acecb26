#include "models/flee/synthetic.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/rng.hpp"

namespace corridor::flee {

FleeCase make_synthetic_case(std::uint32_t locations, std::uint64_t agents, std::uint64_t seed, int awareness_level) {
  if (locations < 2) throw std::invalid_argument("a synthetic Flee case needs at least 2 locations");
  FleeCase c;
  c.source = "synthetic grid";
  c.settings.default_movechance = 1.0;  // every agent moves every day
  c.settings.awareness_level = awareness_level;
  const auto side = static_cast<std::uint32_t>(std::ceil(std::sqrt(static_cast<double>(locations))));
  std::vector<double> x(locations), y(locations);
  for (std::uint32_t i = 0; i < locations; ++i) {
    // Grid step 70 km, each town moved up to +-20 km: links of roughly 30-110 km.
    RandomStream rng(seed, i, 0, purpose::kSynthetic);
    x[i] = 70.0 * (i % side) + 40.0 * (rng.uniform() - 0.5);
    y[i] = 70.0 * (i / side) + 40.0 * (rng.uniform() - 0.5);
    Location l;
    l.name = fmt::format("t{}", i);  // (not "t" + to_string: a GCC 12 -Wrestrict false positive)
    l.country = "Synthetia";
    l.type = LocationType::kTown;
    l.lat = y[i] / 111.0;
    l.lon = x[i] / 111.0;
    l.population = 10000;
    c.locations.push_back(std::move(l));
  }
  auto link = [&](std::uint32_t a, std::uint32_t b) {
    Link l;
    l.a = a;
    l.b = b;
    l.km = std::round(std::hypot(x[a] - x[b], y[a] - y[b]));
    c.links.push_back(l);
  };
  for (std::uint32_t i = 0; i < locations; ++i) {
    const std::uint32_t col = i % side;
    if (col + 1 < side && i + 1 < locations) link(i, i + 1);
    if (i + side < locations) link(i, i + side);
    if (i % 3 == 0 && col + 1 < side && i + side + 1 < locations) link(i, i + side + 1);
  }
  for (std::uint32_t i = 0; i < locations; ++i)
    c.initial_agents.push_back({i, agents / locations + (i < agents % locations ? 1 : 0)});
  return c;
}

}  // namespace corridor::flee
