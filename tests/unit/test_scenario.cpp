// Unit tests for sim/scenario: the keys every scenario has, whatever its model.
#include <catch2/catch.hpp>

#include "sim/scenario.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::Date;
using corridor::Scenario;
using corridor::ScenarioDoc;
using corridor::test::input_error_of;
using corridor::test::TempDir;

namespace {
struct Fixture {
  TempDir dir{"scenario"};
  Fixture() {
    dir.write("nodes.csv", "id\nA\nB\n");
    dir.write("edges.csv", "from,to,km\nA,B,1\n");
  }
  ScenarioDoc doc(const std::string& text, const std::string& name = "demo.yaml") const {
    return ScenarioDoc::from_text(text, dir / name);
  }
};

const char* kMinimal =
    "model: markov\n"
    "start: 2020-01-01\n"
    "end: 2020-01-31\n"
    "network:\n"
    "  nodes: nodes.csv\n"
    "  edges: edges.csv\n";
}  // namespace

TEST_CASE("a minimal scenario reads with the documented defaults") {
  Fixture f;
  const ScenarioDoc doc = f.doc(kMinimal, "minimal.yaml");
  const Scenario s = Scenario::read(doc);
  CHECK(s.name == "minimal");  // the file's stem
  CHECK(s.description.empty());
  CHECK(s.model == "markov");
  CHECK(s.seed == 1);
  CHECK(s.calendar.start == Date::from_ymd(2020, 1, 1));
  CHECK(s.calendar.end == Date::from_ymd(2020, 1, 31));
  CHECK(s.calendar.days() == 31);
  CHECK(s.network.given);
  CHECK(std::filesystem::equivalent(s.network.nodes, f.dir / "nodes.csv"));
  CHECK(std::filesystem::equivalent(s.network.edges, f.dir / "edges.csv"));
  CHECK_FALSE(s.network.directed);
  CHECK(s.network.origins.empty());
  CHECK(s.network.destinations.empty());
  CHECK(s.output.events);
  CHECK(s.output.agents);
  CHECK(s.output.compression == 1);
  CHECK_NOTHROW(doc.check_all_keys_used());
}

TEST_CASE("every common key is read when given") {
  Fixture f;
  const ScenarioDoc doc = f.doc(
      "name: full\n"
      "description: all keys\n"
      "model: markov\n"
      "seed: 12345678901234\n"
      "start: 2020-02-28\n"
      "end: 2020-03-01\n"
      "network:\n"
      "  nodes: nodes.csv\n"
      "  edges: edges.csv\n"
      "  directed: true\n"
      "  origins: [A]\n"
      "  destinations: [B]\n"
      "output:\n"
      "  events: false\n"
      "  agents: no\n"
      "  compression: 0\n");
  const Scenario s = Scenario::read(doc);
  CHECK(s.name == "full");
  CHECK(s.description == "all keys");
  CHECK(s.seed == 12345678901234ull);
  CHECK(s.calendar.days() == 3);  // 2020 is a leap year
  CHECK(s.network.directed);
  CHECK(s.network.origins == std::vector<std::string>{"A"});
  CHECK(s.network.destinations == std::vector<std::string>{"B"});
  CHECK_FALSE(s.output.events);
  CHECK_FALSE(s.output.agents);
  CHECK(s.output.compression == 0);
  CHECK_NOTHROW(doc.check_all_keys_used());
}

TEST_CASE("a scenario without a network section leaves the network to the model") {
  Fixture f;
  const Scenario s = Scenario::read(f.doc("model: flee\nstart: 2020-01-01\nend: 2020-01-02\n"));
  CHECK_FALSE(s.network.given);
}

TEST_CASE("an end date before the start date is an InputError naming the end key") {
  Fixture f;
  const auto msg = input_error_of([&] {
    Scenario::read(f.doc("model: markov\nstart: 2020-02-01\nend: 2020-01-31\n"));
  });
  CHECK_THAT(msg, Contains("demo.yaml:3"));
  CHECK_THAT(msg, Contains("key 'end'"));
  CHECK_THAT(msg, Contains("before start date"));
}

TEST_CASE("a period of more than 100 years is rejected") {
  Fixture f;
  CHECK_THAT(input_error_of([&] { Scenario::read(f.doc("model: m\nstart: 1900-01-01\nend: 2100-01-01\n")); }),
             Contains("key 'end'"));
}

TEST_CASE("missing or malformed common keys are InputErrors naming the key") {
  Fixture f;
  CHECK_THAT(input_error_of([&] { Scenario::read(f.doc("start: 2020-01-01\nend: 2020-01-02\n")); }),
             Contains("key 'model'"));
  CHECK_THAT(input_error_of([&] { Scenario::read(f.doc("model: m\nend: 2020-01-02\n")); }), Contains("key 'start'"));
  CHECK_THAT(input_error_of([&] { Scenario::read(f.doc("model: m\nstart: 2020-01-01\nend: 2020-02-30\n")); }),
             Contains("key 'end'"));
  CHECK_THAT(input_error_of([&] {
               Scenario::read(f.doc("model: m\nstart: 2020-01-01\nend: 2020-01-02\nseed: -4\n"));
             }),
             Contains("key 'seed'"));
  CHECK_THAT(input_error_of([&] {
               Scenario::read(f.doc(std::string(kMinimal) + "output:\n  compression: 10\n"));
             }),
             Contains("key 'output.compression'"));
  CHECK_THAT(input_error_of([&] {
               Scenario::read(f.doc("model: m\nstart: 2020-01-01\nend: 2020-01-02\nnetwork:\n  nodes: nodes.csv\n"));
             }),
             Contains("key 'network.edges'"));
  CHECK_THAT(input_error_of([&] {
               Scenario::read(f.doc(
                   "model: m\nstart: 2020-01-01\nend: 2020-01-02\nnetwork:\n  nodes: absent.csv\n  edges: edges.csv\n"));
             }),
             Contains("key 'network.nodes'"));
}

TEST_CASE("an unknown key beside the common keys is left for check_all_keys_used to report") {
  Fixture f;
  const ScenarioDoc doc = f.doc(std::string(kMinimal) + "network_typo: 1\n");
  Scenario::read(doc);
  CHECK_THAT(input_error_of([&] { doc.check_all_keys_used(); }), Contains("unknown key 'network_typo'"));
}

TEST_CASE("output.event_kinds selects event kinds by the model's names") {
  Fixture f;
  const std::vector<std::string> kinds{"spawn", "move", "absorb"};
  SECTION("absent: every kind") {
    const Scenario s = Scenario::read(f.doc(kMinimal));
    CHECK(s.output.event_kinds.empty());
    CHECK(corridor::event_kind_mask(s.output, kinds, "markov") == ~std::uint64_t{0});
  }
  SECTION("a list: the bits of those kinds, whatever their order") {
    const Scenario s = Scenario::read(f.doc(std::string(kMinimal) + "output:\n  event_kinds: [absorb, spawn]\n"));
    CHECK(s.output.event_kinds == std::vector<std::string>{"absorb", "spawn"});
    CHECK(corridor::event_kind_mask(s.output, kinds, "markov") == 0b101);
  }
  SECTION("an unknown kind names the file, line and key and lists the model's kinds") {
    const Scenario s = Scenario::read(f.doc(std::string(kMinimal) + "output:\n  event_kinds: [spawn, jump]\n"));
    const auto msg = input_error_of([&] { corridor::event_kind_mask(s.output, kinds, "markov"); });
    CHECK_THAT(msg, Contains("demo.yaml:8"));
    CHECK_THAT(msg, Contains("key 'output.event_kinds'"));
    CHECK_THAT(msg, Contains("no event kind 'jump' (its kinds: spawn, move, absorb)"));
  }
  SECTION("an empty list is an error, not a silent 'none'") {
    CHECK_THAT(input_error_of([&] { Scenario::read(f.doc(std::string(kMinimal) + "output:\n  event_kinds: []\n")); }),
               Contains("expected a non-empty list of event kinds"));
  }
}

TEST_CASE("an event buffer keeps only the kinds of its mask") {
  corridor::EventBuffer b;
  b.set_kinds(0b10);
  b.add(0, 0, 1, 1);
  b.add(0, 1, 2, 2);
  b.add(0, 2, 3, 3);
  REQUIRE(b.size() == 1);
  CHECK(b.events()[0].kind == 1);
  b.set_enabled(false);
  b.add(0, 1, 4, 4);
  CHECK(b.size() == 1);
}
