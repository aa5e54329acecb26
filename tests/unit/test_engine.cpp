// Unit tests for sim/engine: the day loop gives identical output on any number of threads,
// and compaction keeps ids increasing and rows in order.
#include <catch2/catch.hpp>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <numeric>
#include <set>

#include "models/markov/markov_model.hpp"
#include "models/registry.hpp"
#include "sim/engine.hpp"
#include "sim/rng.hpp"
#include "sim_support.hpp"

namespace h5 = corridor::h5;
using corridor::AgentStore;
using corridor::Date;
using corridor::DayContext;
using corridor::Engine;
using corridor::RunOptions;
using corridor::ModelSetup;
using corridor::Network;
using corridor::RunOutput;
using corridor::RunStats;
using corridor::Scenario;
using corridor::ThreadSink;
using corridor::test::TempDir;

namespace {

Network line_network(std::uint32_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& extra = {}) {
  std::vector<corridor::NodeInfo> nodes(n);
  for (std::uint32_t i = 0; i < n; ++i) nodes[i].id = nodes[i].name = std::to_string(i);
  std::vector<corridor::EdgeInfo> edges;
  for (std::uint32_t i = 0; i + 1 < n; ++i) edges.push_back({i, i + 1, 10.0, ""});
  for (auto [a, b] : extra) edges.push_back({a, b, 10.0, ""});
  return Network::build(std::move(nodes), std::move(edges), false);
}

std::string file_name(std::string stem, int threads) {
  stem += '-';
  stem += std::to_string(threads);
  stem += ".h5";
  return stem;
}

Scenario scenario(int days, std::uint64_t seed) {
  Scenario sc;
  sc.name = "engine-test";
  sc.model = "test";
  sc.seed = seed;
  sc.calendar = {Date::from_ymd(2021, 1, 1), Date::from_ymd(2021, 1, 1).plus_days(days - 1)};
  return sc;
}

/// A minimal model: kPerDay agents appear every day, each active agent finishes with
/// probability 0.2 per day. Every column holds a function of the id (or of the id and the
/// day), so that a row moved out of order or only partly would be noticed.
class TinyModel {
 public:
  static constexpr std::size_t kPerDay = 300;
  static constexpr std::uint32_t kNodes = 5;

  void declare(ModelSetup& setup, AgentStore& store) {
    corridor::Dimension node{"node", {}};
    for (std::uint32_t n = 0; n < kNodes; ++n) node.labels.push_back(std::to_string(n));
    stepped_ = setup.series.add({"stepped", "agents", "active agents stepped", {}});
    finished_ = setup.series.add({"finished", "agents", "agents finished per node", {node}});
    ev_spawn_ = setup.add_event_kind("spawn");
    ev_finish_ = setup.add_event_kind("finish");
    active_ = setup.add_state("active");
    done_ = setup.add_state("done", /*final=*/true);
    birth_ = store.add_column<std::int32_t>("birth_day");
    tag_ = store.add_column<std::uint64_t>("tag");
    age_ = store.add_column<std::uint16_t>("age", /*output=*/false);
  }

  void begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink) {
    const std::size_t first = store.append(kPerDay);
    for (std::size_t i = first; i < store.size(); ++i) {
      const std::uint64_t id = store.ids()[i];
      store.nodes()[i] = static_cast<std::uint32_t>(id % kNodes);
      store.data(birth_)[i] = ctx.day;
      store.data(tag_)[i] = tag_of(id);
      sink.events.add(ctx.day, ev_spawn_, store.nodes()[i], id);
    }
  }

  void step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end, ThreadSink& sink) const {
    int seen = max_threads_seen_.load();
    while (seen < omp_get_num_threads() && !max_threads_seen_.compare_exchange_weak(seen, omp_get_num_threads())) {
    }
    for (std::size_t i = begin; i < end; ++i) {
      if (store.states()[i] != active_) continue;
      const std::uint64_t id = store.ids()[i];
      ++store.data(age_)[i];
      sink.tally.add(stepped_.at(0), 1);
      corridor::RandomStream rng(ctx.seed, id, static_cast<std::uint32_t>(ctx.day), 1);
      if (rng.bernoulli(0.2)) {
        store.states()[i] = done_;
        ++sink.finished;
        sink.tally.add(finished_.at(store.nodes()[i]), 1);
        sink.events.add(ctx.day, ev_finish_, store.nodes()[i], id, store.data(age_)[i]);
      }
    }
  }

  void end_day(const DayContext&, AgentStore&, corridor::Tally&) {}

  static std::uint64_t tag_of(std::uint64_t id) { return id * 7919 + 1; }

  corridor::ColumnId<std::int32_t> birth_;
  corridor::ColumnId<std::uint64_t> tag_;
  corridor::ColumnId<std::uint16_t> age_;
  std::uint8_t active_ = 0, done_ = 0;
  mutable std::atomic<int> max_threads_seen_{0};

 private:
  corridor::SeriesId stepped_, finished_;
  std::uint16_t ev_spawn_ = 0, ev_finish_ = 0;
};

/// Everything a run wrote that must not depend on the thread count.
struct Snapshot {
  std::map<std::string, std::vector<std::int64_t>> data;
  RunStats stats;
  bool operator==(const Snapshot& o) const {
    return data == o.data && stats.days == o.stats.days && stats.agents == o.stats.agents &&
           stats.agent_steps == o.stats.agent_steps;
  }
};

template <class T>
std::vector<std::int64_t> as_int64(const std::vector<T>& v) {
  return std::vector<std::int64_t>(v.begin(), v.end());
}

Snapshot read_snapshot(const std::filesystem::path& path, const std::vector<std::string>& series) {
  Snapshot s;
  h5::Handle file = h5::open_file_readonly(path.string());
  for (const auto& name : series) {
    h5::Handle g = h5::open_group(file, "series/" + name);
    s.data["series/" + name] = h5::read_column<std::int64_t>(g, "value");
    s.data["series/" + name + "/day"] = as_int64(h5::read_column<std::int32_t>(g, "day"));
  }
  h5::Handle ev = h5::open_group(file, "events");
  s.data["events/day"] = as_int64(h5::read_column<std::int32_t>(ev, "day"));
  s.data["events/kind"] = as_int64(h5::read_column<std::uint16_t>(ev, "kind"));
  s.data["events/node"] = as_int64(h5::read_column<std::uint32_t>(ev, "node"));
  s.data["events/agent"] = as_int64(h5::read_column<std::uint64_t>(ev, "agent"));
  s.data["events/other"] = h5::read_column<std::int64_t>(ev, "other");
  h5::Handle ag = h5::open_group(file, "agents");
  s.data["agents/id"] = as_int64(h5::read_column<std::uint64_t>(ag, "id"));
  s.data["agents/node"] = as_int64(h5::read_column<std::uint32_t>(ag, "node"));
  s.data["agents/state"] = as_int64(h5::read_column<std::uint8_t>(ag, "state"));
  return s;
}

template <class Model, class OnDay>
RunStats run_engine(const Scenario& sc, const Network& net, Model& model, int threads,
                    const std::filesystem::path& path, OnDay on_day) {
  RunOutput out(path, sc, net, corridor::RunInfo{"", threads, 1});
  Engine<Model>* engine_ptr = nullptr;
  RunOptions opt;
  opt.threads = threads;
  opt.on_day = [&](const DayContext& ctx, std::uint64_t active, std::uint64_t steps) {
    on_day(*engine_ptr, ctx, active, steps);
  };
  Engine<Model> engine(sc, model, opt);
  engine_ptr = &engine;
  const RunStats stats = engine.run(&out);
  out.finish(stats);
  return stats;
}

// Six places; agents start at 0 and 2 and drift towards 5, which is absorbing. One
// probability ramps over the run, so the alias tables are rebuilt every day.
corridor::markov::MarkovSpec markov_spec(const Network& net) {
  using corridor::Schedule;
  auto id = [&](const char* s) { return *net.find(s); };
  corridor::markov::MarkovSpec spec;
  spec.initial = {{id("0"), 3000}, {id("2"), 1000}};
  auto tr = [&](const char* a, const char* b, Schedule p) { spec.transitions.push_back({id(a), id(b), std::move(p)}); };
  tr("0", "1", Schedule(0.3));
  tr("1", "0", Schedule(0.1));
  tr("1", "2", Schedule(0.2));
  tr("1", "3", Schedule(0.1));
  tr("2", "3", Schedule(0.3));
  tr("3", "2", Schedule(0.05));
  const Date start = Date::from_ymd(2021, 1, 1);
  tr("3", "4", Schedule({{start, 0.1, false}, {start.plus_days(30), 0.4, true}}));
  tr("4", "3", Schedule(0.1));
  tr("4", "5", Schedule(0.3));
  return spec;
}

}  // namespace

TEST_CASE("markov per-day totals, events and agent table are identical with 1, 2 and 8 threads") {
  TempDir dir("engine-markov");
  const Network net = line_network(6, {{1, 3}});
  const Scenario sc = scenario(40, 424242);
  const std::uint64_t agents = 4000;

  std::map<int, Snapshot> snaps;
  for (int threads : {1, 2, 8}) {
    corridor::markov::MarkovModel model(markov_spec(net), net, sc.calendar);
    const auto path = dir / file_name("markov", threads);
    std::uint64_t days_seen = 0;
    Snapshot s;
    s.stats = run_engine(sc, net, model, threads, path,
                         [&](Engine<corridor::markov::MarkovModel>&, const DayContext&, std::uint64_t, std::uint64_t) {
                           ++days_seen;
                         });
    CHECK(days_seen == 40);
    const Snapshot file = read_snapshot(path, {"occupancy", "arrivals"});
    s.data = file.data;
    snaps[threads] = s;
  }
  const Snapshot& one = snaps[1];
  CHECK(one.stats.days == 40);
  CHECK(one.stats.agents == agents);

  // The run is not trivial: agents moved and some were absorbed.
  const auto& occ = one.data.at("series/occupancy");
  REQUIRE(occ.size() == 40 * 6);
  for (int d = 0; d < 40; ++d) {
    const auto day_total = std::accumulate(occ.begin() + d * 6, occ.begin() + (d + 1) * 6, std::int64_t{0});
    INFO("day " << d);
    CHECK(day_total == static_cast<std::int64_t>(agents));  // everyone is somewhere every day
  }
  CHECK(occ[39 * 6 + 5] > 0);
  const auto& arrivals = one.data.at("series/arrivals");
  const auto moves = std::accumulate(arrivals.begin(), arrivals.end(), std::int64_t{0});
  const auto& kind = one.data.at("events/kind");
  CHECK(std::count(kind.begin(), kind.end(), 0) == static_cast<std::ptrdiff_t>(agents));  // spawn
  CHECK(std::count(kind.begin(), kind.end(), 1) == moves);                                 // move
  CHECK(moves > 1000);

  // Every agent appears once in the agent table; absorbed ones at node 5.
  const auto& ids = one.data.at("agents/id");
  CHECK(std::set<std::int64_t>(ids.begin(), ids.end()).size() == agents);
  CHECK(ids.size() == agents);
  const auto& st = one.data.at("agents/state");
  const auto& nd = one.data.at("agents/node");
  std::size_t absorbed = 0, absorbed_elsewhere = 0;
  for (std::size_t i = 0; i < st.size(); ++i)
    if (st[i] == 1) {
      ++absorbed;
      absorbed_elsewhere += nd[i] == 5 ? 0 : 1;
    }
  CHECK(absorbed == static_cast<std::size_t>(occ[39 * 6 + 5]));
  CHECK(absorbed_elsewhere == 0);

  // Move events of one day come in increasing agent order, whatever the thread count.
  const auto& ev_day = one.data.at("events/day");
  const auto& ev_agent = one.data.at("events/agent");
  std::size_t out_of_order = 0;
  for (std::size_t i = 1; i < ev_day.size(); ++i) {
    if (ev_day[i - 1] > ev_day[i]) ++out_of_order;
    if (kind[i] == 1 && kind[i - 1] == 1 && ev_day[i] == ev_day[i - 1] && !(ev_agent[i - 1] < ev_agent[i]))
      ++out_of_order;
  }
  CHECK(out_of_order == 0);

  for (int threads : {2, 8}) {
    INFO(threads << " threads against 1");
    for (const auto& [name, values] : one.data) {
      INFO("dataset " << name);
      CHECK(snaps[threads].data.at(name) == values);
    }
    CHECK(snaps[threads] == one);
  }
}

TEST_CASE("compaction keeps ids increasing and every column in row order, on any number of threads") {
  TempDir dir("engine-tiny");
  const Network net = line_network(TinyModel::kNodes);
  const int days = 30;
  const Scenario sc = scenario(days, 77);

  std::map<int, Snapshot> snaps;
  for (int threads : {1, 2, 8}) {
    INFO(threads << " threads");
    TinyModel model;
    std::size_t bad_rows = 0, days_compacted = 0;
    std::uint64_t last_active = 0;
    const auto path = dir / file_name("tiny", threads);
    Snapshot s;
    s.stats = run_engine(sc, net, model, threads, path,
                         [&](Engine<TinyModel>& engine, const DayContext& ctx, std::uint64_t active, std::uint64_t) {
                           const AgentStore& store = engine.store();
                           std::uint64_t still_active = 0;
                           for (std::size_t i = 0; i < store.size(); ++i) {
                             const std::uint64_t id = store.ids()[i];
                             const bool ok =
                                 (i == 0 || store.ids()[i - 1] < id) && store.nodes()[i] == id % TinyModel::kNodes &&
                                 store.data(model.tag_)[i] == TinyModel::tag_of(id) &&
                                 store.data(model.birth_)[i] == static_cast<std::int32_t>(id / TinyModel::kPerDay);
                             bad_rows += ok ? 0 : 1;
                             if (store.states()[i] == model.active_) {
                               ++still_active;
                               // Stepped once on every day since (and including) its first.
                               if (store.data(model.age_)[i] != ctx.day - store.data(model.birth_)[i] + 1) ++bad_rows;
                             }
                           }
                           if (store.size() < store.next_id()) ++days_compacted;
                           CHECK(active == still_active);
                           last_active = active;
                         });
    CHECK(bad_rows == 0);
    CHECK(days_compacted > 0);  // compaction did happen: the checks above were not vacuous
    if (threads == 8) CHECK(model.max_threads_seen_.load() == 8);
    CHECK(s.stats.agents == days * TinyModel::kPerDay);

    const Snapshot file = read_snapshot(path, {"stepped", "finished"});
    s.data = file.data;
    {
      h5::Handle f = h5::open_file_readonly(path.string());
      h5::Handle ag = h5::open_group(f, "agents");
      s.data["agents/tag"] = as_int64(h5::read_column<std::uint64_t>(ag, "tag"));
      s.data["agents/birth_day"] = as_int64(h5::read_column<std::int32_t>(ag, "birth_day"));
      CHECK(H5Lexists(ag, "age", H5P_DEFAULT) == 0);
    }
    // The agent table holds every agent once, each row consistent across its columns.
    const auto& ids = s.data.at("agents/id");
    REQUIRE(ids.size() == days * TinyModel::kPerDay);
    CHECK(std::set<std::int64_t>(ids.begin(), ids.end()).size() == ids.size());
    std::size_t bad = 0, done = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto id = static_cast<std::uint64_t>(ids[i]);
      if (s.data.at("agents/tag")[i] != static_cast<std::int64_t>(TinyModel::tag_of(id)) ||
          s.data.at("agents/node")[i] != static_cast<std::int64_t>(id % TinyModel::kNodes) ||
          s.data.at("agents/birth_day")[i] != static_cast<std::int64_t>(id / TinyModel::kPerDay))
        ++bad;
      done += s.data.at("agents/state")[i] == 1 ? 1 : 0;
    }
    CHECK(bad == 0);
    CHECK(done + last_active == ids.size());
    // Agent steps: every active agent on every day it was active.
    const auto& stepped = s.data.at("series/stepped");
    CHECK(static_cast<std::uint64_t>(std::accumulate(stepped.begin(), stepped.end(), std::int64_t{0})) ==
          s.stats.agent_steps);
    snaps[threads] = s;
  }
  for (int threads : {2, 8}) {
    INFO(threads << " threads against 1");
    for (const auto& [name, values] : snaps[1].data) {
      INFO("dataset " << name);
      CHECK(snaps[threads].data.at(name) == values);
    }
  }
}

TEST_CASE("an engine run without an output file gives the same statistics") {
  const Network net = line_network(TinyModel::kNodes);
  const Scenario sc = scenario(10, 5);
  TinyModel a, b;
  RunOptions opt;
  opt.threads = 3;
  Engine<TinyModel> with_none(sc, a, opt);
  const RunStats s1 = with_none.run(nullptr);
  TempDir dir("engine-null");
  const RunStats s2 = run_engine(sc, net, b, 1, dir / "x.h5",
                                 [](Engine<TinyModel>&, const DayContext&, std::uint64_t, std::uint64_t) {});
  CHECK(s1.days == 10);
  CHECK(s1.agents == s2.agents);
  CHECK(s1.agent_steps == s2.agent_steps);
  CHECK(s1.agent_steps > 0);
}
