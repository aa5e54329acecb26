// Unit tests for sim/edge_flows: the series edge_flows[day, edge] every moving model declares.
#include <catch2/catch.hpp>

#include "sim/edge_flows.hpp"

using corridor::EdgeFlows;
using corridor::Network;
using corridor::NodeInfo;
using corridor::SeriesLayout;
using corridor::Tally;

namespace {
std::vector<NodeInfo> three_nodes() {
  std::vector<NodeInfo> nodes(3);
  nodes[0].id = "A";
  nodes[1].id = "B";
  nodes[2].id = "C";
  return nodes;
}
}  // namespace

TEST_CASE("edge_flows has one cell per edge, in the edges table's order, labelled by its nodes") {
  for (const bool directed : {false, true}) {
    const Network net = Network::build(three_nodes(), {{1, 2, 5.0, "road"}, {0, 1, 4.0, "road"}}, directed);
    SeriesLayout layout;
    layout.add({"before", "people", "another series", {}});
    EdgeFlows flows;
    flows.declare(layout, net, "people");
    REQUIRE(layout.specs().size() == 2);
    const auto& spec = layout.specs()[1];
    CHECK(spec.name == "edge_flows");
    CHECK(spec.unit == "people");
    REQUIRE(spec.dims.size() == 1);
    CHECK(spec.dims[0].name == "edge");
    const std::string arrow = directed ? "->" : "--";
    CHECK(spec.dims[0].labels == std::vector<std::string>{"B" + arrow + "C", "A" + arrow + "B"});
    CHECK(flows.id().offset == 1);
    CHECK(flows.id().cells == 2);
  }
}

TEST_CASE("a start along either direction of an undirected edge counts on that edge") {
  const Network net = Network::build(three_nodes(), {{1, 2, 5.0, "road"}, {0, 1, 4.0, "road"}}, false);
  SeriesLayout layout;
  EdgeFlows flows;
  flows.declare(layout, net, "agents");
  Tally tally;
  tally.resize(layout.cells());
  flows.start(tally, net.arc(*net.arc_between(0, 1)), 3);  // A -> B: edge 1
  flows.start(tally, net.arc(*net.arc_between(1, 0)), 2);  // B -> A: edge 1
  flows.start(tally, net.arc(*net.arc_between(2, 1)), 7);  // C -> B: edge 0
  CHECK(tally[flows.id().at(0)] == 7);
  CHECK(tally[flows.id().at(1)] == 5);
}

TEST_CASE("a network without edges gets no edge_flows series") {
  const Network net = Network::build(three_nodes(), {}, false);
  SeriesLayout layout;
  EdgeFlows flows;
  flows.declare(layout, net, "agents");
  CHECK(layout.specs().empty());
  CHECK(layout.cells() == 0);
}
