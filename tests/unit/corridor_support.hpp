#pragma once
// Helpers for the corridor model's unit tests (tests/unit/test_corridor_*.cpp).
//
// CorridorBench loads scenarios/defaults.yaml with --set style overrides (the real network,
// the real parameter reader) and drives the model through its engine interface by hand:
// declare -> begin_day -> step over hand-made parties -> inspect states, columns and tallies.
// That isolates one mechanism at a time: a test places N parties exactly where the mechanism
// acts (1 km before a Mexican crossing, in a border city on a given date, ...), steps one
// day and counts the outcomes. Departures are switched off unless a test asks for them, so
// that only the hand-made parties are in the store.
//
// The model's columns (CorridorModel::columns) and each module's series handles
// (e.g. model().us_border().series()) are public, so tests need no friend.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "models/corridor/corridor_model.hpp"
#include "models/registry.hpp"
#include "sim/runner.hpp"

namespace corridor::test {

inline const std::string kDefaultsScenario = std::string(CORRIDOR_SOURCE_DIR) + "/scenarios/defaults.yaml";

/// Bernstein's inequality for a sum of independent variables in [0, 1] (binomial counts, and
/// Poisson counts, whose cumulant generating function satisfies the same condition):
///   P(|X - mu| >= b) <= 2 exp(-b^2 / (2 sigma^2 + 2b/3)) = delta
///   =>  b = L/3 + sqrt(L^2/9 + 2 sigma^2 L),  L = ln(2/delta).
/// With delta = 1e-6 the bound is about 5.4 sigma for large sigma; the seeds are fixed, so a
/// test either always passes or always fails, and a false alarm has probability < 1e-6 per check.
inline double bernstein_bound(double variance, double delta = 1e-6) {
  const double L = std::log(2.0 / delta);
  return L / 3.0 + std::sqrt(L * L / 9.0 + 2.0 * variance * L);
}

/// |observed - n p| over the Bernstein bound of Binomial(n, p): at most 1 if `observed` is
/// consistent with p (used also to show that a wrong p would be caught).
inline double binomial_deviation(std::size_t observed, std::size_t n, double p) {
  const double dev = std::fabs(static_cast<double>(observed) - static_cast<double>(n) * p);
  return dev / bernstein_bound(static_cast<double>(n) * p * (1 - p));
}

/// CHECKs that `observed` successes of n are consistent with Binomial(n, p).
inline void within_binomial(std::size_t observed, std::size_t n, double p) {
  INFO(observed << " of " << n << " (expected " << n * p << ", bound +-"
                << bernstein_bound(static_cast<double>(n) * p * (1 - p)) << ")");
  CHECK(binomial_deviation(observed, n, p) <= 1.0);
}

/// A party to place in the store (zero or -1 where a field does not matter).
struct PartySpec {
  std::uint8_t origin = 0;  ///< index into corridor.departures.origins (defaults.yaml: 0 GUA/GT, 1 SPS/HN, 2 TGU/HN,
                            ///< 3 SAL/SV, 4 MEX/MX, 5 GDL/MX, 6 IRA/MX)
  cm::Demographic demo = cm::kSingleAdult;
  std::uint8_t size = 1;
  bool smuggler = false;
  cm::State state = cm::kTravelling;
  std::uint32_t node = 0;
  std::uint32_t route = 0;
  std::uint8_t hop = 0;
  float progress = 0;
  std::int32_t wait_until = 0;
  std::uint8_t encounters = 0;
  std::int32_t last_encounter = -1;
};

/// The defaults scenario, loaded with overrides, and a hand-driven day of its model.
class CorridorBench {
 public:
  explicit CorridorBench(std::vector<std::string> overrides, bool departures = false) {
    if (!departures) overrides.push_back("corridor.departures.enabled=false");
    ls_ = load_scenario(kDefaultsScenario, overrides);
    model_ = &dynamic_cast<RunnerFor<cm::CorridorModel>&>(*ls_->runner).model();
    model_->declare(setup, store);
    sink.tally.resize(setup.series.cells());
  }

  cm::CorridorModel& model() { return *model_; }
  const cm::CorridorModel& model() const { return *model_; }
  const cm::Parameters& params() const { return model_->parameters(); }
  const Network& net() const { return *ls_->network; }
  const Scenario& scenario() const { return ls_->scenario; }
  const cm::PartyColumns& columns() const { return model_->columns(); }
  std::uint32_t node(const std::string& id) const {
    auto n = ls_->network->find(id);
    REQUIRE(n);
    return *n;
  }

  /// Starts `date`: clears the sink and runs the model's begin_day (today's tables, spawning).
  DayContext begin(Date date) {
    ctx_ = DayContext{ls_->scenario.calendar.day_of(date), date, ls_->scenario.calendar.days(), ls_->scenario.seed};
    sink.clear();
    model_->begin_day(ctx_, store, sink);
    return ctx_;
  }
  /// Steps every row once (one thread) into the same sink.
  void step() { model_->step(ctx_, store, 0, store.size(), sink); }
  const DayContext& ctx() const { return ctx_; }

  /// Appends n copies of `p` (each gets its own id, hence its own random numbers). Returns the first row.
  std::size_t add(std::size_t n, const PartySpec& p) {
    const std::size_t first = store.append(n);
    const cm::PartyRows rows(store, model_->columns());
    for (std::size_t i = first; i < store.size(); ++i) {
      rows.node[i] = p.node;
      rows.state[i] = p.state;
      rows.origin[i] = p.origin;
      rows.demographic[i] = p.demo;
      rows.size[i] = p.size;
      rows.flags[i] = p.smuggler ? cm::kFlagSmuggler : 0;
      rows.route[i] = p.route;
      rows.hop[i] = p.hop;
      rows.progress[i] = p.progress;
      rows.wait_until[i] = p.wait_until;
      rows.trip_start[i] = p.wait_until;
      rows.departure_day[i] = p.wait_until;
      rows.encounters[i] = p.encounters;
      rows.last_encounter[i] = p.last_encounter;
      rows.final_day[i] = -1;
    }
    return first;
  }

  /// Number of rows in [first, last) whose state is s.
  std::size_t count_state(cm::State s, std::size_t first = 0, std::size_t last = SIZE_MAX) const {
    std::size_t c = 0;
    for (std::size_t i = first; i < std::min(last, store.size()); ++i) c += store.states()[i] == s;
    return c;
  }
  /// Sum of a series over all its cells in today's sink.
  std::int64_t total(const SeriesId& s) const {
    std::int64_t t = 0;
    for (std::size_t c = 0; c < s.cells; ++c) t += sink.tally[s.offset + c];
    return t;
  }
  /// Encounters today, summed over sectors and components, for one title (and optionally one demographic).
  std::int64_t encounters(cm::Title title, int demo = -1) const {
    const SeriesId& s = model_->us_border().series().encounters;
    std::int64_t t = 0;
    for (std::size_t sec = 0; sec < model_->roles().sector_count(); ++sec)
      for (int n = 0; n < cm::kNationalities; ++n)
        for (int d = 0; d < cm::kDemographics; ++d)
          for (int c = 0; c < 2; ++c)
            if (demo < 0 || d == demo) t += sink.tally[s.at(sec, n, d, title, c)];
    return t;
  }

  /// A candidate route of start `start_node` whose node list contains `through` (first found).
  std::uint32_t route_through(const std::string& start_node, const std::string& through) const {
    const auto& pl = model_->route_choice();
    const int slot = pl.start_slot(node(start_node));
    REQUIRE(slot >= 0);
    const std::uint32_t t = node(through);
    for (std::uint32_t r : pl.candidates(static_cast<std::size_t>(slot))) {
      const auto nodes = pl.route_nodes(r);
      if (std::find(nodes.begin(), nodes.end(), t) != nodes.end()) return r;
    }
    FAIL("no candidate route from " << start_node << " passes " << through);
    return 0;
  }

  ModelSetup setup;
  AgentStore store;
  ThreadSink sink;

 private:
  std::unique_ptr<LoadedScenario> ls_;
  cm::CorridorModel* model_ = nullptr;
  DayContext ctx_;
};

/// A single adult from GUA about to pass Ciudad Hidalgo today: at Tecun Uman, hop 2 of a
/// GUA-?-TEC-CHI route (the Mexican enforcement tests, by node and by section).
inline PartySpec at_tecun_uman(CorridorBench& b) {
  const cm::RouteChoice& pl = b.model().route_choice();
  const auto slot = static_cast<std::size_t>(pl.start_slot(b.node("GUA")));
  for (std::uint32_t r : pl.candidates(slot)) {
    const auto nodes = pl.route_nodes(r);
    if (nodes.size() > 4 && nodes[2] == b.node("TEC") && nodes[3] == b.node("CHI")) {
      PartySpec p;
      p.route = r;
      p.hop = 2;
      p.node = b.node("TEC");
      p.wait_until = b.ctx().day;
      return p;
    }
  }
  FAIL("no route GUA-?-TEC-CHI");
  return {};
}

}  // namespace corridor::test
