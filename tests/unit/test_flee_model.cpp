// models/flee end to end on the engine: determinism across thread counts, and the rules seen
// through whole days (closures from both ends, route and spawn frequencies, start-of-day
// occupancy, conflict decay). Statistical checks state their tolerance: 4.5 binomial
// standard deviations of the sample, a false alarm about once in 150,000 runs (and the seed
// is fixed, so a pass or a failure is reproducible).
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <memory>
#include <tuple>

#include "flee_support.hpp"
#include "models/flee/flee_model.hpp"
#include "models/registry.hpp"
#include "sim/engine.hpp"

using namespace corridor;
using namespace corridor::flee;
using corridor::test::flee_closure;
using corridor::test::flee_link;
using corridor::test::flee_location;

namespace {

const std::filesystem::path kMali = std::filesystem::path(CORRIDOR_SOURCE_DIR) / "scenarios" / "flee" / "mali2012.yaml";

Scenario scenario_of_days(int days, std::uint64_t seed = 5) {
  Scenario sc;
  sc.name = "test";
  sc.model = "flee";
  sc.seed = seed;
  sc.calendar.start = Date::from_ymd(2020, 1, 1);
  sc.calendar.end = sc.calendar.start.plus_days(days - 1);
  return sc;
}

/// Runs a case built in code; returns the engine's store through `inspect`.
template <class F>
void run_case(FleeCase c, int days, int threads, F&& inspect) {
  const Network net = build_network(c);
  const Scenario sc = scenario_of_days(days);
  FleeModel model(std::move(c), net, sc.calendar);
  RunOptions eo;
  eo.threads = threads;
  eo.events = false;
  eo.write_agents = false;
  Engine<FleeModel> engine(sc, model, eo);
  engine.run(nullptr);
  inspect(engine.store(), model);
}

template <class T>
std::vector<T> column(const AgentStore& s, const std::string& name) {
  for (const auto& c : s.columns())
    if (c.name == name) {
      const auto& v = std::get<std::vector<T>>(c.data);
      return {v.begin(), v.begin() + static_cast<std::ptrdiff_t>(s.size())};
    }
  FAIL("no column " << name);
  return {};
}

struct Snapshot {
  std::vector<std::uint32_t> node, home, arc;
  std::vector<std::uint8_t> state;
  std::vector<float> km;
  std::vector<std::int64_t> sim, debt;
  bool operator==(const Snapshot&) const = default;
};

Snapshot run_mali(int threads) {
  ScenarioDoc doc = ScenarioDoc::load(kMali);
  doc.set("flee.optimisations.hasten=20");
  doc.set("end=2012-06-07");  // 100 days
  const Scenario sc = Scenario::read(doc);
  const Network net = load_flee_network(sc, doc);
  FleeModel model(sc, doc, net);
  RunOptions eo;
  eo.threads = threads;
  eo.write_agents = false;
  Engine<FleeModel> engine(sc, model, eo);
  engine.run(nullptr);
  const AgentStore& s = engine.store();
  return Snapshot{column<std::uint32_t>(s, "node"), column<std::uint32_t>(s, "home"), column<std::uint32_t>(s, "arc"),
                  column<std::uint8_t>(s, "state"),  column<float>(s, "link_km"),       model.out_table().sim,
                  model.out_table().debt};
}


/// Mali (100 days, hasten 20) run by hand as `ranks` MPI ranks would run it (docs/hpc.md):
/// each rank its own model and a store holding only its share of the agents; each day's
/// tallies summed over the ranks as the engine's Allreduce does, and every rank's end_day given
/// the sums. Returns every agent (all ranks' stores, by id), the day totals after end_day
/// (required to be the same on every rank) and the out.csv table of rank 0.
struct ByHand {
  std::map<std::uint64_t, std::tuple<std::uint32_t, std::uint32_t, std::uint8_t, std::uint32_t, float>> agents;
  std::vector<std::vector<std::int64_t>> totals;
  OutTable table;
};

ByHand run_mali_by_hand(std::uint32_t ranks, bool take_from_population) {
  ScenarioDoc doc = ScenarioDoc::load(kMali);
  doc.set("flee.optimisations.hasten=20");
  doc.set("end=2012-06-07");
  if (take_from_population) doc.set("flee.spawn_rules.take_from_population=true");
  const Scenario sc = Scenario::read(doc);
  const Network net = load_flee_network(sc, doc);
  std::vector<std::unique_ptr<FleeModel>> models;
  std::vector<ModelSetup> setups(ranks);
  std::vector<AgentStore> stores(ranks);
  for (std::uint32_t r = 0; r < ranks; ++r) {
    models.push_back(std::make_unique<FleeModel>(sc, doc, net));
    models[r]->declare(setups[r], stores[r]);
    if (ranks > 1) stores[r].set_partition(ranks, r);
  }
  const std::size_t cells = setups[0].series.cells();
  ByHand out;
  for (int day = 0; day < sc.calendar.days(); ++day) {
    const DayContext ctx{day, sc.calendar.date_of(day), sc.calendar.days(), sc.seed};
    Tally sum;
    sum.resize(cells);
    for (std::uint32_t r = 0; r < ranks; ++r) {
      ThreadSink sink;
      sink.tally.resize(cells);
      sink.events.set_enabled(false);
      models[r]->begin_day(ctx, stores[r], sink);
      models[r]->step(ctx, stores[r], 0, stores[r].size(), sink);
      sum.accumulate(sink.tally);
    }
    // The tables today's decisions read are the same on every rank.
    for (std::uint32_t r = 1; r < ranks; ++r)
      for (std::uint32_t loc = 0; loc < models[0]->flee_case().locations.size(); ++loc) {
        INFO("day " << day << ", rank " << r << ", location " << loc);
        REQUIRE(models[r]->occupancy_at_start(loc) == models[0]->occupancy_at_start(loc));
        REQUIRE(models[r]->capacity_factor_today(loc) == models[0]->capacity_factor_today(loc));
        REQUIRE(models[r]->score(loc) == models[0]->score(loc));
      }
    for (std::uint32_t r = 0; r < ranks; ++r) {
      Tally totals = sum;
      models[r]->end_day(ctx, stores[r], totals);
      const std::vector<std::int64_t> flat(totals.data(), totals.data() + totals.size());
      if (r == 0) {
        out.totals.push_back(flat);
      } else {
        INFO("day " << day << ", rank " << r);
        REQUIRE(flat == out.totals.back());
      }
    }
  }
  for (std::uint32_t r = 0; r < ranks; ++r) {
    const AgentStore& s = stores[r];
    const auto id = column<std::uint64_t>(s, "id");
    const auto node = column<std::uint32_t>(s, "node"), home = column<std::uint32_t>(s, "home");
    const auto state = column<std::uint8_t>(s, "state");
    const auto arc = column<std::uint32_t>(s, "arc");
    const auto km = column<float>(s, "link_km");
    for (std::size_t i = 0; i < s.size(); ++i) out.agents[id[i]] = {node[i], home[i], state[i], arc[i], km[i]};
  }
  for (std::uint32_t r = 1; r < ranks; ++r) {
    REQUIRE(models[r]->out_table().sim == models[0]->out_table().sim);
    REQUIRE(models[r]->out_table().total_agents == models[0]->out_table().total_agents);
  }
  out.table = models[0]->out_table();
  return out;
}

}  // namespace

TEST_CASE("the Mali case gives identical agents and camp counts on 1, 2 and 8 threads", "[flee]") {
  const Snapshot one = run_mali(1);
  REQUIRE(one.node.size() > 1000);
  CHECK(run_mali(2) == one);
  CHECK(run_mali(8) == one);
}

TEST_CASE("the Mali case split over 2 and 3 ranks' stores takes the decisions of one store", "[flee]") {
  for (const bool take : {false, true}) {
    INFO("take_from_population " << take);
    const ByHand one = run_mali_by_hand(1, take);
    REQUIRE(one.agents.size() > 1000);
    REQUIRE(one.table.total_agents.back() == static_cast<std::int64_t>(one.agents.size()));
    for (const std::uint32_t ranks : {2u, 3u}) {
      INFO(ranks << " ranks");
      const ByHand split = run_mali_by_hand(ranks, take);
      CHECK(split.agents == one.agents);
      CHECK(split.totals == one.totals);
      CHECK(split.table.sim == one.table.sim);
      CHECK(split.table.total_agents == one.table.total_agents);
      CHECK(split.table.debt == one.table.debt);
    }
  }
}

TEST_CASE("agents on a link that closes are sent back to their start from either end", "[flee]") {
  // A --720 km-- B, two towns where everybody moves; the link closes from day 1 on.
  FleeCase c;
  c.settings.default_movechance = 1.0;
  c.locations = {flee_location("A", LocationType::kTown), flee_location("B", LocationType::kTown)};
  c.links = {flee_link(0, 1, 720)};
  c.initial_agents = {{0, 10}, {1, 10}};
  c.closures = {flee_closure(Closure::Kind::kLink, "B", "A", 1, -1)};
  for (int days : {1, 2, 3}) {
    run_case(c, days, 2, [&](const AgentStore& s, const FleeModel&) {
      const auto node = column<std::uint32_t>(s, "node"), home = column<std::uint32_t>(s, "home");
      const auto state = column<std::uint8_t>(s, "state");
      for (std::size_t i = 0; i < s.size(); ++i) {
        INFO("after " << days << " days, agent " << i);
        if (days == 1) {
          CHECK(state[i] == kTravelling);  // 360 of 720 km
        } else {
          CHECK(state[i] == kAtLocation);  // arrived on day 1, sent back, and stays: no open link
          CHECK(node[i] == home[i]);
        }
      }
    });
  }
}

TEST_CASE("agents choose among destinations with the frequencies of the route weights", "[flee]") {
  // A town where all move; camps B (90 km) and C (190 km) where nobody moves again.
  // Weights 1/100 and 1/200: P(B) = 2/3. n = 30000: sd = sqrt(n p (1-p)) = 81.6.
  FleeCase c;
  c.settings.default_movechance = 1.0;
  c.settings.camp_movechance = 0.0;
  c.locations = {flee_location("A", LocationType::kTown), flee_location("B", LocationType::kCamp),
                 flee_location("C", LocationType::kCamp)};
  c.links = {flee_link(0, 1, 90), flee_link(0, 2, 190)};
  c.initial_agents = {{0, 30000}};
  run_case(c, 1, 2, [&](const AgentStore& s, const FleeModel&) {
    const auto node = column<std::uint32_t>(s, "node");
    const double at_b = static_cast<double>(std::count(node.begin(), node.end(), 1u));
    const double at_c = static_cast<double>(std::count(node.begin(), node.end(), 2u));
    CHECK(at_b + at_c == 30000);
    CHECK(std::fabs(at_b - 20000.0) < 4.5 * std::sqrt(30000.0 * 2.0 / 9.0));
  });
}

TEST_CASE("the capacity factor reads the occupancy at the start of the day, not the moves of that day", "[flee]") {
  // Camp B holds 100; 1000 agents leave A on day 0 while B is empty, so B keeps factor 1
  // all day and receives far more than its capacity; on day 1 it starts full: factor 0.
  FleeCase c;
  c.settings.default_movechance = 1.0;
  c.settings.camp_movechance = 0.0;
  c.locations = {flee_location("A", LocationType::kTown), flee_location("B", LocationType::kCamp, "X", 100),
                 flee_location("C", LocationType::kCamp)};
  c.links = {flee_link(0, 1, 90), flee_link(0, 2, 190)};
  c.initial_agents = {{0, 1000}};
  run_case(c, 1, 2, [&](const AgentStore& s, const FleeModel& m) {
    const auto node = column<std::uint32_t>(s, "node");
    CHECK(m.capacity_factor_today(1) == 1.0);
    CHECK(std::count(node.begin(), node.end(), 1u) > 500);
  });
  run_case(c, 2, 2, [&](const AgentStore&, const FleeModel& m) {
    CHECK(m.occupancy_at_start(1) > 500);
    CHECK(m.capacity_factor_today(1) == 0.0);
  });
}

TEST_CASE("new agents start at conflict zones in proportion to population times intensity", "[flee]") {
  // P: pop 1000, intensity 1; Q: pop 3000, intensity 0.5; R: a town of a million, not in
  // conflict. Weights 1000 : 1500 : 0, so P gets 0.4 of the 20000 agents of day 1:
  // sd = sqrt(20000 x 0.4 x 0.6) = 69.3.
  FleeCase c;
  c.locations = {flee_location("P", LocationType::kConflictZone, "X", 1000),
                 flee_location("Q", LocationType::kConflictZone, "X", 3000),
                 flee_location("R", LocationType::kTown, "X", 1e6), flee_location("K", LocationType::kCamp, "Y")};
  c.links = {flee_link(0, 3, 1000), flee_link(1, 3, 1000), flee_link(2, 3, 1000)};
  c.conflicts.locations = {0, 1};
  c.conflicts.days = {0};
  c.conflicts.values = {{1.0, 0.5}};
  ValidationData v;
  v.camps = {3};
  CountSeries k;
  k.days = {0, 1};
  k.values = {50, 20050};
  v.series = {k};
  c.validation = v;
  run_case(c, 2, 2, [&](const AgentStore& s, const FleeModel& m) {
    const auto home = column<std::uint32_t>(s, "home");
    const auto day = column<std::int32_t>(s, "spawn_day");
    std::size_t day0_at_camp = 0, day1 = 0, day1_at_p = 0, at_r = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (day[i] == 0) day0_at_camp += home[i] == 3;
      if (day[i] == 1) {
        ++day1;
        day1_at_p += home[i] == 0;
        at_r += home[i] == 2;
      }
    }
    CHECK(day0_at_camp == 50);  // insert_day0
    CHECK(day1 == 20000);
    CHECK(at_r == 0);
    CHECK(std::fabs(static_cast<double>(day1_at_p) - 8000.0) < 4.5 * std::sqrt(20000.0 * 0.24));
    CHECK(m.out_table().days() == 2);
    CHECK(m.out_table().total_agents[1] == 20050);
  });
}

TEST_CASE("a conflict zone's score decays with the days since its conflict started", "[flee]") {
  FleeCase c;
  c.settings.conflict_weight = 0.25;
  c.settings.conflict_spawn_decay = {1.0, 0.5};
  c.settings.conflict_spawn_decay_interval = 30;
  c.locations = {flee_location("X", LocationType::kConflictZone), flee_location("Y", LocationType::kTown)};
  c.locations[0].conflict_date = 0;
  c.links = {flee_link(0, 1, 10)};
  run_case(c, 30, 1, [&](const AgentStore&, const FleeModel& m) { CHECK(m.score(0) == Approx(0.25)); });  // day 29
  run_case(c, 31, 1, [&](const AgentStore&, const FleeModel& m) { CHECK(m.score(0) == Approx(0.5)); });   // day 30
}

TEST_CASE("a closed camp loses its camp weight and its camp move chance while the closure lasts", "[flee]") {
  FleeCase c;
  c.settings.camp_weight = 3.0;
  c.locations = {flee_location("K", LocationType::kCamp, "X", 1000), flee_location("Y", LocationType::kTown)};
  c.links = {flee_link(0, 1, 10)};
  c.closures = {flee_closure(Closure::Kind::kCamp, "K", "", 2, 4)};
  run_case(c, 2, 1, [&](const AgentStore&, const FleeModel& m) { CHECK(m.score(0) == 3.0); });  // day 1
  run_case(c, 3, 1, [&](const AgentStore&, const FleeModel& m) {                                 // day 2
    CHECK(m.score(0) == 1.0);
    CHECK(m.closures().camp_closed(0));
  });
  run_case(c, 5, 1, [&](const AgentStore&, const FleeModel& m) { CHECK(m.score(0) == 3.0); });  // day 4
}
