// Conservation in the corridor model: every person who departed is in exactly one state on
// every day, and a party (a family) never splits or changes size. The day loop is driven by
// hand through the model's engine interface (begin_day, step over two halves of the rows
// with separate sinks as two threads would, end_day) without compaction, so that every party
// ever created stays visible: then on every day
//   sum of the occupancy series (people of active parties, by node)
//   + people of parties in a final state
//   = cumulative departures series (people who left their origin for the first time),
// the occupancy of each node equals the people of active parties whose row says they are there,
// and each party's size is the one it was born with.
#include <catch2/catch.hpp>
#include <set>

#include "corridor_support.hpp"

using namespace corridor;
using namespace corridor::cm;

TEST_CASE("every person who departed is in exactly one state on every day, and parties never change size") {
  // FY2019 and FY2020 at 2% scale: all eleven states occur (MPP from 2019-01-29, Title 42
  // from 2020-03-20, settling in Mexico after the asylum wait).
  auto ls = load_scenario(corridor::test::kDefaultsScenario, {"corridor.scale=0.02", "end=2020-09-30"});
  auto& model = dynamic_cast<RunnerFor<CorridorModel>&>(*ls->runner).model();
  ModelSetup setup;
  AgentStore store;
  model.declare(setup, store);
  REQUIRE(setup.state_names.size() == kStateCount);
  ThreadSink serial, left, right;
  for (ThreadSink* s : {&serial, &left, &right}) s->tally.resize(setup.series.cells());
  Tally totals;
  totals.resize(setup.series.cells());
  const std::size_t nodes = ls->network->node_count();

  const Calendar cal = ls->scenario.calendar;
  std::vector<std::uint8_t> born_size;  // by party id (ids are row indices: nothing is compacted)
  std::int64_t cumulative_departures = 0;
  std::size_t bad_ids = 0, bad_days = 0, bad_node_days = 0, size_changes = 0, bad_sizes = 0, bad_final_day = 0,
              bad_state = 0;
  std::set<int> states_seen;
  for (int day = 0; day < cal.days(); ++day) {
    const DayContext ctx{day, cal.date_of(day), cal.days(), ls->scenario.seed};
    for (ThreadSink* s : {&serial, &left, &right}) s->clear();
    model.begin_day(ctx, store, serial);
    const std::size_t n = store.size();
    model.step(ctx, store, 0, n / 2, left);
    model.step(ctx, store, n / 2, n, right);
    totals.clear();
    for (ThreadSink* s : {&serial, &left, &right}) totals.accumulate(s->tally);
    model.end_day(ctx, store, totals);

    for (std::size_t c = 0; c < model.departures().series().departures.cells; ++c)
      cumulative_departures += totals[model.departures().series().departures.offset + c];
    std::int64_t occupancy = 0;
    for (std::size_t c = 0; c < nodes; ++c) occupancy += totals[model.occupancy().at(c)];

    std::int64_t final_people = 0;
    std::vector<std::int64_t> at_node(nodes, 0);
    const std::uint8_t* size = store.data(model.columns().size);
    const std::uint8_t* demo = store.data(model.columns().demographic);
    const std::int32_t* final_day = store.data(model.columns().final_day);
    for (std::size_t i = 0; i < n; ++i) {
      if (store.ids()[i] != i) ++bad_ids;
      if (i >= born_size.size()) {
        born_size.push_back(size[i]);
        if (demo[i] == kFamily ? (size[i] < 2 || size[i] > 6) : size[i] != 1) ++bad_sizes;
      }
      if (size[i] != born_size[i]) ++size_changes;
      const int s = store.states()[i];
      if (s >= kStateCount) ++bad_state;
      states_seen.insert(s);
      if (is_final_state(s)) {
        final_people += size[i];
        if (final_day[i] < 0 || final_day[i] > day) ++bad_final_day;
      } else {
        at_node[store.nodes()[i]] += size[i];
        if (final_day[i] != -1) ++bad_final_day;
      }
    }
    if (occupancy + final_people != cumulative_departures) {
      if (bad_days == 0)
        WARN("day " << day << ": occupancy " << occupancy << " + final " << final_people << " != departed "
                    << cumulative_departures);
      ++bad_days;
    }
    for (std::size_t c = 0; c < nodes; ++c)
      if (totals[model.occupancy().at(c)] != at_node[c]) ++bad_node_days;
  }
  INFO(store.size() << " parties, " << cumulative_departures << " people departed");
  CHECK(store.size() > 10000);
  CHECK(bad_ids == 0);  // nothing was compacted: row i holds party i
  CHECK(bad_days == 0);
  CHECK(bad_node_days == 0);
  CHECK(size_changes == 0);
  CHECK(bad_sizes == 0);
  CHECK(bad_final_day == 0);
  CHECK(bad_state == 0);
  // The check covered every state, final or not.
  CHECK(states_seen.size() == static_cast<std::size_t>(kStateCount));
}
