// models/flee closures (docs/flee-rules.md "Closures"): each type closes its links in both directions
// on days [start, end), and a camp closure turns the camp into a town.
//
//   A(X) --- B(X) --- C(Y) --- D(Y)        countries X and Y; E is a camp in Y
//    \________________________/  A-D       C --- E(Y)
#include <catch2/catch.hpp>

#include "flee_support.hpp"
#include "models/flee/closures.hpp"

using namespace corridor;
using namespace corridor::flee;
using corridor::test::arc_of;
using corridor::test::flee_link;
using corridor::test::flee_location;

namespace {

constexpr std::uint32_t A = 0, B = 1, C = 2, D = 3, E = 4;

struct World {
  FleeCase c;
  Network net;
  explicit World(std::vector<Closure> closures) : c(make(std::move(closures))), net(build_network(c)) {}
  static FleeCase make(std::vector<Closure> closures) {
    FleeCase c;
    c.locations = {flee_location("A", LocationType::kTown, "X"), flee_location("B", LocationType::kTown, "X"),
                   flee_location("C", LocationType::kTown, "Y"), flee_location("D", LocationType::kTown, "Y"),
                   flee_location("E", LocationType::kCamp, "Y", 1000)};
    c.links = {flee_link(A, B, 10), flee_link(B, C, 10), flee_link(C, D, 10), flee_link(A, D, 10), flee_link(C, E, 10)};
    c.closures = std::move(closures);
    return c;
  }
  bool closed(const ClosureState& s, std::uint32_t a, std::uint32_t b) const { return s.arc_closed(arc_of(net, a, b)); }
};

const auto closure = corridor::test::flee_closure;

}  // namespace

TEST_CASE("a country closure closes every link between the two countries both ways on days start to end - 1", "[flee]") {
  World w({closure(Closure::Kind::kCountry, "X", "Y", 2, 5)});
  ClosureState s(w.c, w.net);
  for (int day : {0, 1, 5, 6}) {
    s.apply(day);
    INFO("day " << day);
    CHECK(s.closed_arc_count() == 0);
  }
  for (int day : {2, 4}) {
    s.apply(day);
    INFO("day " << day);
    CHECK(w.closed(s, B, C));
    CHECK(w.closed(s, C, B));
    CHECK(w.closed(s, A, D));
    CHECK(w.closed(s, D, A));
    CHECK_FALSE(w.closed(s, A, B));  // inside X
    CHECK_FALSE(w.closed(s, C, D));  // inside Y
    CHECK(s.closed_arc_count() == 4);
  }
}

TEST_CASE("a country closure names the two countries in either order", "[flee]") {
  World w({closure(Closure::Kind::kCountry, "Y", "X", 0, -1)});
  ClosureState s(w.c, w.net);
  s.apply(100);
  CHECK(w.closed(s, B, C));
  CHECK(w.closed(s, C, B));
}

TEST_CASE("a location closure closes every link into and out of the location", "[flee]") {
  World w({closure(Closure::Kind::kLocation, "B", "", 0, -1)});
  ClosureState s(w.c, w.net);
  s.apply(0);
  CHECK(w.closed(s, A, B));
  CHECK(w.closed(s, B, A));
  CHECK(w.closed(s, B, C));
  CHECK(w.closed(s, C, B));
  CHECK(s.closed_arc_count() == 4);
}

TEST_CASE("a link closure closes the link in both directions, unlike the reference code", "[flee]") {
  World w({closure(Closure::Kind::kLink, "D", "C", 1, 3)});
  ClosureState s(w.c, w.net);
  s.apply(0);
  CHECK_FALSE(w.closed(s, C, D));
  s.apply(1);
  CHECK(w.closed(s, C, D));
  CHECK(w.closed(s, D, C));
  CHECK(s.closed_arc_count() == 2);
  s.apply(3);
  CHECK_FALSE(w.closed(s, D, C));
}

TEST_CASE("a camp closure marks the camp closed and leaves its links open", "[flee]") {
  World w({closure(Closure::Kind::kCamp, "E", "", 4, 6)});
  ClosureState s(w.c, w.net);
  s.apply(3);
  CHECK_FALSE(s.camp_closed(E));
  s.apply(5);
  CHECK(s.camp_closed(E));
  CHECK(s.closed_arc_count() == 0);
  s.apply(6);
  CHECK_FALSE(s.camp_closed(E));
}

TEST_CASE("a link stays closed until the last of two overlapping closures ends", "[flee]") {
  World w({closure(Closure::Kind::kLink, "A", "B", 0, 3), closure(Closure::Kind::kLocation, "A", "", 2, 6)});
  ClosureState s(w.c, w.net);
  for (int day = 0; day < 6; ++day) {
    s.apply(day);
    INFO("day " << day);
    CHECK(w.closed(s, A, B));
    CHECK(w.closed(s, B, A));
  }
  s.apply(6);
  CHECK_FALSE(w.closed(s, A, B));
}
