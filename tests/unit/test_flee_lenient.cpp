// What Flee's reference reader accepts and ignores (docs/flee.md §2, "Read as the reference
// reads"): each is accepted with the reference's meaning and noted once per file with
// file:line:column; in strict mode each is an error.
#include <catch2/catch.hpp>

#include "models/flee/input_notes.hpp"
#include "models/flee/inputs.hpp"
#include "models/flee/spawning.hpp"
#include "sim/error.hpp"
#include "sim_support.hpp"

using namespace corridor;
using namespace corridor::flee;
using Catch::Matchers::Contains;
using corridor::test::input_error_of;
using corridor::test::TempDir;

namespace {

const char* kLocations =
    "#name,region,country,lat,lon,location_type,conflict_date,population\n"
    "A,r,X,14.5,-4.2,conflict_zone,0,1000\n"
    "B,r,X,14.6,-4.1,town,,500\n"
    "C,r,Y,14.7,-4.0,camp,,100\n";

}  // namespace

TEST_CASE("InputNotes gives one warning per file, naming file:line:column, and counts the rest", "[flee]") {
  InputNotes notes;
  notes.ignored("a.csv", 1, 7, "thing one");
  notes.ignored("b.csv", 3, 1, "thing two");
  for (int i = 0; i < 6; ++i) notes.ignored("a.csv", 1, 8 + i, "more");
  const auto w = notes.warnings();
  REQUIRE(w.size() == 2);
  CHECK_THAT(w[0], Contains("warning: a.csv:1:7: ignored thing one; and 6 more in this file: 1:8: more; 1:9: more"));
  CHECK_THAT(w[0], Contains("(2 not listed)"));
  CHECK(w[1] == "warning: b.csv:3:1: ignored thing two");
  CHECK(notes.count() == 8);
}

TEST_CASE("in strict mode the first thing ignored is an input error naming file:line:column", "[flee]") {
  InputNotes strict(true);
  CHECK_THAT(input_error_of([&] { strict.ignored("a.csv", 1, 7, "thing one"); }),
             Contains("a.csv:1:7: thing one (the reference implementation ignores this; strict mode"));
}

TEST_CASE("conflicts.csv: an empty header cell names no column, and a column for a non-location is ignored",
          "[flee]") {
  TempDir d("flee-lenient-conf");
  const auto locs = read_locations(d.write("locations.csv", kLocations));
  InputNotes notes;
  // South Sudan's header ends with a comma; its rows do not.
  const ConflictTable t =
      read_conflicts(d.write("conflicts.csv", "#Day, A, Q, B,\n0, 1, 1, 0\n2, 0, 0.5, 1,\n"), locs, notes);
  CHECK(t.locations == std::vector<std::uint32_t>{0, 1});
  CHECK(t.values[0] == std::vector<double>{1, 0});
  CHECK(t.values[1] == std::vector<double>{0, 1});
  const auto w = notes.warnings();
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Contains("conflicts.csv:1:3: ignored the column of 'Q' (not a location of locations.csv)"));
  CHECK_THAT(w[0], Contains("1:5: an empty header cell"));
  // What the reference cannot read stays an error: a value under the empty cell, a short row.
  CHECK_THAT(input_error_of([&] { read_conflicts(d.write("c2.csv", "#Day,A,\n0,1,1\n"), locs, notes); }),
             Contains("c2.csv:2: column 3: a value ('1') under an empty header cell"));
  CHECK_THAT(input_error_of([&] { read_conflicts(d.write("c3.csv", "#Day,A,Q\n0,1\n"), locs, notes); }),
             Contains("c3.csv:2: expected 3 fields"));
  InputNotes strict(true);
  CHECK_THAT(input_error_of([&] { read_conflicts(d.write("c4.csv", "#Day,A,\n0,1\n"), locs, strict); }),
             Contains("c4.csv:1:3: an empty header cell (it names no column)"));
}

TEST_CASE("data_layout.csv: a name that is no camp of the network is read, adds to the arrivals, is not compared",
          "[flee]") {
  TempDir d("flee-lenient-layout");
  const auto locs = read_locations(d.write("locations.csv", kLocations));
  d.write("data/t.csv", "2012-01-01,5\n");
  d.write("data/c.csv", "2012-01-01,10\n2012-01-11,20\n");
  d.write("data/q.csv", "2012-01-01,100\n2012-01-11,200\n");
  d.write("data/b.csv", "2012-01-01,1\n2012-01-11,1001\n");
  d.write("data/data_layout.csv", "total,t.csv\nC,c.csv\nQ,q.csv\nB,b.csv\n");
  InputNotes notes;
  const ValidationData v = read_validation(d / "data", Date::from_ymd(2012, 1, 1), locs, FleeSettings{}, notes);
  CHECK(v.camps == std::vector<std::uint32_t>{2});
  CHECK(v.uncompared_names == std::vector<std::string>{"Q", "B"});
  const auto w = notes.warnings();
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Contains("data_layout.csv:3:1: ignored 'Q' as a camp to compare (not in locations.csv)"));
  CHECK_THAT(w[0], Contains("4:1: 'B' as a camp to compare (a town in locations.csv line 3)"));
  // Spawning sums every row but `total` (the reference's sum_from_camps): day 1 adds
  // 1 (C) + 10 (Q) + 100 (B) after the day-0 count 10 + 100 + 1.
  DataSpawner spawner(v, FleeSettings{});
  CHECK(spawner.count(0) == 111);
  CHECK(spawner.delta(1) == 111);
  // Registration corrections apply to such rows too, by name.
  ValidationData corrected = v;
  apply_registration_corrections(d.write("rc.csv", "Q,2012-01-11,normalize\n"), Date::from_ymd(2012, 1, 1), locs,
                                 corrected);
  CHECK(corrected.uncompared[0].values[0] == 200);
  InputNotes strict(true);
  CHECK_THAT(input_error_of([&] { read_validation(d / "data", Date::from_ymd(2012, 1, 1), locs, FleeSettings{}, strict); }),
             Contains("data_layout.csv:3:1: 'Q' as a camp to compare (not in locations.csv)"));
}

TEST_CASE("closures.csv: remove_forced_redirection is read and ignored, and idpcamp closes like camp", "[flee]") {
  TempDir d("flee-lenient-clos");
  const auto locs = read_locations(
      d.write("locations.csv", std::string(kLocations) + "D,r,Y,14.8,-4.0,idpcamp,,100\n"));
  const auto links = read_routes(d.write("routes.csv", "A,B,10,1\nB,C,10,\nB,D,5,2\n"), locs);
  CHECK(links[0].forced_redirection == 1);
  CHECK(links[1].forced_redirection == 0);
  CHECK(links[2].forced_redirection == 2);
  InputNotes notes;
  const auto c = read_closures(
      d.write("closures.csv", "#type,n1,n2,start,end\nremove_forced_redirection,A,B,3,-1\nidpcamp,D,,1,4\n"), locs, links,
      notes);
  REQUIRE(c.size() == 1);
  CHECK(c[0].kind == Closure::Kind::kCamp);
  CHECK(c[0].name1 == "D");
  const auto w = notes.warnings();
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Contains("closures.csv:2:1: ignored a 'remove_forced_redirection' closure of A -> B"));
  // Its days are still read as the reference reads them.
  CHECK_THAT(input_error_of([&] {
               read_closures(d.write("c2.csv", "remove_forced_redirection,A,B,x,-1\n"), locs, links, notes);
             }),
             Contains("c2.csv:1: column 4 (closure_start): expected an integer"));
}
