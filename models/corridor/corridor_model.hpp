#pragma once
// models/corridor: migration through Central America, Mexico and the US southwest border.
// docs/model.md describes it in the ODD protocol. Agents are travel parties (1-6 people);
// every count in the output is in people.
//
// This class only holds the modules and orders them (docs/model.md §1.3). Each mechanism is a
// module in its own files, owning its parameters (declared next to its code), its daily
// tables, its series and the step of the states it handles:
//   Departures (departures.*, §3.3)           leaving home, first or again; coming home
//   Perception (perception.*, §3.4)           perceived openness of the US
//   RouteChoice (route_choice.*, §3.5)        candidate routes and today's logit tables
//   Travel (travel.*, §3.5)                   moving along the route, resting at stops
//   Smuggling (smuggling.*, §3.5)             who hires a smuggler, what it changes and costs
//   MexicanEnforcement (mexico_enforcement.*, §3.6)  interception, detention, asylum in Mexico
//   UsBorder (us_border.*, §3.7)              crossing, encounters, Title 42, Title 8, MPP
//   Aid (aid.*, §3.8)                         development aid at origin
// Model v2 (issue 11), each switched off until the v2 refit:
//   Closures (closures.*, §3.11)              COVID-19 closures acting on every movement
//   Retries (retries.*, §3.12)                retries that wear out; unique people per month
//   EnforcementSections (mexico_sections.*, §3.13)  Mexican interception per route section
//   TripNews (trip_news.*, §3.14)             perception from whole trips' news, with a delay
//   Diaspora (diaspora.*, §3.15)              pull from those already in the US
//   Households (households.*, §3.16)          who travels: family, a child alone, a parent alone
// Shared by all: the party's columns and row (party.hpp), its states (states.hpp), the event
// kinds (event_kinds.hpp), the network's roles (network_roles.hpp), the categories
// (categories.hpp) and the parameter declarer (declarer.hpp).
//
// Adding a mechanism: its module files; a member here and in Parameters; its calls in
// corridor_model.cpp (Parameters::declare, declare, begin_day, and `act` for the states it
// handles); a row in states.hpp or event_kinds.hpp if it brings a state or an event kind (at
// the end: the numbers of the others are in result files); its test; its section of
// docs/model.md.
#include <string>
#include <vector>

#include "models/corridor/aid.hpp"
#include "models/corridor/closures.hpp"
#include "models/corridor/departures.hpp"
#include "models/corridor/diaspora.hpp"
#include "models/corridor/households.hpp"
#include "models/corridor/mexico_enforcement.hpp"
#include "models/corridor/mexico_sections.hpp"
#include "models/corridor/network_roles.hpp"
#include "models/corridor/party.hpp"
#include "models/corridor/perception.hpp"
#include "models/corridor/push_factors.hpp"
#include "models/corridor/retries.hpp"
#include "models/corridor/route_choice.hpp"
#include "models/corridor/smuggling.hpp"
#include "models/corridor/travel.hpp"
#include "models/corridor/trip_news.hpp"
#include "models/corridor/us_border.hpp"
#include "sim/agents.hpp"
#include "sim/config.hpp"
#include "sim/memory_estimate.hpp"
#include "sim/model.hpp"
#include "sim/network.hpp"
#include "sim/output.hpp"
#include "sim/scenario.hpp"

namespace corridor::cm {

/// Every module's parameters, declared in this order (`corridor params corridor`, the table
/// of docs/model.md §3.9).
struct Parameters {
  Departures::Params departures;
  Perception::Params perception;
  RouteChoice::Params route_choice;
  Travel::Params travel;
  Smuggling::Params smuggling;
  MexicanEnforcement::Params mexico;
  UsBorder::Params us;
  Aid::Params aid;
  // Model v2 (issue 11), each off by default until the v2 refit.
  Closures::Params closures;
  Retries::Params retries;
  EnforcementSections::Params sections;
  TripNews::Params news;
  Diaspora::Params diaspora;
  Households::Params households;

  static void declare(Declarer& d, Parameters& p);
  /// Reads `corridor:` (all keys optional; defaults as declared). Throws InputError.
  static Parameters read(const Section& section);
};

class CorridorModel {
 public:
  CorridorModel(const Scenario& scenario, const ScenarioDoc& doc, const Network& net);

  void declare(ModelSetup& setup, AgentStore& store);
  void begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink);
  void step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end, ThreadSink& sink) const;
  void end_day(const DayContext& ctx, AgentStore& store, Tally& totals);
  std::vector<std::string> describe() const;
  /// The up-front memory estimate (docs/reliability.md, "Memory"): every party expected to set
  /// out over the run (Departures::foresee), as if none ever finished.
  MemoryNeed memory_need() const;
  /// Records model-level facts as root attributes (model_scale).
  void after_run(RunOutput& out) const { out.set_attribute("model_scale", p_.departures.scale); }
  /// Multi-rank runs (docs/hpc.md): spawning in begin_day writes only the rows it appends
  /// (in id order, keyed by id), and end_day reads only the day's totals.
  static constexpr bool kPartitionable = true;
  /// Checkpoints: the state kept outside the agent store, i.e. the perception, (switched on)
  /// the trip news' queue and the diaspora's stock; every other table is rebuilt from the date
  /// in begin_day.
  void save_state(hid_t group) const {
    perception_.save(group);
    news_.save(group);
    diaspora_.save(group);
  }
  void load_state(hid_t group) {
    perception_.load(group);
    news_.load(group);
    diaspora_.load(group);
  }

  const Parameters& parameters() const { return p_; }
  /// The party columns, for tests that place parties by hand.
  const PartyColumns& columns() const { return columns_; }
  const NetworkRoles& roles() const { return roles_; }
  /// The series occupancy [node] (the frame's own).
  const SeriesId& occupancy() const { return occupancy_; }
  // The modules, for tests (each holds its series handles).
  const Departures& departures() const { return departures_; }
  const Perception& perception() const { return perception_; }
  const RouteChoice& route_choice() const { return route_choice_; }
  const Travel& travel() const { return travel_; }
  const Smuggling& smuggling() const { return smuggling_; }
  const MexicanEnforcement& mexico() const { return mexico_; }
  const UsBorder& us_border() const { return us_border_; }
  const Aid& aid() const { return aid_; }
  const Closures& closures() const { return closures_; }
  const Retries& retries() const { return retries_; }
  const EnforcementSections& sections() const { return sections_; }
  const TripNews& news() const { return news_; }
  const Diaspora& diaspora() const { return diaspora_; }
  const Households& households() const { return households_; }

 private:
  /// One party's day, by its state: the module that handles the state acts.
  void act(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;

  Parameters p_;
  PushIndicators push_;
  NetworkRoles roles_;
  // Modules, each constructed after those it reads.
  Aid aid_;
  TripNews news_;
  Perception perception_;
  Smuggling smuggling_;
  Closures closures_;
  Retries retries_;
  Diaspora diaspora_;
  Households households_;
  RouteChoice route_choice_;
  EnforcementSections sections_;
  Departures departures_;
  MexicanEnforcement mexico_;
  Travel travel_;
  UsBorder us_border_;

  /// The run's departures foreseen at construction (which fails when they cannot be held).
  DepartureOutlook outlook_;

  PartyColumns columns_;
  SeriesId occupancy_;  ///< people of active parties at each node at the end of the day
};

}  // namespace corridor::cm
