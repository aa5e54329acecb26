// Unit tests for sim/network: loading nodes and edges from CSV, the arc index and its errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "sim/network.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::Network;
using corridor::NetworkFiles;
using corridor::test::input_error_of;
using corridor::test::TempDir;

namespace {
struct Files {
  TempDir dir{"network"};
  NetworkFiles files(const std::string& nodes, const std::string& edges, bool directed = false) const {
    NetworkFiles f;
    f.nodes = dir.write("nodes.csv", nodes);
    f.edges = dir.write("edges.csv", edges);
    f.directed = directed;
    return f;
  }
};

const char* kNodes =
    "id,name,kind,country,lat,lon,sector\n"
    "A,Alpha,town,XX,10.5,20.25,north\n"
    "B,,camp,YY,,,south\n"
    "C,Gamma,,,-45,170,east\n"
    "D,Delta,town,XX,0,0,west\n";
}  // namespace

TEST_CASE("nodes and undirected edges load with their attributes, each edge giving two arcs") {
  Files f;
  const Network net = Network::load(f.files(kNodes,
                                            "from,to,km,mode,toll\n"
                                            "A,C,5,road,1\n"
                                            "B,A,2.5,,0\n"
                                            "C,D,7,boat,3\n"));
  REQUIRE(net.node_count() == 4);
  REQUIRE(net.edge_count() == 3);
  CHECK(net.arc_count() == 6);
  CHECK_FALSE(net.directed());

  CHECK(net.node(0).id == "A");
  CHECK(net.node(0).name == "Alpha");
  CHECK(net.node(0).kind == "town");
  CHECK(net.node(0).country == "XX");
  CHECK(net.node(0).lat == 10.5);
  CHECK(net.node(0).lon == 20.25);
  CHECK(net.node(1).name == "B");  // an empty name falls back to the id
  CHECK(std::isnan(net.node(1).lat));
  CHECK(std::isnan(net.node(1).lon));
  CHECK(net.node(2).kind.empty());

  CHECK(*net.find("C") == 2);
  CHECK_FALSE(net.find("Z"));

  CHECK(net.edge(1).from == 1);
  CHECK(net.edge(1).to == 0);
  CHECK(net.edge(1).km == 2.5);
  CHECK(net.edge(0).mode == "road");
  CHECK(net.edge(1).mode.empty());

  // Both directions exist, with the edge's length and index.
  for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
    const auto& edge = net.edge(e);
    const auto fwd = net.arc_between(edge.from, edge.to), back = net.arc_between(edge.to, edge.from);
    REQUIRE(fwd);
    REQUIRE(back);
    CHECK(net.arc(*fwd).km == edge.km);
    CHECK(net.arc(*back).km == edge.km);
    CHECK(net.arc(*fwd).edge == e);
    CHECK(net.arc(*back).edge == e);
  }
  CHECK_FALSE(net.arc_between(0, 3));
}

TEST_CASE("out arcs of every node start there and are sorted by target") {
  Files f;
  const Network net = Network::load(f.files(kNodes,
                                            "from,to,km\n"
                                            "A,D,1\n"
                                            "A,B,2\n"
                                            "C,A,3\n"
                                            "D,B,4\n"
                                            "B,C,5\n"));
  std::size_t total = 0;
  for (std::uint32_t n = 0; n < net.node_count(); ++n) {
    const auto arcs = net.out_arcs(n);
    total += arcs.size();
    for (std::size_t i = 0; i < arcs.size(); ++i) {
      CHECK(arcs[i].from == n);
      if (i > 0) CHECK(arcs[i - 1].to < arcs[i].to);
    }
  }
  CHECK(total == net.arc_count());
  const auto a = net.out_arcs(0);
  REQUIRE(a.size() == 3);
  CHECK(a[0].to == 1);
  CHECK(a[1].to == 2);
  CHECK(a[2].to == 3);
  CHECK(a[2].km == 1);
}

TEST_CASE("a directed network has one arc per edge and allows both directions as separate edges") {
  Files f;
  const Network net = Network::load(f.files(kNodes, "from,to,km\nA,B,1\nB,A,2\nB,C,3\n", /*directed=*/true));
  CHECK(net.directed());
  CHECK(net.arc_count() == 3);
  CHECK(net.arc(*net.arc_between(0, 1)).km == 1);
  CHECK(net.arc(*net.arc_between(1, 0)).km == 2);
  CHECK_FALSE(net.arc_between(2, 1));
  CHECK(net.out_arcs(2).empty());
}

TEST_CASE("extra columns of both tables are kept as text") {
  Files f;
  const Network net = Network::load(f.files(kNodes, "from,to,km,toll\nA,C,5,1.5\nB,D,2,\n"));
  REQUIRE(net.node_extras().size() == 1);
  CHECK(net.node_extras()[0].name == "sector");
  CHECK(net.node_extras()[0].values == std::vector<std::string>{"north", "south", "east", "west"});
  CHECK(net.node_extra("sector", 2) == "east");
  CHECK(net.node_extra("absent", 2).empty());
  REQUIRE(net.edge_extras().size() == 1);
  CHECK(net.edge_extras()[0].name == "toll");
  CHECK(net.edge_extras()[0].values == std::vector<std::string>{"1.5", ""});
}

TEST_CASE("a duplicate node id is an error naming both lines") {
  Files f;
  const auto msg = input_error_of([&] { Network::load(f.files("id\nA\nB\nA\n", "from,to,km\n")); });
  CHECK_THAT(msg, Contains("nodes.csv:4"));
  CHECK_THAT(msg, Contains("duplicate node id 'A'"));
  CHECK_THAT(msg, Contains("line 2"));
}

TEST_CASE("an edge naming an unknown node is an error naming file, line and column") {
  Files f;
  auto msg = input_error_of([&] { Network::load(f.files(kNodes, "from,to,km\nA,B,1\n\nB,Q,2\n")); });
  CHECK_THAT(msg, Contains("edges.csv:4"));
  CHECK_THAT(msg, Contains("column 'to'"));
  CHECK_THAT(msg, Contains("unknown node 'Q'"));
  msg = input_error_of([&] { Network::load(f.files(kNodes, "from,to,km\nZ,B,1\n")); });
  CHECK_THAT(msg, Contains("edges.csv:2"));
  CHECK_THAT(msg, Contains("column 'from'"));
}

TEST_CASE("zero, negative and non-numeric lengths are errors naming file and line") {
  Files f;
  for (const char* km : {"0", "-3", "far", "", "nan"}) {
    INFO("km '" << km << "'");
    const auto msg = input_error_of([&] {
      Network::load(f.files(kNodes, std::string("from,to,km\nA,B,1\nB,C,") + km + "\n"));
    });
    CHECK_THAT(msg, Contains("edges.csv:3"));
    CHECK_THAT(msg, Contains("column 'km'"));
    CHECK_THAT(msg, Contains("expected a positive number"));
  }
}

TEST_CASE("a self-loop is an error naming file and line") {
  Files f;
  const auto msg = input_error_of([&] { Network::load(f.files(kNodes, "from,to,km\nA,B,1\nC,C,2\n")); });
  CHECK_THAT(msg, Contains("edges.csv:3"));
  CHECK_THAT(msg, Contains("to itself"));
}

TEST_CASE("a duplicate edge is an error naming both lines, in either direction when undirected") {
  Files f;
  auto msg = input_error_of([&] { Network::load(f.files(kNodes, "from,to,km\nA,B,1\nB,C,2\nA,B,3\n")); });
  CHECK_THAT(msg, Contains("edges.csv:4"));
  CHECK_THAT(msg, Contains("duplicate edge"));
  CHECK_THAT(msg, Contains("line 2"));
  msg = input_error_of([&] { Network::load(f.files(kNodes, "from,to,km\nA,B,1\nB,A,1\n")); });
  CHECK_THAT(msg, Contains("edges.csv:3"));
  CHECK_THAT(msg, Contains("duplicate edge"));
  // Directed: A->B twice is a duplicate, A->B and B->A are not.
  msg = input_error_of([&] { Network::load(f.files(kNodes, "from,to,km\nA,B,1\nA,B,1\n", true)); });
  CHECK_THAT(msg, Contains("edges.csv:3"));
}

TEST_CASE("missing columns, an empty node table and bad coordinates are errors naming the file") {
  Files f;
  CHECK_THAT(input_error_of([&] { Network::load(f.files("name\nA\n", "from,to,km\n")); }), Contains("missing column 'id'"));
  CHECK_THAT(input_error_of([&] { Network::load(f.files("id\nA\nB\n", "from,to\nA,B\n")); }),
             Contains("missing column 'km'"));
  CHECK_THAT(input_error_of([&] { Network::load(f.files("id\n", "from,to,km\n")); }), Contains("no nodes"));
  auto msg = input_error_of([&] { Network::load(f.files("id,lat\nA,91\n", "from,to,km\n")); });
  CHECK_THAT(msg, Contains("nodes.csv:2"));
  CHECK_THAT(msg, Contains("column 'lat'"));
  CHECK_THAT(input_error_of([&] { Network::load(f.files("id,lon\nA,east\n", "from,to,km\n")); }),
             Contains("column 'lon'"));
  NetworkFiles missing;
  missing.nodes = f.dir / "absent.csv";
  missing.edges = f.dir / "absent_edges.csv";
  CHECK_THAT(input_error_of([&] { Network::load(missing); }), Contains("absent.csv"));
}

TEST_CASE("a network built in memory checks its node indices") {
  std::vector<corridor::NodeInfo> nodes(2);
  nodes[0].id = "a";
  nodes[1].id = "b";
  const Network net = Network::build(nodes, {{0, 1, 4.0, "road"}}, false);
  CHECK(net.arc_count() == 2);
  CHECK(*net.find("b") == 1);
  CHECK_THROWS_AS(Network::build(nodes, {{0, 2, 4.0, ""}}, false), std::invalid_argument);
}
