#pragma once
// models/corridor: migration through Central America, Mexico and the US southwest border.
// docs/model.md describes it in the ODD protocol; each mechanism lives in its own file,
// documented in the section of the same number:
//   departures.cpp (§3.3), perception.cpp (§3.4), route_choice.cpp + travel.cpp (§3.5),
//   mexico_enforcement.cpp (§3.6), us_border.cpp (§3.7), aid.hpp (§3.8), parameters.cpp (§3.9).
// Agents are travel parties (1-6 people); every count in the output is in people.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/corridor/categories.hpp"
#include "models/corridor/departures.hpp"
#include "models/corridor/network_roles.hpp"
#include "models/corridor/party.hpp"
#include "models/corridor/event_kinds.hpp"
#include "models/corridor/parameters.hpp"
#include "models/corridor/perception.hpp"
#include "models/corridor/push_factors.hpp"
#include "models/corridor/route_choice.hpp"
#include "models/corridor/states.hpp"
#include "sim/agents.hpp"
#include "sim/config.hpp"
#include "sim/model.hpp"
#include "sim/network.hpp"
#include "sim/output.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace corridor::cm {

class CorridorModel {
 public:
  CorridorModel(const Scenario& scenario, const ScenarioDoc& doc, const Network& net);

  void declare(ModelSetup& setup, AgentStore& store);
  void begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink);
  void step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end, ThreadSink& sink) const;
  void end_day(const DayContext& ctx, AgentStore& store, Tally& totals);
  std::vector<std::string> describe() const;
  /// Records model-level facts as root attributes (model_scale).
  void after_run(RunOutput& out) const { out.set_attribute("model_scale", p_.departures.scale); }
  /// Multi-rank runs (docs/hpc.md): spawning in begin_day writes only the rows it appends
  /// (in id order, keyed by id), and end_day reads only the day's totals.
  static constexpr bool kPartitionable = true;
  /// Checkpoints: the state kept outside the agent store, i.e. the perception (saved_state.cpp);
  /// every other table is rebuilt from the date in begin_day.
  void save_state(hid_t group) const;
  void load_state(hid_t group);

  const Parameters& parameters() const { return p_; }
  const RouteChoice& route_choice() const { return route_choice_; }
  const Smuggling& smuggling() const { return smuggling_; }
  const Departures& departures() const { return departures_; }
  const MexicanEnforcement& mexico() const { return mexico_; }
  const Travel& travel() const { return travel_; }
  const Perception& perception() const { return perception_; }
  /// The party columns (party.hpp), for tests that place parties by hand.
  const PartyColumns& columns() const { return columns_; }

 private:
  // Mechanisms, one file each.
  void attempt_crossing(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;  // us_border.cpp
  void custody_ends(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;      // us_border.cpp
  void hearing(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const;           // us_border.cpp

  bool title42_in_force(Date d) const { return p_.title42_on && !(d < p_.title42_start) && d < p_.title42_end; }
  bool mpp_in_force(Date d) const;

  const Network& net_;
  Parameters p_;
  PushIndicators push_;
  NetworkRoles roles_;
  Aid aid_;
  Perception perception_;
  Smuggling smuggling_;
  RouteChoice route_choice_;
  Departures departures_;
  MexicanEnforcement mexico_;
  Travel travel_;

  // Today's tables (built in begin_day, read-only in step).
  double encounter_p_ = 0;
  std::array<double, kDemographics> expel_today_{};
  bool title42_today_ = false, mpp_today_ = false;

  // Output handles.
  SeriesId s_occupancy_;
  SeriesId s_encounters_, s_expulsions_, s_removals_, s_releases_, s_mpp_, s_repeat_, s_unique_;
  SeriesId s_undetected_, s_waiting_;
  PartyColumns columns_;
  friend struct CorridorModelTestAccess;
};

}  // namespace corridor::cm
