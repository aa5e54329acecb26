// Unit tests for sim/runner: from a scenario file to a model ready to run, and the checks made
// on the way (model name, network, reachability, unknown keys).
#include <catch2/catch.hpp>

#include "models/registry.hpp"
#include "sim/runner.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::load_scenario;
using corridor::test::input_error_of;
using corridor::test::TempDir;

namespace {

// A directed line a -> b -> c; agents start at a, c absorbs.
struct Files {
  TempDir dir{"runner"};
  Files() {
    dir.write("nodes.csv", "id\na\nb\nc\n");
    dir.write("edges.csv", "from,to,km\na,b,10\nb,c,10\n");
  }
  std::filesystem::path scenario(const std::string& extra_network = "", const std::string& extra = "",
                                 const std::string& model = "markov") const {
    return dir.write("s.yaml",
                     "name: line\n"
                     "model: " + model + "\n"
                     "seed: 3\n"
                     "start: 2021-01-01\n"
                     "end: 2021-01-20\n"
                     "network:\n"
                     "  nodes: nodes.csv\n"
                     "  edges: edges.csv\n"
                     "  directed: true\n" +
                         extra_network +
                         "markov:\n"
                         "  initial:\n"
                         "    - {node: a, agents: 500}\n"
                         "  transitions:\n"
                         "    - {from: a, to: b, p: 0.3}\n"
                         "    - {from: b, to: c, p: 0.4}\n" +
                         extra);
  }
};

}  // namespace

TEST_CASE("load_scenario reads the scenario, its network and its model") {
  Files f;
  const auto ls = load_scenario(f.scenario("  origins: [a]\n  destinations: [c]\n"), {});
  CHECK(ls->scenario.name == "line");
  CHECK(ls->scenario.model == "markov");
  CHECK(ls->scenario.seed == 3);
  CHECK(ls->scenario.calendar.days() == 20);
  REQUIRE(ls->network);
  CHECK(ls->network->node_count() == 3);
  CHECK(ls->network->directed());
  REQUIRE(ls->runner);
  const auto lines = ls->runner->describe();
  REQUIRE_FALSE(lines.empty());
  CHECK_THAT(lines[0], Contains("500 agents"));
  CHECK(corridor::models::registry().find("markov") != nullptr);
}

TEST_CASE("load_scenario applies --set overrides in order before reading") {
  Files f;
  const auto ls = load_scenario(f.scenario(), {"seed=9", "markov.initial.0.agents=70", "markov.initial.0.agents=71"});
  CHECK(ls->scenario.seed == 9);
  CHECK_THAT(ls->runner->describe()[0], Contains("71 agents"));
}

TEST_CASE("a loaded scenario runs, and gives the same statistics on 1 and 2 threads") {
  Files f;
  const auto a = load_scenario(f.scenario(), {});
  const auto b = load_scenario(f.scenario(), {});
  corridor::RunOptions one, two;
  two.threads = 2;
  const auto s1 = a->runner->run(one, nullptr);
  const auto s2 = b->runner->run(two, nullptr);
  CHECK(s1.days == 20);
  CHECK(s1.agents == 500);
  CHECK(s1.agent_steps == s2.agent_steps);
  CHECK(s1.agent_steps < 500u * 20u);  // some agents were absorbed and stopped being stepped
}

TEST_CASE("an unknown model is an InputError listing the known ones") {
  Files f;
  const auto msg = input_error_of([&] { load_scenario(f.scenario("", "", "markoff"), {}); });
  CHECK_THAT(msg, Contains("s.yaml:2"));
  CHECK_THAT(msg, Contains("key 'model'"));
  CHECK_THAT(msg, Contains("unknown model 'markoff'"));
  CHECK_THAT(msg, Contains("markov"));
}

TEST_CASE("an unreachable destination is an InputError naming it and the origin") {
  Files f;
  const auto msg = input_error_of([&] { load_scenario(f.scenario("  origins: [c]\n  destinations: [a]\n"), {}); });
  CHECK_THAT(msg, Contains("network.destinations"));
  CHECK_THAT(msg, Contains("destination 'a' is unreachable from origin 'c'"));
}

TEST_CASE("an unknown key anywhere in the scenario is an InputError naming it") {
  Files f;
  auto msg = input_error_of([&] { load_scenario(f.scenario("  direction: up\n"), {}); });
  CHECK_THAT(msg, Contains("s.yaml:10"));
  CHECK_THAT(msg, Contains("unknown key 'network.direction'"));
  msg = input_error_of([&] { load_scenario(f.scenario("", "  initail: 3\n"), {}); });
  CHECK_THAT(msg, Contains("unknown key 'markov.initail'"));
  msg = input_error_of([&] { load_scenario(f.scenario(), {"markov.transitions.0.q=1"}); });
  CHECK_THAT(msg, Contains("--set markov.transitions.0.q"));
  CHECK_THAT(msg, Contains("unknown key 'markov.transitions.0.q'"));
}

TEST_CASE("a bad value in the model section is an InputError naming the key path") {
  Files f;
  const auto msg = input_error_of([&] { load_scenario(f.scenario(), {"markov.transitions.1.p=1.5"}); });
  CHECK_THAT(msg, Contains("markov.transitions.1.p"));
  CHECK_THAT(msg, Contains("probability"));
}
