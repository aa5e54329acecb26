// Corridor model v2, pull from those already there (models/corridor/diaspora.cpp, docs/model.md
// §3.15). The pull and the smuggler share are computed by hand; the stock is fed by hand and
// follows the entries; its table is read and refused when wrong; a checkpoint round-trips it
// and a corrupted one is refused. Then, in the model, a stock fed to twice its start doubles a
// nationality's departures and raises its smuggler share, and nothing changes with the switch
// off. Counts are compared with Bernstein's inequality at delta = 1e-6 per check
// (corridor_support.hpp).
#include <catch2/catch.hpp>

#include "corridor_support.hpp"
#include "models/corridor/diaspora.hpp"
#include "sim/error.hpp"
#include "sim/hdf5.hpp"
#include "sim_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::bernstein_bound;
using corridor::test::CorridorBench;
using corridor::test::TempDir;
using corridor::test::within_binomial;

namespace {

using Cells = std::array<std::array<double, kDemographics>, kNationalities>;

Diaspora::Params params_on() {
  Diaspora::Params p;
  p.enabled = true;
  p.foreign_born = {1000, 200, 100, 400};
  p.departure_elasticity = 1;
  p.smuggler_elasticity = 1;
  p.max_pull = 3;
  return p;
}

}  // namespace

TEST_CASE("the diaspora's pull and smuggler share, by hand") {
  CHECK(diaspora_pull(1.0, 1.0, 3) == 1.0);
  CHECK(diaspora_pull(1.21, 0.5, 3) == Approx(1.1));
  CHECK(diaspora_pull(2.0, 2.0, 3) == Approx(3.0));
  CHECK(diaspora_pull(16.0, 1.0, 3) == 3.0);  // capped by max_pull
  CHECK(diaspora_pull(1.5, 0.0, 3) == 1.0);   // elasticity 0: no pull
  CHECK(share_with_odds_scaled(0.5, 3, 1) == Approx(0.75));
  CHECK(share_with_odds_scaled(0.2, 2, 1) == Approx(1.0 / 3.0));  // odds 1/4 -> 1/2
  CHECK(share_with_odds_scaled(0.2, 4, 0.5) == Approx(1.0 / 3.0));
  CHECK(share_with_odds_scaled(0.3, 1, 2) == Approx(0.3));
  CHECK(share_with_odds_scaled(0.0, 5, 1) == 0.0);
  CHECK(share_with_odds_scaled(1.0, 5, 1) == 1.0);
}

TEST_CASE("the diaspora stock grows by the people let in, and sets the next day's pull") {
  const Diaspora::Params p = params_on();
  Diaspora d(p, 0.1);  // at scale 0.1 the stocks start at 100, 20, 10, 40
  SeriesLayout layout;
  d.declare_series(layout);
  Tally totals;
  totals.resize(layout.cells());
  CHECK(d.departure_factor(kGuatemala) == 1.0);
  CHECK(d.smuggler_share(kGuatemala, 0.4) == Approx(0.4));
  Cells let_in{};
  let_in[kGuatemala] = {5, 3, 2};  // 10 people: 20 -> 30
  let_in[kMexico] = {50, 0, 0};    // 100 -> 150
  d.end_day(let_in, totals);
  CHECK(d.ratio(kGuatemala) == Approx(1.5));
  CHECK(d.departure_factor(kGuatemala) == Approx(1.5));
  CHECK(d.departure_factor(kMexico) == Approx(1.5));
  CHECK(d.departure_factor(kHonduras) == 1.0);
  CHECK(d.smuggler_share(kGuatemala, 0.5) == Approx(0.6));  // odds 1 -> 1.5
  CHECK(totals[d.series().stock.at(kGuatemala)] == 30);
  CHECK(totals[d.series().stock.at(kMexico)] == 150);
  CHECK(totals[d.series().stock.at(kElSalvador)] == 40);
  let_in = {};
  let_in[kGuatemala] = {100, 0, 0};  // 130: ratio 6.5, pull capped at 3
  d.end_day(let_in, totals);
  CHECK(d.departure_factor(kGuatemala) == 3.0);
  CHECK(d.max_departure_factor() == 3.0);
}

TEST_CASE("switched off, the diaspora changes nothing") {
  Diaspora::Params p = params_on();
  p.enabled = false;
  Diaspora d(p, 1.0);
  SeriesLayout layout;
  d.declare_series(layout);
  CHECK(layout.cells() == 0);  // no series: results without the mechanism are unchanged
  Tally totals;
  Cells let_in{};
  let_in[kHonduras] = {1e6, 1e6, 1e6};
  d.end_day(let_in, totals);
  for (int n = 0; n < kNationalities; ++n) {
    CHECK(d.departure_factor(static_cast<Nationality>(n)) == 1.0);
    CHECK(d.smuggler_share(static_cast<Nationality>(n), 0.37) == 0.37);
  }
  CHECK(d.max_departure_factor() == 1.0);
}

TEST_CASE("the diaspora table is read, and refused with the file, line and column at fault") {
  const TempDir dir("diaspora-table");
  const auto good = dir.write("good.csv",
                               "country,foreign_born,source\nMX,100,a\nGT,20,b\nHN,10,c\nSV,40,d\n");
  const auto stocks = read_diaspora(good);
  CHECK(stocks[kMexico] == 100);
  CHECK(stocks[kGuatemala] == 20);
  CHECK(stocks[kHonduras] == 10);
  CHECK(stocks[kElSalvador] == 40);
  const auto missing = dir.write("missing.csv", "country,foreign_born\nMX,100\nGT,20\nSV,40\n");
  CHECK_THROWS_WITH(read_diaspora(missing), Catch::Contains("missing.csv") &&
                                                Catch::Contains("no row for country HN"));
  const auto twice = dir.write("twice.csv", "country,foreign_born\nMX,100\nGT,20\nGT,30\n");
  CHECK_THROWS_WITH(read_diaspora(twice), Catch::Contains(":4") && Catch::Contains("GT is listed again"));
  const auto zero = dir.write("zero.csv", "country,foreign_born\nMX,0\nGT,20\nHN,1\nSV,2\n");
  CHECK_THROWS_WITH(read_diaspora(zero), Catch::Contains(":2") && Catch::Contains("foreign_born"));
  const auto other = dir.write("other.csv", "country,foreign_born\nNI,5\n");
  CHECK_THROWS_WITH(read_diaspora(other), Catch::Contains("one of MX, GT, HN, SV"));
}

TEST_CASE("switched on without a table, the scenario is refused naming the key") {
  CHECK_THROWS_WITH(CorridorBench({"corridor.diaspora.enabled=true", "corridor.diaspora.table=null"}),
                    Catch::Contains("diaspora") && Catch::Contains("needs diaspora.table"));
}

TEST_CASE("a checkpoint keeps the diaspora stock, and a corrupted one is refused") {
  const Diaspora::Params p = params_on();
  Diaspora d(p, 1.0);
  SeriesLayout layout;
  d.declare_series(layout);
  Tally totals;
  totals.resize(layout.cells());
  Cells let_in{};
  let_in[kElSalvador] = {40, 0, 0};  // 400 -> 440
  d.end_day(let_in, totals);
  const TempDir dir("diaspora-checkpoint");
  const auto file = dir / "ckpt.h5";
  {
    const h5::Handle f = h5::create_file(file.string());
    d.save(f);
  }
  Diaspora restored(p, 1.0);
  {
    const h5::Handle f = h5::open_file_readonly(file.string());
    restored.load(f);
  }
  CHECK(restored.ratio(kElSalvador) == Approx(1.1));
  CHECK(restored.departure_factor(kElSalvador) == Approx(1.1));
  {
    const h5::Handle f = h5::create_file(file.string());
    h5::write_column<double>(f, "diaspora_stock", std::vector<double>{1000, 10, 100, 400});  // GT below its start
  }
  Diaspora bad(p, 1.0);
  {
    const h5::Handle f = h5::open_file_readonly(file.string());
    CHECK_THROWS_WITH(bad.load(f), Catch::Contains("diaspora stock of GT"));
  }
}

TEST_CASE("in the model, a stock at twice its start doubles departures and raises the smuggler share") {
  // Guatemalans set out from GUA; their stock is fed (as the day's releases) to twice its start
  // at the end of 2019-06-01, and departures of 2019-06-02 are counted, with the diaspora on
  // and off. Elasticities 1: departures x2, smuggler odds x2.
  const Date day1 = Date::from_ymd(2019, 6, 1), day2 = Date::from_ymd(2019, 6, 2);
  std::array<std::int64_t, 2> departed{};
  std::array<std::size_t, 2> parties{}, smuggled{};
  for (const bool enabled : {false, true}) {
    CorridorBench b({std::string("corridor.diaspora.enabled=") + (enabled ? "true" : "false"),
                     "corridor.diaspora.departure_elasticity=1", "corridor.diaspora.smuggler_elasticity=1",
                     "corridor.diaspora.max_pull=3", "corridor.travel.smuggler_share.single_adult=0.2"},
                    /*departures=*/true);
    const auto& m = b.model();
    b.begin(day1);
    // The day's releases of Guatemalan single adults: as many as the stock's start.
    b.sink.clear();
    const double start = m.parameters().diaspora.foreign_born[kGuatemala] * m.parameters().departures.scale;
    b.sink.tally[m.us_border().series().releases.at(kGuatemala, kSingleAdult)] = std::llround(start);
    b.model().end_day(b.ctx(), b.store, b.sink.tally);
    if (enabled) REQUIRE(m.diaspora().departure_factor(kGuatemala) == Approx(2.0).epsilon(1e-9));
    const std::size_t before = b.store.size();
    b.begin(day2);
    departed[enabled] = b.sink.tally[m.departures().series().departures.at(0, kSingleAdult)];  // origin 0: GUA
    const PartyRows rows(b.store, m.columns());
    for (std::size_t i = before; i < b.store.size(); ++i)
      if (rows.origin[i] == 0 && rows.demographic[i] == kSingleAdult) {
        ++parties[enabled];
        smuggled[enabled] += (rows.flags[i] & kFlagSmuggler) != 0;
      }
  }
  INFO("GUA single adults departing on 2019-06-02: off " << departed[0] << ", on " << departed[1]);
  REQUIRE(departed[0] > 100);
  // X_on ~ Poisson(2 mu), X_off ~ Poisson(mu): X_on - 2 X_off has mean 0 and variance at most
  // 2 mu + 4 mu (the draws share their random numbers, which only narrows it); mu ~ X_off.
  CHECK(std::fabs(static_cast<double>(departed[1] - 2 * departed[0])) <=
        bernstein_bound(6.0 * static_cast<double>(departed[0])));
  within_binomial(smuggled[0], parties[0], 0.2);
  within_binomial(smuggled[1], parties[1], share_with_odds_scaled(0.2, 2.0, 1.0));  // 1/3
}
