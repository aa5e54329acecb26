// The corridor model's frame (models/corridor/corridor_model.*, states.hpp, event_kinds.hpp,
// parameters.*): the states and event kinds the model declares are its tables' (their numbers
// are in every result file), a state is final exactly where its table row says so, and
// `corridor params corridor` lists every parameter once, under the module that declares it.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

#include "corridor_support.hpp"
#include "models/corridor/event_kinds.hpp"
#include "models/corridor/parameters.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::CorridorBench;

TEST_CASE("the model declares the states of its table, in order, final exactly where the table says") {
  CorridorBench b({});
  REQUIRE(b.setup.state_names.size() == static_cast<std::size_t>(kStateCount));
  std::set<std::string> names;
  for (int s = 0; s < kStateCount; ++s) {
    INFO("state " << s);
    CHECK(b.setup.state_names[s] == kStates[s].name);
    CHECK(b.setup.is_final[s] == kStates[s].final);
    CHECK(is_final_state(s) == kStates[s].final);
    names.insert(b.setup.state_names[s]);
  }
  CHECK(names.size() == static_cast<std::size_t>(kStateCount));  // every name once
  // The numbers in result files (docs/model.md §1.2): four final states, after the seven others.
  CHECK(b.setup.state_names[kAtBorder] == "at_border");
  CHECK(b.setup.state_names[kSettledMexico] == "settled_mexico");
  int finals = 0;
  for (int s = 0; s < kStateCount; ++s) finals += is_final_state(s);
  CHECK(finals == 4);
  CHECK_FALSE(is_final_state(kStateCount));
}

TEST_CASE("the model declares the event kinds of its table, so a kind's number is its enum value") {
  CorridorBench b({});
  REQUIRE(b.setup.event_kinds.size() == static_cast<std::size_t>(kEventKindCount));
  for (int k = 0; k < kEventKindCount; ++k) CHECK(b.setup.event_kinds[k] == kEventKinds[k].name);
  CHECK(b.setup.event_kinds[kEventGiveUp] == "give_up");
}

TEST_CASE("corridor params lists every parameter once, under the module that declares it") {
  const std::vector<ParameterDoc> docs = parameter_docs();
  std::map<std::string, int> listed;  // key -> times listed
  std::map<std::string, std::string> module_of;
  std::vector<std::string> modules;
  std::istringstream md(corridor::parameter_table_markdown(docs, "corridor"));
  for (std::string line; std::getline(md, line);) {
    if (line.rfind("**", 0) == 0) modules.push_back(line.substr(2, line.find("**", 2) - 2));
    if (line.rfind("| `", 0) == 0) {
      const std::string key = line.substr(3, line.find('`', 3) - 3);
      ++listed[key];
      REQUIRE_FALSE(modules.empty());
      module_of[key] = modules.back();
    }
  }
  CHECK(modules == std::vector<std::string>{"Departures", "Perceived US policy", "Route choice", "Travel", "Smugglers",
                                            "Mexican enforcement", "The US border", "Aid at origin",
                                            "COVID-19 closures (model v2)", "Retries that wear out (model v2)",
                                            "Mexican enforcement per route section (model v2)",
                                            "Trip news with a delay (model v2)",
                                            "Pull from those already there (model v2)", "Who travels (model v2)"});
  REQUIRE(listed.size() == docs.size());
  for (const ParameterDoc& d : docs) CHECK(listed[d.key] == 1);
  // Each module's keys are its own: spot checks of the one module that owns a prefix.
  const std::map<std::string, std::string> owner = {{"scale", "Departures"},
                                                    {"departures.origins", "Departures"},
                                                    {"perception.announcements", "Perceived US policy"},
                                                    {"route_choice.k", "Route choice"},
                                                    {"travel.border_wait_days", "Travel"},
                                                    {"travel.smuggler_fee_usd", "Smugglers"},
                                                    {"mexico.enabled", "Mexican enforcement"},
                                                    {"mexico.asylum_node", "Mexican enforcement"},
                                                    {"us.title42.start", "The US border"},
                                                    {"us.mpp.periods", "The US border"},
                                                    {"aid.hump", "Aid at origin"},
                                                    {"news.gamma.central_american.child", "Trip news with a delay (model v2)"},
                                                    {"households.parent_share", "Who travels (model v2)"}};
  for (const auto& [key, module] : owner) CHECK(module_of[key] == module);
}
