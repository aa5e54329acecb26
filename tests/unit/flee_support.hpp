#pragma once
// Tiny Flee cases built in code for the unit tests of models/flee.
#include <cstdint>
#include <string>
#include <vector>

#include "models/flee/case.hpp"
#include "models/flee/load_case.hpp"
#include "sim/network.hpp"

namespace corridor::test {

inline flee::Location flee_location(const std::string& name, flee::LocationType type, const std::string& country = "X",
                                    double population = 0) {
  flee::Location l;
  l.name = name;
  l.type = type;
  l.country = country;
  l.population = population;
  return l;
}

inline flee::Link flee_link(std::uint32_t a, std::uint32_t b, double km, double speed = 0) {
  flee::Link l;
  l.a = a;
  l.b = b;
  l.km = km;
  l.max_move_speed = speed;
  return l;
}

inline flee::Closure flee_closure(flee::Closure::Kind kind, std::string name1, std::string name2, int start, int end) {
  flee::Closure c;
  c.kind = kind;
  c.name1 = std::move(name1);
  c.name2 = std::move(name2);
  c.start = start;
  c.end = end;
  return c;
}

/// Index of the network arc from -> to (fails the test if there is none).
inline std::uint32_t arc_of(const Network& net, std::uint32_t from, std::uint32_t to) {
  const auto a = net.arc_between(from, to);
  REQUIRE(a.has_value());
  return *a;
}

}  // namespace corridor::test
