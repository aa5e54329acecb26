// Unit tests for sim/output: the run's HDF5 file is written under a temporary name, renamed
// into place by finish(), and removed if the run never finishes.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "sim/output.hpp"
#include "sim_support.hpp"

namespace fs = std::filesystem;
namespace h5 = corridor::h5;
using corridor::AgentStore;
using corridor::Date;
using corridor::ModelSetup;
using corridor::RunOutput;
using corridor::test::TempDir;

namespace {

struct Fixture {
  TempDir dir{"output"};
  corridor::Scenario sc;
  corridor::Network net;
  corridor::RunInfo info{"name: unit\nseed: 7\n", 2, 1};
  ModelSetup setup;
  AgentStore store;
  corridor::ColumnId<float> weight;
  corridor::ColumnId<std::int32_t> scratch;
  corridor::SeriesId occupancy, total;

  Fixture() {
    sc.name = "unit";
    sc.model = "test";
    sc.seed = 18446744073709551615ull;
    sc.calendar = {Date::from_ymd(2020, 2, 27), Date::from_ymd(2020, 3, 1)};  // 4 days
    corridor::NetworkFiles files;
    files.nodes = dir.write("nodes.csv", "id,name,kind,lat,sector\nA,Alpha,town,1.5,n\nB,Beta,camp,,s\n");
    files.edges = dir.write("edges.csv", "from,to,km,mode,toll\nA,B,12.5,road,3\n");
    net = corridor::Network::load(files);

    occupancy = setup.series.add({"occupancy", "agents", "agents per node", {{"node", {"A", "B"}}}});
    total = setup.series.add({"total", "agents", "all agents", {}});
    setup.add_event_kind("spawn");
    setup.add_event_kind("move");
    setup.add_state("active");
    setup.add_state("done", true);
    weight = store.add_column<float>("weight");
    scratch = store.add_column<std::int32_t>("scratch", /*output=*/false);
  }

  fs::path tmp_of(const fs::path& p) const {
    fs::path t = p;
    t += ".tmp-";
    t += std::to_string(::getpid());
    return t;
  }
};

}  // namespace

TEST_CASE("a run output is written under a temporary name and renamed into place by finish") {
  Fixture f;
  const fs::path path = f.dir / "results" / "run.h5";  // the directory does not exist yet
  {
    RunOutput out(path, f.sc, f.net, f.info);
    CHECK(out.path() == path);
    CHECK(fs::exists(f.tmp_of(path)));
    CHECK_FALSE(fs::exists(path));
    out.declare(f.setup, f.store, f.sc.calendar);

    f.store.append(3);
    for (std::size_t i = 0; i < 3; ++i) {
      f.store.nodes()[i] = static_cast<std::uint32_t>(i % 2);
      f.store.data(f.weight)[i] = 0.5f * static_cast<float>(i);
    }
    corridor::Tally t;
    t.resize(f.setup.series.cells());
    corridor::EventBuffer ev;
    for (int day = 0; day < f.sc.calendar.days(); ++day) {
      t.clear();
      t[f.occupancy.at(0)] = 10 + day;
      t[f.occupancy.at(1)] = 20 + day;
      t[f.total.at(0)] = 30 + 2 * day;
      out.append_day(day, t);
      ev.clear();
      ev.add(day, 1, 1, 100 + static_cast<std::uint64_t>(day), -day);
      out.append_events(ev);
    }
    f.store.states()[1] = 1;
    const std::vector<std::uint32_t> finished{1};
    out.append_agents(f.store, finished);
    f.store.compact(f.setup.is_final);
    out.append_all_agents(f.store);
    CHECK_FALSE(fs::exists(path));

    corridor::RunStats stats;
    stats.days = f.sc.calendar.days();
    stats.agents = 3;
    stats.agent_steps = 12;
    stats.seconds = 0.5;
    out.finish(stats);
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(f.tmp_of(path)));
  }
  CHECK(fs::exists(path));  // the destructor of a finished output leaves the file alone

  h5::Handle file = h5::open_file_readonly(path.string());
  CHECK(h5::read_int_attribute(file, "complete") == 1);
  CHECK(h5::read_string_attribute(file, "format") == "corridor");
  CHECK(h5::read_int_attribute(file, "format_version") == corridor::kFormatVersion);
  CHECK(h5::read_string_attribute(file, "scenario_name") == "unit");
  CHECK(h5::read_string_attribute(file, "model") == "test");
  CHECK(h5::read_string_attribute(file, "seed") == "18446744073709551615");  // text: no 64-bit loss
  CHECK(h5::read_string_attribute(file, "start_date") == "2020-02-27");
  CHECK(h5::read_string_attribute(file, "end_date") == "2020-03-01");
  CHECK(h5::read_string_attribute(file, "scenario") == f.info.scenario_yaml);
  CHECK(h5::read_int_attribute(file, "days") == 4);
  CHECK(h5::read_int_attribute(file, "threads") == 2);
  CHECK(h5::read_int_attribute(file, "agents") == 3);
  CHECK(h5::read_int_attribute(file, "agent_steps") == 12);
  CHECK_FALSE(h5::read_string_attribute(file, "software_version").empty());
  CHECK(h5::read_string_attribute(file, "created").size() == 20);  // YYYY-MM-DDTHH:MM:SSZ

  {
    h5::Handle nodes = h5::open_group(file, "network/nodes");
    CHECK(h5::read_strings(nodes, "id") == std::vector<std::string>{"A", "B"});
    CHECK(h5::read_strings(nodes, "name") == std::vector<std::string>{"Alpha", "Beta"});
    CHECK(h5::read_strings(nodes, "sector") == std::vector<std::string>{"n", "s"});
    const auto lat = h5::read_column<double>(nodes, "lat");
    REQUIRE(lat.size() == 2);
    CHECK(lat[0] == 1.5);
    CHECK(std::isnan(lat[1]));
    h5::Handle edges = h5::open_group(file, "network/edges");
    CHECK(h5::read_column<std::uint32_t>(edges, "from") == std::vector<std::uint32_t>{0});
    CHECK(h5::read_column<std::uint32_t>(edges, "to") == std::vector<std::uint32_t>{1});
    CHECK(h5::read_column<double>(edges, "km") == std::vector<double>{12.5});
    CHECK(h5::read_strings(edges, "toll") == std::vector<std::string>{"3"});
    CHECK(h5::read_int_attribute(edges, "directed") == 0);
  }
  {
    h5::Handle cal = h5::open_group(file, "calendar");
    CHECK(h5::read_column<std::int32_t>(cal, "day") == std::vector<std::int32_t>{0, 1, 2, 3});
    CHECK(h5::read_strings(cal, "date") ==
          std::vector<std::string>{"2020-02-27", "2020-02-28", "2020-02-29", "2020-03-01"});
  }
  {
    h5::Handle occ = h5::open_group(file, "series/occupancy");
    CHECK(h5::read_column<std::int64_t>(occ, "value") == std::vector<std::int64_t>{10, 20, 11, 21, 12, 22, 13, 23});
    CHECK(h5::read_column<std::int32_t>(occ, "day") == std::vector<std::int32_t>{0, 1, 2, 3});
    CHECK(h5::read_strings(occ, "node") == std::vector<std::string>{"A", "B"});
    h5::Handle tot = h5::open_group(file, "series/total");
    CHECK(h5::read_column<std::int64_t>(tot, "value") == std::vector<std::int64_t>{30, 32, 34, 36});
  }
  {
    h5::Handle ev = h5::open_group(file, "events");
    CHECK(h5::read_strings(ev, "kind_labels") == std::vector<std::string>{"spawn", "move"});
    CHECK(h5::read_column<std::int32_t>(ev, "day") == std::vector<std::int32_t>{0, 1, 2, 3});
    CHECK(h5::read_column<std::uint16_t>(ev, "kind") == std::vector<std::uint16_t>{1, 1, 1, 1});
    CHECK(h5::read_column<std::uint64_t>(ev, "agent") == std::vector<std::uint64_t>{100, 101, 102, 103});
    CHECK(h5::read_column<std::int64_t>(ev, "other") == std::vector<std::int64_t>{0, -1, -2, -3});
  }
  {
    h5::Handle ag = h5::open_group(file, "agents");
    CHECK(h5::read_strings(ag, "state_labels") == std::vector<std::string>{"active", "done"});
    // The finished agent first (written at compaction), then the survivors in row order.
    CHECK(h5::read_column<std::uint64_t>(ag, "id") == std::vector<std::uint64_t>{1, 0, 2});
    CHECK(h5::read_column<std::uint8_t>(ag, "state") == std::vector<std::uint8_t>{1, 0, 0});
    CHECK(h5::read_column<std::uint32_t>(ag, "node") == std::vector<std::uint32_t>{1, 0, 0});
    CHECK(h5::read_column<float>(ag, "weight") == std::vector<float>{0.5f, 0.0f, 1.0f});
    CHECK(H5Lexists(ag, "scratch", H5P_DEFAULT) == 0);  // a column not marked for output
  }
}

TEST_CASE("a run output destroyed without finish leaves no file behind") {
  Fixture f;
  const fs::path path = f.dir / "abandoned.h5";
  {
    RunOutput out(path, f.sc, f.net, f.info);
    out.declare(f.setup, f.store, f.sc.calendar);
    corridor::Tally t;
    t.resize(f.setup.series.cells());
    out.append_day(0, t);
    CHECK(fs::exists(f.tmp_of(path)));
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(f.tmp_of(path)));
  std::size_t left = 0;
  for (const auto& e : fs::directory_iterator(f.dir.path())) left += e.path().extension() == ".csv" ? 0 : 1;
  CHECK(left == 0);
}

TEST_CASE("an abandoned run leaves an earlier complete file at the same path untouched") {
  Fixture f;
  const fs::path path = f.dir / "kept.h5";
  {
    RunOutput first(path, f.sc, f.net, f.info);
    first.declare(f.setup, f.store, f.sc.calendar);
    first.finish(corridor::RunStats{});
  }
  const auto size_before = fs::file_size(path);
  try {
    RunOutput second(path, f.sc, f.net, f.info);
    second.declare(f.setup, f.store, f.sc.calendar);
    throw std::runtime_error("the run failed");
  } catch (const std::runtime_error&) {
  }
  REQUIRE(fs::exists(path));
  CHECK(fs::file_size(path) == size_before);
  h5::Handle file = h5::open_file_readonly(path.string());
  CHECK(h5::read_int_attribute(file, "complete") == 1);
  CHECK_FALSE(fs::exists(f.tmp_of(path)));
}

TEST_CASE("with events and agents switched off the tables exist, are marked disabled and stay empty") {
  Fixture f;
  f.sc.output.events = false;
  f.sc.output.agents = false;
  const fs::path path = f.dir / "quiet.h5";
  {
    RunOutput out(path, f.sc, f.net, f.info);
    out.declare(f.setup, f.store, f.sc.calendar);
    corridor::EventBuffer ev;
    ev.add(0, 0, 0, 0);
    out.append_events(ev);
    f.store.append(2);
    out.append_all_agents(f.store);
    out.finish(corridor::RunStats{});
  }
  h5::Handle file = h5::open_file_readonly(path.string());
  h5::Handle ev = h5::open_group(file, "events");
  CHECK(h5::read_int_attribute(ev, "enabled") == 0);
  CHECK(h5::read_column<std::int32_t>(ev, "day").empty());
  h5::Handle ag = h5::open_group(file, "agents");
  CHECK(h5::read_int_attribute(ag, "enabled") == 0);
  CHECK(h5::read_column<std::uint64_t>(ag, "id").empty());
}

TEST_CASE("utc_now_iso gives an ISO-8601 UTC timestamp") {
  const std::string t = corridor::utc_now_iso();
  REQUIRE(t.size() == 20);
  CHECK(t[4] == '-');
  CHECK(t[10] == 'T');
  CHECK(t[19] == 'Z');
  CHECK(corridor::parse_iso_date(t.substr(0, 10)));
}
