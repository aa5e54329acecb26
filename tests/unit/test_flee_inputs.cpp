// models/flee input readers: Flee's CSV files and simsetting.yml, with errors that name the
// file, the line and the problem; and the Mali 2012 case read from scenarios/flee.
#include <catch2/catch.hpp>

#include "models/flee/inputs.hpp"
#include "models/flee/load_case.hpp"
#include "models/flee/settings.hpp"
#include "sim/config.hpp"
#include "sim/scenario.hpp"
#include "sim_support.hpp"

using namespace corridor;
using namespace corridor::flee;
using Catch::Matchers::Contains;
using corridor::test::input_error_of;
using corridor::test::TempDir;

namespace {

const char* kLocations =
    "\"#name\",\"region\",\"country\",\"latitude\",\"longitude\",\"location_type\",\"conflict_date\",\"population\"\n"
    "A,r,X,14.5,-4.2,conflict_zone,0,1000\n"
    "B,r,X,14.6,-4.1,town,,500\n"
    "C,r,Y,14.7,-4.0,camp,,100\n";

const std::filesystem::path kMali = std::filesystem::path(CORRIDOR_SOURCE_DIR) / "scenarios" / "flee";

FleeSettings settings_from(const std::string& yaml, const std::string& overrides = "") {
  const ScenarioDoc file = ScenarioDoc::from_text(yaml, "simsetting.yml");
  if (overrides.empty()) return read_settings(file.root(), std::nullopt);
  const ScenarioDoc scen = ScenarioDoc::from_text(overrides, "scenario.yaml");
  return read_settings(file.root(), scen.root().section("flee"));
}

}  // namespace

TEST_CASE("locations.csv is read by position, with its quoted comment header, empty dates and populations", "[flee]") {
  TempDir d("flee-loc");
  const auto locs = read_locations(d.write("locations.csv", kLocations));
  REQUIRE(locs.size() == 3);
  CHECK(locs[0].name == "A");
  CHECK(locs[0].type == LocationType::kConflictZone);
  CHECK(locs[0].conflict_date == 0);
  CHECK(locs[0].lat == 14.5);
  CHECK(locs[1].population == 500);
  CHECK_FALSE(locs[1].conflict_date.has_value());
  CHECK(locs[2].type == LocationType::kCamp);
  CHECK(locs[2].line == 4);
}

TEST_CASE("a duplicate location name is an error naming both lines", "[flee]") {
  TempDir d("flee-dup");
  const auto f = d.write("locations.csv", std::string(kLocations) + "A,r,X,0,0,town,,1\n");
  CHECK_THAT(input_error_of([&] { read_locations(f); }),
             Contains("locations.csv:5: duplicate location name 'A' (first defined on line 2)"));
}

TEST_CASE("an unknown location type is an error naming the known ones", "[flee]") {
  TempDir d("flee-type");
  const auto f = d.write("locations.csv", "#name,r,c,x,y,type\nA,r,X,0,0,village\n");
  CHECK_THAT(input_error_of([&] { read_locations(f); }), Contains("locations.csv:2: column 6 (location_type): unknown type 'village'"));
}

TEST_CASE("a route to a location that locations.csv does not have is an error naming file and line", "[flee]") {
  TempDir d("flee-routes");
  const auto locs = read_locations(d.write("locations.csv", kLocations));
  const auto f = d.write("routes.csv", "#name1,name2,distance,forced_redirection\nA,B,10,0\nB,Z,20,0\n");
  CHECK_THAT(input_error_of([&] { read_routes(f, locs); }),
             Contains("routes.csv:3: column 2 (name2): unknown location 'Z' (not in locations.csv)"));
}

TEST_CASE("routes.csv rejects a zero distance and a route given twice in either direction", "[flee]") {
  TempDir d("flee-routes2");
  const auto locs = read_locations(d.write("locations.csv", kLocations));
  CHECK_THAT(input_error_of([&] { read_routes(d.write("r1.csv", "A,B,0\n"), locs); }),
             Contains("r1.csv:1: column 3 (distance): expected km > 0"));
  CHECK_THAT(input_error_of([&] { read_routes(d.write("r2.csv", "A,B,10\nB,A,12\n"), locs); }),
             Contains("r2.csv:2: duplicate route between 'B' and 'A' (first on line 1)"));
  const auto links = read_routes(d.write("r3.csv", "#name1,name2,distance,forced_redirection,max_move_speed\nA,B,10,0,50\nB,C,5,,\n"), locs);
  CHECK(links[0].max_move_speed == 50);
  CHECK(links[1].max_move_speed == 0);
}

TEST_CASE("every camp must appear in data_layout.csv", "[flee]") {
  TempDir d("flee-layout");
  InputNotes notes;
  const auto locs = read_locations(d.write("locations.csv", kLocations));
  d.write("data/data_layout.csv", "total,t.csv\n");
  d.write("data/t.csv", "Date,N\n2012-01-01,5\n");
  CHECK_THAT(input_error_of([&] { read_validation(d / "data", Date::from_ymd(2012, 1, 1), locs, FleeSettings{}, notes); }),
             Contains("data_layout.csv: camp 'C' (locations.csv line 4) is missing"));
}

TEST_CASE("a bad date in a count file is an error naming the file and line, even on its first line", "[flee]") {
  TempDir d("flee-dates");
  InputNotes notes;
  const auto locs = read_locations(d.write("locations.csv", kLocations));
  d.write("data/data_layout.csv", "total,t.csv\nC,c.csv\n");
  d.write("data/t.csv", "2012-01-01,5\n");
  d.write("data/c.csv", "Date,N\n2012-01-01,5\n2012-02-30,7\n");
  CHECK_THAT(input_error_of([&] { read_validation(d / "data", Date::from_ymd(2012, 1, 1), locs, FleeSettings{}, notes); }),
             Contains("c.csv:3: column 1: expected a date as YYYY-MM-DD, got '2012-02-30'"));
  d.write("data/c.csv", "2012-13-01,5\n");
  CHECK_THAT(input_error_of([&] { read_validation(d / "data", Date::from_ymd(2012, 1, 1), locs, FleeSettings{}, notes); }),
             Contains("c.csv:1: column 1: expected a date"));
  d.write("data/c.csv", "2012-01-05,5\n2012-01-02,7\n");
  CHECK_THAT(input_error_of([&] { read_validation(d / "data", Date::from_ymd(2012, 1, 1), locs, FleeSettings{}, notes); }),
             Contains("c.csv:2: date 2012-01-02 does not follow the previous date 2012-01-05"));
}

TEST_CASE("sim_period.csv needs a valid StartDate and a Length", "[flee]") {
  TempDir d("flee-period");
  CHECK_THAT(input_error_of([&] { read_sim_period(d.write("sim_period.csv", "StartDate,2012-02-31\nLength,10\n")); }),
             Contains("sim_period.csv:1: StartDate: expected a date as YYYY-MM-DD, got '2012-02-31'"));
  CHECK_THAT(input_error_of([&] { read_sim_period(d.write("sim_period.csv", "StartDate,2012-02-28\n")); }),
             Contains("missing 'Length,N'"));
  const SimPeriod p = read_sim_period(d.write("sim_period.csv", "StartDate,2012-02-29\nLength,300\n"));
  CHECK(p.start == Date::from_ymd(2012, 2, 29));
  CHECK(p.length == 300);
}

TEST_CASE("conflicts.csv gives intensities between 0 and 1 on increasing days, each location once", "[flee]") {
  TempDir d("flee-conf");
  const auto locs = read_locations(d.write("locations.csv", kLocations));
  InputNotes notes;
  CHECK_THAT(input_error_of([&] { read_conflicts(d.write("c1.csv", "#Day,A,B,A\n0,1,0,1\n"), locs, notes); }),
             Contains("c1.csv:1: column 4: location 'A' named twice"));
  CHECK_THAT(input_error_of([&] { read_conflicts(d.write("c2.csv", "#Day,A\n0,1\n0,1\n"), locs, notes); }),
             Contains("c2.csv:3: column 1 (Day): day 0 does not follow day 0"));
  CHECK_THAT(input_error_of([&] { read_conflicts(d.write("c3.csv", "#Day,A\n0,1.5\n"), locs, notes); }),
             Contains("c3.csv:2: column 2 (A): expected an intensity in [0,1], got '1.5'"));
  const ConflictTable t = read_conflicts(d.write("c4.csv", "#Day, A, B\n0, 1, 0\n3, 0.5, 1\n"), locs, notes);
  CHECK(t.locations == std::vector<std::uint32_t>{0, 1});
  CHECK(t.days == std::vector<int>{0, 3});
  CHECK(t.values[1][0] == 0.5);
}

TEST_CASE("closures.csv rejects unknown types, names, links and days that end before they start", "[flee]") {
  TempDir d("flee-clos");
  const auto locs = read_locations(d.write("locations.csv", kLocations));
  const auto links = read_routes(d.write("routes.csv", "A,B,10\nB,C,10\n"), locs);
  InputNotes notes;
  auto err = [&](const std::string& row) {
    return input_error_of([&] { read_closures(d.write("closures.csv", "#closure_type,name1,name2,start,end\n" + row), locs, links, notes); });
  };
  CHECK_THAT(err("bridge,A,B,0,1\n"), Contains("closures.csv:2: column 1 (closure_type): unknown type 'bridge'"));
  CHECK_THAT(err("country,X,Atlantis,0,1\n"), Contains("closures.csv:2: column 3: unknown country 'Atlantis'"));
  CHECK_THAT(err("link,A,C,0,1\n"), Contains("closures.csv:2: no route between 'A' and 'C'"));
  CHECK_THAT(err("location,Q,,0,1\n"), Contains("closures.csv:2: column 2: unknown location 'Q'"));
  CHECK_THAT(err("camp,B,,0,1\n"), Contains("closures.csv:2: column 2: 'B' is a town, not a camp"));
  CHECK_THAT(err("link,A,B,5,5\n"), Contains("closures.csv:2: column 5 (closure_end): expected a day after closure_start (5)"));
  const auto ok = read_closures(d.write("closures.csv", "country,X,Y,0,-1\nlink,B,A,2,9\n"), locs, links, notes);
  CHECK(notes.count() == 0);
  REQUIRE(ok.size() == 2);
  CHECK(ok[0].end == -1);
  CHECK(ok[1].kind == Closure::Kind::kLink);
}

TEST_CASE("Flee's settings file is read with its capitalised booleans and the defaults for missing keys", "[flee]") {
  const FleeSettings s = settings_from(
      "log_levels:\n  agent: 0\n  granularity: location\n"
      "spawn_rules:\n  take_from_population: False\n  insert_day0: True\n"
      "move_rules:\n  conflict_weight: 0.25\n  awareness_level: 2\n  start_on_foot: False\n"
      "optimisations:\n  hasten: 10\n");
  CHECK(s.conflict_weight == 0.25);
  CHECK(s.awareness_level == 2);
  CHECK(s.hasten == 10);
  CHECK(s.insert_day0);
  CHECK_FALSE(s.take_from_population);
  CHECK(s.max_move_speed == 360.0);
  CHECK(s.camp_movechance == 0.001);
}

TEST_CASE("an unknown settings key is an error naming the file, the line and the known keys", "[flee]") {
  const std::string msg = input_error_of([] { settings_from("move_rules:\n  max_move_speed: 200\n  maxx_walk_speed: 20\n"); });
  CHECK_THAT(msg, Contains("simsetting.yml:3: key 'move_rules.maxx_walk_speed': unknown setting"));
  CHECK_THAT(msg, Contains("max_walk_speed"));
  CHECK_THAT(input_error_of([] { settings_from("move_rule:\n  a: 1\n"); }),
             Contains("simsetting.yml:2: key 'move_rule': unknown settings section"));
}

TEST_CASE("a Flee setting for rules this implementation lacks is accepted only at its neutral value", "[flee]") {
  CHECK_NOTHROW(settings_from("move_rules:\n  avoid_short_stints: False\n"));
  CHECK_THAT(input_error_of([] { settings_from("move_rules:\n  avoid_short_stints: True\n"); }),
             Contains("simsetting.yml:2: key 'move_rules.avoid_short_stints': Flee setting 'move_rules.avoid_short_stints' = 'True' is not supported"));
  CHECK_THAT(input_error_of([] { settings_from("spawn_rules:\n  conflict_driven_spawning:\n    spawn_mode: constant\n"); }),
             Contains("selects rules this implementation does not support"));
}

TEST_CASE("settings values out of range are errors", "[flee]") {
  CHECK_THAT(input_error_of([] { settings_from("move_rules:\n  camp_movechance: 2\n"); }),
             Contains("simsetting.yml:2: key 'move_rules.camp_movechance': expected a value in [0, 1], got '2'"));
  CHECK_THAT(input_error_of([] { settings_from("optimisations:\n  hasten: 2.5\n"); }),
             Contains("expected an integer, got '2.5'"));
  CHECK_THAT(input_error_of([] { settings_from("move_rules:\n  start_on_foot: perhaps\n"); }),
             Contains("expected true or false, got 'perhaps'"));
}

TEST_CASE("a scenario's flee section overrides single settings of the file", "[flee]") {
  const FleeSettings s = settings_from("move_rules:\n  conflict_weight: 0.25\n  max_move_speed: 200\n",
                                       "flee:\n  move_rules:\n    conflict_weight: 0.5\n  spawn_rules:\n    conflict_spawn_decay: [1.0, 0.5]\n");
  CHECK(s.conflict_weight == 0.5);
  CHECK(s.max_move_speed == 200);
  CHECK(s.conflict_spawn_decay == std::vector<double>{1.0, 0.5});
}

TEST_CASE("the Mali 2012 case reads into 23 locations, 35 routes, 7 camps with registration corrections", "[flee]") {
  const ScenarioDoc doc = ScenarioDoc::load(kMali / "mali2012.yaml");
  const Scenario sc = Scenario::read(doc);
  const FleeCase c = load_case(sc, doc);
  CHECK(c.locations.size() == 23);
  CHECK(c.links.size() == 35);
  REQUIRE(c.validation);
  CHECK(c.validation->camps.size() == 7);
  CHECK(c.closures.size() == 2);
  CHECK(c.conflicts.days.size() == 300);
  CHECK(c.settings.conflict_weight == 0.25);
  // Fassala-Mbera: 17790 on day 0, scaled by 54028/103731 for the re-registration of 2012-12-31.
  const std::size_t k = 0;
  REQUIRE(c.locations[c.validation->camps[k]].name == "Fassala-Mbera");
  CHECK(c.validation->series[k].at(0) == 9265);
}

TEST_CASE("a scenario must start on the StartDate of sim_period.csv", "[flee]") {
  ScenarioDoc doc = ScenarioDoc::load(kMali / "mali2012.yaml");
  doc.set("start=2012-03-01");
  const Scenario sc = Scenario::read(doc);
  CHECK_THAT(input_error_of([&] { load_case(sc, doc); }),
             Contains("key 'start': the scenario starts on 2012-03-01 but"));
}

TEST_CASE("hasten divides populations, capacities and UNHCR counts", "[flee]") {
  ScenarioDoc doc = ScenarioDoc::load(kMali / "mali2012.yaml");
  doc.set("flee.optimisations.hasten=10");
  const Scenario sc = Scenario::read(doc);
  const FleeCase c = load_case(sc, doc);
  CHECK(c.settings.hasten == 10);
  CHECK(c.locations[0].population == Approx(2561.7));    // Kidal: 25617 / 10
  CHECK(c.locations[16].population == Approx(7588.2));   // Fassala-Mbera's capacity: 75882 / 10
  CHECK(c.validation->series[0].at(0) == 926);           // 9265.87 / 10, truncated
}
