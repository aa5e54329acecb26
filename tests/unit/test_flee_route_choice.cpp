// models/flee route choice (docs/flee-rules.md "Route choice") on a hand-drawn graph:
//
//        D                A: town, B: town, C: camp (score 3), D: town, M: marker, E: town
//        | 40
//        B --90-- A --190-- C
//                 | 50
//                 M --50-- E
//
// With softening 10 the awareness-1 weights from A are 1/(10+90) = 0.01 for B,
// 3/(10+190) = 0.015 for C and 1/(10+100) for E through the marker (which is not a hop).
#include <catch2/catch.hpp>
#include <cmath>

#include "flee_support.hpp"
#include "models/flee/route_choice.hpp"

using namespace corridor;
using namespace corridor::flee;
using corridor::test::arc_of;
using corridor::test::flee_link;
using corridor::test::flee_location;

namespace {

constexpr std::uint32_t A = 0, B = 1, C = 2, D = 3, M = 4, E = 5;

struct Sketch {
  FleeCase c;
  Network net;
  std::vector<std::uint8_t> marker{0, 0, 0, 0, 1, 0};
  Sketch() : c(make()), net(build_network(c)) {}
  static FleeCase make() {
    FleeCase c;
    c.locations = {flee_location("A", LocationType::kTown), flee_location("B", LocationType::kTown),
                   flee_location("C", LocationType::kCamp), flee_location("D", LocationType::kTown),
                   flee_location("M", LocationType::kMarker), flee_location("E", LocationType::kTown)};
    c.links = {flee_link(A, B, 90), flee_link(A, C, 190), flee_link(B, D, 40), flee_link(A, M, 50),
               flee_link(M, E, 50)};
    return c;
  }
  std::vector<std::uint8_t> open() const { return std::vector<std::uint8_t>(net.arc_count(), 0); }
};

const std::vector<double> kScore{1, 1, 3, 1, 1, 1};
const std::vector<double> kFull{1, 1, 1, 1, 1, 1};

std::vector<std::uint32_t> dests(const PathSet& p, std::uint32_t origin) {
  std::vector<std::uint32_t> d;
  for (std::uint32_t q = p.first(origin); q < p.first(origin + 1); ++q) d.push_back(p.dest(q));
  return d;
}

}  // namespace

TEST_CASE("awareness level 1 gives the neighbours as candidates, reaching through markers without a hop", "[flee]") {
  Sketch g;
  const PathSet p = PathSet::enumerate(g.net, g.marker, 1);
  CHECK(dests(p, A) == std::vector<std::uint32_t>{B, C, E});
  const std::uint32_t via_marker = p.first(A) + 2;
  CHECK(p.length(via_marker) == 2);
  CHECK(p.km(via_marker) == 100.0);
  CHECK(p.arc(via_marker, 0) == arc_of(g.net, A, M));
  CHECK(p.arc(via_marker, 1) == arc_of(g.net, M, E));
  CHECK(dests(p, M) == std::vector<std::uint32_t>{A, E});  // from a marker: one hop each way
}

TEST_CASE("awareness level 2 adds every loop-free two-hop path and keeps each prefix", "[flee]") {
  Sketch g;
  const PathSet p = PathSet::enumerate(g.net, g.marker, 2);
  CHECK(dests(p, A) == std::vector<std::uint32_t>{B, D, C, E});
  CHECK(p.km(p.first(A) + 1) == 130.0);
  // From D: B, then B->A, never back to D.
  CHECK(dests(p, D) == std::vector<std::uint32_t>{B, A});
}

TEST_CASE("awareness level 0 offers every link, markers included, with equal weights", "[flee]") {
  Sketch g;
  const PathSet p = PathSet::enumerate(g.net, g.marker, 0);
  CHECK(dests(p, A) == std::vector<std::uint32_t>{B, C, M});
  DayRoutes r;
  r.compute(p, kScore, kFull, g.open(), FleeSettings{});
  for (std::uint32_t q = p.first(A); q < p.first(A + 1); ++q) CHECK(r.weight(q) == 1.0);
}

TEST_CASE("a path weighs the destination score over the softened length times the capacity factor", "[flee]") {
  FleeSettings s;
  CHECK(path_weight(1.0, 90, 1.0, s) == Approx(0.01));
  CHECK(path_weight(3.0, 190, 0.5, s) == Approx(0.0075));
  s.weight_softening = 1.0;
  CHECK(path_weight(3.0, 190, 1.0, s) == Approx(0.02));
  s.weight_softening = 0.0;
  s.distance_power = 2.0;
  CHECK(path_weight(1.0, 90, 1.0, s) == Approx(1e-4));
  s.distance_power = 1.0;
  s.weight_power = 2.0;
  CHECK(path_weight(3.0, 190, 1.0, s) == Approx(0.015 * 0.015));
}

TEST_CASE("route weights use the score, the total length and the capacity factor of the destination", "[flee]") {
  Sketch g;
  const PathSet p = PathSet::enumerate(g.net, g.marker, 1);
  DayRoutes r;
  r.compute(p, kScore, kFull, g.open(), FleeSettings{});
  const std::uint32_t q = p.first(A);
  CHECK(r.weight(q) == Approx(0.01));
  CHECK(r.weight(q + 1) == Approx(0.015));
  CHECK(r.weight(q + 2) == Approx(1.0 / 110.0));
  std::vector<double> cap = kFull;
  cap[C] = 0.5;
  r.compute(p, kScore, cap, g.open(), FleeSettings{});
  CHECK(r.weight(q + 1) == Approx(0.0075));
  CHECK(r.total(A) == Approx(0.01 + 0.0075 + 1.0 / 110.0));
}

TEST_CASE("the draw picks each path over the share of the total weight it holds", "[flee]") {
  Sketch g;
  const PathSet p = PathSet::enumerate(g.net, g.marker, 1);
  DayRoutes r;
  r.compute(p, kScore, kFull, g.open(), FleeSettings{});
  const double total = 0.01 + 0.015 + 1.0 / 110.0;
  const std::uint32_t q = p.first(A);
  CHECK(r.draw(p, A, 0.0) == q);
  CHECK(r.draw(p, A, 0.01 / total - 1e-9) == q);
  CHECK(r.draw(p, A, 0.01 / total + 1e-9) == q + 1);
  CHECK(r.draw(p, A, 0.025 / total + 1e-9) == q + 2);
  CHECK(r.draw(p, A, 0.999999999) == q + 2);
}

TEST_CASE("a path through a closed link is no candidate, in either direction of the closure", "[flee]") {
  Sketch g;
  const PathSet p = PathSet::enumerate(g.net, g.marker, 2);
  auto closed = g.open();
  closed[arc_of(g.net, A, B)] = 1;
  closed[arc_of(g.net, B, A)] = 1;
  DayRoutes r;
  r.compute(p, kScore, kFull, closed, FleeSettings{});
  const std::uint32_t q = p.first(A);
  CHECK(r.weight(q) == 0.0);      // A->B
  CHECK(r.weight(q + 1) == 0.0);  // A->B->D
  CHECK(r.weight(q + 2) == Approx(0.015));
  // From B only D is left (B->A is closed).
  CHECK(r.total(B) == Approx(1.0 / 50.0));
  closed.assign(closed.size(), 1);
  r.compute(p, kScore, kFull, closed, FleeSettings{});
  CHECK(r.draw(p, A, 0.5) == kNone);
}

TEST_CASE("when every open candidate weighs zero the draw is uniform over the open ones", "[flee]") {
  Sketch g;
  const PathSet p = PathSet::enumerate(g.net, g.marker, 1);
  auto closed = g.open();
  closed[arc_of(g.net, A, C)] = 1;
  DayRoutes r;
  r.compute(p, kScore, std::vector<double>(6, 0.0), closed, FleeSettings{});
  const std::uint32_t q = p.first(A);
  CHECK(r.weight(q) == 1.0);
  CHECK(r.weight(q + 1) == 0.0);
  CHECK(r.weight(q + 2) == 1.0);
  CHECK(r.draw(p, A, 0.49) == q);
  CHECK(r.draw(p, A, 0.51) == q + 2);
}
