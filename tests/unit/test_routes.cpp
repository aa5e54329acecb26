// Unit tests for sim/routes: next-hop tables (Dijkstra to a destination), k shortest
// loop-free routes (Yen) and the reachability check, on small graphs solved by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "sim/network.hpp"
#include "sim/rng.hpp"
#include "sim/routes.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::kNoNode;
using corridor::Network;
using corridor::Route;
using corridor::RouteTable;
using corridor::test::input_error_of;

namespace {

Network make_network(const std::vector<std::string>& ids, const std::vector<corridor::EdgeInfo>& edges,
                     bool directed) {
  std::vector<corridor::NodeInfo> nodes;
  for (const auto& id : ids) {
    corridor::NodeInfo n;
    n.id = id;
    n.name = id;
    nodes.push_back(n);
  }
  return Network::build(std::move(nodes), edges, directed);
}

// A=0 B=1 C=2 D=3 E=4, F=5 isolated. Undirected lengths:
//   A-B 2, A-C 5, B-C 2, B-D 7, C-D 2, C-E 1, E-D 5
// Every loop-free route from A to D, by hand:
//   A-B-C-D 6, A-C-D 7, A-B-D 9, A-B-C-E-D 10, A-C-E-D 11, A-C-B-D 14.
// Shortest distances to D: D 0, C 2, E 3 (via C), B 4 (via C), A 6 (via B).
enum : std::uint32_t { A, B, C, D, E, F };
Network hand_graph() {
  return make_network({"A", "B", "C", "D", "E", "F"},
                      {{A, B, 2, ""}, {A, C, 5, ""}, {B, C, 2, ""}, {B, D, 7, ""}, {C, D, 2, ""}, {C, E, 1, ""},
                       {E, D, 5, ""}},
                      false);
}

/// A route's arcs join its nodes, its length is their sum, and it visits no node twice.
void check_route_is_consistent(const Network& net, const Route& r, std::uint32_t from, std::uint32_t to) {
  REQUIRE(r.nodes.size() >= 2);
  CHECK(r.nodes.front() == from);
  CHECK(r.nodes.back() == to);
  REQUIRE(r.arcs.size() == r.nodes.size() - 1);
  double km = 0;
  for (std::size_t i = 0; i < r.arcs.size(); ++i) {
    CHECK(net.arc(r.arcs[i]).from == r.nodes[i]);
    CHECK(net.arc(r.arcs[i]).to == r.nodes[i + 1]);
    km += net.arc(r.arcs[i]).km;
  }
  CHECK(r.km == Approx(km));
  const std::set<std::uint32_t> distinct(r.nodes.begin(), r.nodes.end());
  CHECK(distinct.size() == r.nodes.size());
}

}  // namespace

TEST_CASE("a route table gives each node its next hop and the km left on a shortest route") {
  const Network net = hand_graph();
  const RouteTable t = RouteTable::to(net, D);
  CHECK(t.destination() == D);
  CHECK(t.km_to_go(D) == 0);
  CHECK(t.km_to_go(C) == 2);
  CHECK(t.km_to_go(E) == 3);
  CHECK(t.km_to_go(B) == 4);
  CHECK(t.km_to_go(A) == 6);
  CHECK(t.next_hop(A) == B);
  CHECK(t.next_hop(B) == C);
  CHECK(t.next_hop(C) == D);
  CHECK(t.next_hop(E) == C);
  CHECK(t.next_hop(D) == kNoNode);
  CHECK(t.reachable(D));
  CHECK(t.path_from(A) == std::vector<std::uint32_t>{A, B, C, D});
  CHECK(t.path_from(E) == std::vector<std::uint32_t>{E, C, D});
  CHECK(t.path_from(D) == std::vector<std::uint32_t>{D});
}

TEST_CASE("a node that cannot reach the destination has no next hop, infinite km and no path") {
  const Network net = hand_graph();
  const RouteTable t = RouteTable::to(net, D);
  CHECK_FALSE(t.reachable(F));
  CHECK(t.next_hop(F) == kNoNode);
  CHECK(std::isinf(t.km_to_go(F)));
  CHECK(t.path_from(F).empty());
  // And from the isolated node's side nothing is reachable but itself.
  const RouteTable tf = RouteTable::to(net, F);
  CHECK(tf.reachable(F));
  for (std::uint32_t n : {A, B, C, D, E}) CHECK_FALSE(tf.reachable(n));
}

TEST_CASE("route tables follow arc directions in a directed network") {
  // X -> Y -> Z, and a long way back Z -> X.
  const Network net = make_network({"X", "Y", "Z"}, {{0, 1, 1, ""}, {1, 2, 1, ""}, {2, 0, 10, ""}}, true);
  const RouteTable to_z = RouteTable::to(net, 2);
  CHECK(to_z.km_to_go(0) == 2);
  CHECK(to_z.next_hop(0) == 1);
  const RouteTable to_x = RouteTable::to(net, 0);
  CHECK(to_x.km_to_go(1) == 11);  // Y -> Z -> X; the arc X -> Y cannot be walked backwards
  CHECK(to_x.path_from(1) == std::vector<std::uint32_t>{1, 2, 0});

  const auto tables = corridor::route_tables(net, {2, 0});
  REQUIRE(tables.size() == 2);
  CHECK(tables[0].destination() == 2);
  CHECK(tables[1].destination() == 0);
  CHECK(tables[1].km_to_go(1) == 11);
}

TEST_CASE("k shortest routes are the hand-computed loop-free routes, shortest first") {
  const Network net = hand_graph();
  const auto routes = corridor::k_shortest_routes(net, A, D, 4);
  REQUIRE(routes.size() == 4);
  CHECK(routes[0].nodes == std::vector<std::uint32_t>{A, B, C, D});
  CHECK(routes[0].km == 6);
  CHECK(routes[1].nodes == std::vector<std::uint32_t>{A, C, D});
  CHECK(routes[1].km == 7);
  CHECK(routes[2].nodes == std::vector<std::uint32_t>{A, B, D});
  CHECK(routes[2].km == 9);
  CHECK(routes[3].nodes == std::vector<std::uint32_t>{A, B, C, E, D});
  CHECK(routes[3].km == 10);
  for (const auto& r : routes) check_route_is_consistent(net, r, A, D);
}

TEST_CASE("k shortest routes returns fewer than k when fewer loop-free routes exist") {
  const Network net = hand_graph();
  const auto routes = corridor::k_shortest_routes(net, A, D, 20);
  REQUIRE(routes.size() == 6);
  const std::vector<double> km{6, 7, 9, 10, 11, 14};
  for (std::size_t i = 0; i < routes.size(); ++i) {
    CHECK(routes[i].km == km[i]);
    check_route_is_consistent(net, routes[i], A, D);
  }
  CHECK(routes[4].nodes == std::vector<std::uint32_t>{A, C, E, D});
  CHECK(routes[5].nodes == std::vector<std::uint32_t>{A, C, B, D});

  // A directed line has exactly one route, and none backwards.
  const Network line = make_network({"P", "Q", "R"}, {{0, 1, 1, ""}, {1, 2, 1, ""}}, true);
  CHECK(corridor::k_shortest_routes(line, 0, 2, 3).size() == 1);
  CHECK(corridor::k_shortest_routes(line, 2, 0, 3).empty());
}

TEST_CASE("k shortest routes is empty for k of zero, the same node or an unreachable one") {
  const Network net = hand_graph();
  CHECK(corridor::k_shortest_routes(net, A, D, 0).empty());
  CHECK(corridor::k_shortest_routes(net, A, D, -1).empty());
  CHECK(corridor::k_shortest_routes(net, A, A, 3).empty());
  CHECK(corridor::k_shortest_routes(net, A, F, 3).empty());
  const auto one = corridor::k_shortest_routes(net, A, D, 1);
  REQUIRE(one.size() == 1);
  CHECK(one[0].nodes == std::vector<std::uint32_t>{A, B, C, D});
}

TEST_CASE("k shortest routes agree with brute-force enumeration on random small graphs") {
  // Random graphs of 7 nodes with integer lengths 1-4 (sums are exact, and ties are common),
  // directed and undirected. Enumerate every loop-free route by depth-first search and
  // compare lengths: Yen must return the k shortest, each distinct, valid and loop-free.
  int graphs = 0;
  for (std::uint64_t g = 0; g < 60; ++g) {
    corridor::RandomStream rng(99, g, 0, 7);
    const bool directed = g % 2 == 1;
    const std::uint32_t n = 7;
    std::vector<std::string> ids;
    for (std::uint32_t i = 0; i < n; ++i) ids.push_back(std::to_string(i));
    std::vector<corridor::EdgeInfo> edges;
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = directed ? 0 : i + 1; j < n; ++j)
        if (i != j && rng.bernoulli(0.4)) edges.push_back({i, j, static_cast<double>(1 + rng.below(4)), ""});
    const Network net = make_network(ids, edges, directed);

    std::vector<double> all;
    std::vector<char> on(n, 0);
    std::function<void(std::uint32_t, double)> dfs = [&](std::uint32_t v, double km) {
      if (v == n - 1) {
        all.push_back(km);
        return;
      }
      on[v] = 1;
      for (const auto& a : net.out_arcs(v))
        if (!on[a.to]) dfs(a.to, km + a.km);
      on[v] = 0;
    };
    dfs(0, 0.0);
    std::sort(all.begin(), all.end());

    const int k = 8;
    const auto routes = corridor::k_shortest_routes(net, 0, n - 1, k);
    INFO("graph " << g << (directed ? " (directed)" : " (undirected)") << ", " << all.size() << " routes in all");
    REQUIRE(routes.size() == std::min<std::size_t>(k, all.size()));
    std::set<std::vector<std::uint32_t>> distinct;
    for (std::size_t i = 0; i < routes.size(); ++i) {
      check_route_is_consistent(net, routes[i], 0, n - 1);
      CHECK(routes[i].km == all[i]);
      distinct.insert(routes[i].nodes);
    }
    CHECK(distinct.size() == routes.size());
    if (!all.empty()) ++graphs;
  }
  CHECK(graphs > 30);  // most random graphs connect the two ends: the comparison was not vacuous
}

TEST_CASE("k shortest routes give the same answer every time") {
  // Two routes of equal length (A-B-D and A-C-D, both 2) and one longer.
  const Network net = make_network({"A", "B", "C", "D"},
                                   {{0, 1, 1, ""}, {0, 2, 1, ""}, {1, 3, 1, ""}, {2, 3, 1, ""}, {0, 3, 5, ""}}, false);
  const auto first = corridor::k_shortest_routes(net, 0, 3, 3);
  REQUIRE(first.size() == 3);
  CHECK(first[0].km == 2);
  CHECK(first[1].km == 2);
  CHECK(first[2].nodes == std::vector<std::uint32_t>{0, 3});
  for (int i = 0; i < 5; ++i) {
    const auto again = corridor::k_shortest_routes(net, 0, 3, 3);
    REQUIRE(again.size() == first.size());
    for (std::size_t r = 0; r < first.size(); ++r) CHECK(again[r].nodes == first[r].nodes);
  }
}

TEST_CASE("check_reachability passes when every destination is reachable from every origin") {
  const Network net = hand_graph();
  CHECK_NOTHROW(corridor::check_reachability(net, {"A", "E"}, {"D", "B"}, "scenario.yaml:3"));
  CHECK_NOTHROW(corridor::check_reachability(net, {}, {"F"}, "scenario.yaml:3"));
}

TEST_CASE("check_reachability names the unreachable destination and the origin") {
  const Network net = hand_graph();
  auto msg = input_error_of([&] { corridor::check_reachability(net, {"A", "B"}, {"D", "F"}, "scenario.yaml:7"); });
  CHECK_THAT(msg, Contains("scenario.yaml:7"));
  CHECK_THAT(msg, Contains("destination 'F'"));
  CHECK_THAT(msg, Contains("origin 'A'"));

  // Directed X -> Y -> Z: Z reaches nothing but itself.
  const Network line = make_network({"X", "Y", "Z"}, {{0, 1, 1, ""}, {1, 2, 1, ""}}, true);
  CHECK_NOTHROW(corridor::check_reachability(line, {"X"}, {"Z"}, "w"));
  msg = input_error_of([&] { corridor::check_reachability(line, {"X", "Z"}, {"Z", "Y"}, "w"); });
  CHECK_THAT(msg, Contains("destination 'Y'"));
  CHECK_THAT(msg, Contains("origin 'Z'"));
}

TEST_CASE("check_reachability names an origin or destination that is not a node") {
  const Network net = hand_graph();
  CHECK_THAT(input_error_of([&] { corridor::check_reachability(net, {"Q"}, {"D"}, "s.yaml:2"); }),
             Contains("origin 'Q' is not a node"));
  CHECK_THAT(input_error_of([&] { corridor::check_reachability(net, {"A"}, {"Q"}, "s.yaml:2"); }),
             Contains("destination 'Q' is not a node"));
}
