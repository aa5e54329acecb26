// models/flee travel (docs/flee-rules.md "Travel"): one day's budget shared across links, link speeds,
// start_on_foot, plans, and links that close under an agent. The world is a line
//
//   A --100 km-- B --L km-- C       (L = 200 or 300)
//
// and the route tables are set so that the agent's only choice at A is the plan A->B->C
// (B's capacity factor is 0, so the one-hop path to B weighs nothing); C's move chance is 0.
#include <catch2/catch.hpp>

#include "flee_support.hpp"
#include "models/flee/movement.hpp"
#include "sim/tally.hpp"

using namespace corridor;
using namespace corridor::flee;
using corridor::test::arc_of;
using corridor::test::flee_link;
using corridor::test::flee_location;

namespace {

constexpr std::uint32_t A = 0, B = 1, C = 2;

struct Line {
  FleeCase c;
  Network net;
  PathSet paths;
  DayRoutes routes;
  std::vector<std::uint64_t> thr;
  std::vector<std::uint8_t> drop{0, 0, 0};
  std::vector<std::uint8_t> closed;
  std::vector<double> speed;
  MoveWorld world{};
  // One agent.
  std::uint64_t id = 7;
  std::uint32_t node = A, arc = kNone, path = kNone;
  std::uint8_t state = kAtLocation, hop = 0;
  float link_km = 0;
  std::uint16_t links = 0;
  ThreadSink sink;
  MoveOutput out;

  explicit Line(double bc_km, double bc_speed = 0)
      : c(make(bc_km, bc_speed)), net(build_network(c)), paths(PathSet::enumerate(net, {0, 0, 0}, 2)) {
    routes.compute(paths, {1, 1, 1}, {1, 0, 1}, std::vector<std::uint8_t>(net.arc_count(), 0), FleeSettings{});
    thr = {move_threshold(1.0), move_threshold(1.0), move_threshold(0.0)};
    closed.assign(net.arc_count(), 0);
    for (std::uint32_t a = 0; a < net.arc_count(); ++a) speed.push_back(c.links[net.arc(a).edge].max_move_speed > 0
                                                                            ? c.links[net.arc(a).edge].max_move_speed
                                                                            : 360.0);
    world = MoveWorld{&paths, &routes, thr.data(), drop.data(), closed.data(), &net.arc(0), speed.data(), 35.0, false};
    SeriesLayout layout;
    out.occupancy = layout.add({"occupancy", "", "", {Dimension{"location", {"A", "B", "C"}}}});
    out.transit = layout.add({"in_transit", "", "", {}});
    out.ev_depart = 0;
    out.ev_arrive = 1;
    out.ev_return = 2;
    sink.tally.resize(layout.cells());
  }
  static FleeCase make(double bc_km, double bc_speed) {
    FleeCase c;
    c.locations = {flee_location("A", LocationType::kTown), flee_location("B", LocationType::kTown),
                   flee_location("C", LocationType::kTown)};
    c.links = {flee_link(A, B, 100), flee_link(B, C, bc_km, bc_speed)};
    return c;
  }
  void day(int d) {
    sink.clear();
    const AgentColumns cols{&id, &node, &state, &arc, &link_km, &path, &hop, &links};
    move_agents(world, cols, 0, 1, /*seed=*/11, d, out, sink);
  }
  bool at(std::uint32_t loc) const { return state == kAtLocation && node == loc; }
  bool on(std::uint32_t from, std::uint32_t to) const {
    return state == kTravelling && arc == *net.arc_between(from, to);
  }
};

}  // namespace

TEST_CASE("an agent crosses two links in one day when their lengths fit in one day's budget", "[flee]") {
  Line w(200);  // 100 + 200 <= 360
  w.day(0);
  CHECK(w.at(C));
  CHECK(w.links == 2);
  CHECK(w.sink.tally[w.out.occupancy.at(C)] == 1);
  CHECK(w.sink.tally[w.out.transit.offset] == 0);
  // depart A, arrive B, depart B, arrive C
  REQUIRE(w.sink.events.size() == 4);
  CHECK(w.sink.events.events()[3].node == C);
}

TEST_CASE("the day's distance budget is shared across links, so the second link gets only what is left", "[flee]") {
  // 100 km to B leaves 260 km; B->C is 300 km: 260 km done tonight, 40 tomorrow. (The
  // reference code would give B->C a fresh 360 km and arrive on day 0.)
  Line w(300);
  w.day(0);
  CHECK(w.on(B, C));
  CHECK(w.link_km == Approx(260.0));
  CHECK(w.sink.tally[w.out.transit.offset] == 1);
  w.day(1);
  CHECK(w.at(C));
  CHECK(w.links == 2);
}

TEST_CASE("a slower link spends the budget at its own speed", "[flee]") {
  // After 100 km at 360 km/day, 260/360 of the day is left; at 130 km/day that is 93.9 km.
  Line w(200, 130);
  w.day(0);
  CHECK(w.on(B, C));
  CHECK(w.link_km == Approx(130.0 * 260.0 / 360.0));
}

TEST_CASE("with start_on_foot the first link goes at walking speed and the rest of that day at full speed", "[flee]") {
  Line w(200);
  w.world.start_on_foot = true;
  w.day(0);
  CHECK(w.on(A, B));
  CHECK(w.link_km == Approx(35.0));
  w.day(1);
  CHECK(w.link_km == Approx(70.0));
  w.day(2);  // 30 km walked (30/35 of the day), then 360 x 5/35 km towards C
  CHECK(w.on(B, C));
  CHECK(w.link_km == Approx(360.0 * 5.0 / 35.0));
}

TEST_CASE("an agent on a link that closes finishes it and is sent back to its start", "[flee]") {
  Line w(300);
  w.day(0);
  REQUIRE(w.on(B, C));
  w.closed[arc_of(w.net, B, C)] = 1;
  w.day(1);
  CHECK(w.at(B));
  CHECK(w.path == kNone);
  REQUIRE(w.sink.events.size() == 1);
  CHECK(w.sink.events.events()[0].kind == w.out.ev_return);
  CHECK(w.sink.events.events()[0].other == C);
}

TEST_CASE("an agent sent back by a closed link in the other direction also returns to its start", "[flee]") {
  Line w(600);
  w.node = C;
  w.thr[A] = 0;  // from C, every candidate starts with C->B (600 km: more than a day)
  w.thr[B] = 0;
  w.thr[C] = move_threshold(1.0);
  w.routes.compute(w.paths, {1, 1, 1}, {1, 1, 1}, std::vector<std::uint8_t>(w.net.arc_count(), 0), FleeSettings{});
  w.day(0);
  REQUIRE(w.state == kTravelling);
  REQUIRE(w.on(C, B));
  w.closed[arc_of(w.net, C, B)] = 1;
  w.day(1);
  CHECK(w.at(C));
}

TEST_CASE("a plan is dropped when its next link is closed, and the agent then decides afresh", "[flee]") {
  Line w(300);
  w.thr[B] = 0;  // B: nobody leaves on their own
  w.day(0);
  w.day(1);
  REQUIRE(w.at(C));
  // Start again from A, but close B->C while the agent is at B with its plan.
  Line v(600);
  v.thr[B] = 0;
  v.day(0);  // A->B (100), then 260 km of B->C
  REQUIRE(v.on(B, C));
  v.state = kAtLocation;  // put it back at B holding the plan B->C
  v.arc = kNone;
  v.node = B;
  v.path = v.paths.first(A) + 1;  // A->B->C
  v.hop = 1;
  v.closed[arc_of(v.net, B, C)] = 1;
  v.day(1);
  CHECK(v.at(B));
  CHECK(v.path == kNone);
}

TEST_CASE("a plan to a camp whose capacity factor fell below one half is dropped", "[flee]") {
  Line w(600);
  w.thr[B] = 0;
  w.node = B;
  w.path = w.paths.first(A) + 1;  // A->B->C, at B
  w.hop = 1;
  w.drop[C] = 1;
  w.day(0);
  CHECK(w.at(B));
  CHECK(w.path == kNone);
  w.drop[C] = 0;  // kept otherwise: chance 1 to continue even though B's move chance is 0
  w.path = w.paths.first(A) + 1;
  w.hop = 1;
  w.day(1);
  CHECK(w.on(B, C));
}

TEST_CASE("a move chance of 0 keeps an agent in place and 1 always moves it", "[flee]") {
  CHECK(move_threshold(0.0) == 0);
  CHECK(move_threshold(1.0) == (std::uint64_t{1} << 32));
  CHECK(move_threshold(0.5) == (std::uint64_t{1} << 31));
  Line w(200);
  w.thr[A] = 0;
  w.day(0);
  CHECK(w.at(A));
  CHECK(w.sink.events.size() == 0);
}
