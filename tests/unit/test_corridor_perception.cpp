// Corridor mechanism 4, perceived US policy (models/corridor/perception.*): the relaxation
// toward reported openness plus misinformation, the moving report window, announcement jumps
// (clamped to [0, 1]) and the departure factor, all checked against values computed by hand;
// and the off switch, which leaves departures unscaled; a checkpoint keeps the perception and
// refuses one out of range.
#include <catch2/catch.hpp>
#include <cmath>

#include "corridor_support.hpp"
#include "models/corridor/perception.hpp"
#include "sim/hdf5.hpp"
#include "sim_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::CorridorBench;

namespace {

using Day = Perception::Cells;

Day one(Nationality n, Demographic d, double v) {
  Day x{};
  x[n][d] = v;
  return x;
}

/// The default parameters with perception set up for hand computation.
Perception::Params hand_parameters(const Perception::Params& base) {
  Perception::Params p = base;
  p.enabled = true;
  p.initial = 0.3;
  p.reference = 0.25;
  p.relax_days = 10;
  p.report_window_days = 2;
  p.gamma = {1.0, 2.0, 3.0};
  p.misinformation = Schedule(0.05);
  p.announcements = {{Date::from_ymd(2021, 1, 20), 0.2, {{true, true, true}}, "all"},
                     {Date::from_ymd(2021, 2, 17), 0.6, {{false, false, true}}, "children only"},
                     {Date::from_ymd(2021, 3, 1), -0.9, {{true, false, false}}, "a negative jump"}};
  return p;
}

}  // namespace

TEST_CASE("perceived openness relaxes toward the reported share let in plus misinformation") {
  CorridorBench b({});
  const Perception::Params p = hand_parameters(b.params().perception);
  Perception per(p);
  const Date d = Date::from_ymd(2020, 1, 1);
  CHECK(per.openness(kGuatemala, kSingleAdult) == 0.3);

  // Day 1: 100 encountered, 40 let in. Actual 0.4: P = 0.3 + (0.4 + 0.05 - 0.3) / 10 = 0.315.
  per.report(d, one(kGuatemala, kSingleAdult, 100), one(kGuatemala, kSingleAdult, 40));
  CHECK(per.openness(kGuatemala, kSingleAdult) == Approx(0.315).epsilon(1e-12));
  // Day 2: 100 encountered, 100 let in. Window (2 days): 140 / 200 = 0.7:
  // P = 0.315 + (0.7 + 0.05 - 0.315) / 10 = 0.3585.
  per.report(d.plus_days(1), one(kGuatemala, kSingleAdult, 100), one(kGuatemala, kSingleAdult, 100));
  CHECK(per.openness(kGuatemala, kSingleAdult) == Approx(0.3585).epsilon(1e-12));
  // Day 3: nothing reported; the window holds days 2 and 3 (100 / 100 = 1):
  // P = 0.3585 + (1 + 0.05 - 0.3585) / 10 = 0.42765.
  per.report(d.plus_days(2), Day{}, Day{});
  CHECK(per.openness(kGuatemala, kSingleAdult) == Approx(0.42765).epsilon(1e-12));
  // Day 4: the window holds days 3 and 4, with no encounter at all: the perception holds.
  per.report(d.plus_days(3), Day{}, Day{});
  CHECK(per.openness(kGuatemala, kSingleAdult) == Approx(0.42765).epsilon(1e-12));
  // Other nationalities and demographics got no reports: they hold their initial value.
  CHECK(per.openness(kGuatemala, kFamily) == 0.3);
  CHECK(per.openness(kHonduras, kSingleAdult) == 0.3);
  // Departure factor exp(gamma (P - P_ref)).
  CHECK(per.departure_factor(kGuatemala, kSingleAdult) == Approx(std::exp(1.0 * (0.42765 - 0.25))).epsilon(1e-12));
  CHECK(per.departure_factor(kHonduras, kChild) == Approx(std::exp(3.0 * (0.3 - 0.25))).epsilon(1e-12));
}

TEST_CASE("perceived openness stays between 0 and 1 however strong the reports") {
  CorridorBench b({});
  Perception::Params p = hand_parameters(b.params().perception);
  p.relax_days = 1;  // jumps straight to actual + misinformation
  p.misinformation = Schedule(0.5);
  Perception per(p);
  per.report(Date::from_ymd(2020, 1, 1), one(kMexico, kFamily, 10), one(kMexico, kFamily, 10));
  CHECK(per.openness(kMexico, kFamily) == 1.0);  // 1 + 0.5 clamped
  p.misinformation = Schedule(-0.5);
  Perception low(p);
  low.report(Date::from_ymd(2020, 1, 1), one(kMexico, kFamily, 10), one(kMexico, kFamily, 0));
  CHECK(low.openness(kMexico, kFamily) == 0.0);  // 0 - 0.5 clamped
}

TEST_CASE("announcements move perception by their jump on their date, for their demographics only") {
  CorridorBench b({});
  const Perception::Params p = hand_parameters(b.params().perception);
  Perception per(p);
  per.announce(Date::from_ymd(2021, 1, 19));
  CHECK(per.openness(kHonduras, kChild) == 0.3);
  per.announce(Date::from_ymd(2021, 1, 20));
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d)
      CHECK(per.openness(static_cast<Nationality>(n), static_cast<Demographic>(d)) == Approx(0.5));
  per.announce(Date::from_ymd(2021, 2, 17));  // +0.6 for children: 1.1, clamped to 1
  CHECK(per.openness(kElSalvador, kChild) == 1.0);
  CHECK(per.openness(kElSalvador, kFamily) == Approx(0.5));
  per.announce(Date::from_ymd(2021, 3, 1));  // -0.9 for single adults: -0.4, clamped to 0
  CHECK(per.openness(kElSalvador, kSingleAdult) == 0.0);
  CHECK(per.departure_factor(kElSalvador, kSingleAdult) == Approx(std::exp(1.0 * (0.0 - 0.25))));
  CHECK(per.departure_factor(kElSalvador, kChild) == Approx(std::exp(3.0 * (1.0 - 0.25))));
}

TEST_CASE("the default announcements reach the model's perception on 2021-01-20 and 2021-02-17") {
  // No parties are simulated, so no reports arrive and only the announcements move perception.
  CorridorBench b({});
  b.begin(Date::from_ymd(2021, 1, 19));
  CHECK(b.model().perception().openness(kGuatemala, kChild) == Approx(0.3));
  b.begin(Date::from_ymd(2021, 1, 20));  // new administration: +0.2 for all
  CHECK(b.model().perception().openness(kGuatemala, kSingleAdult) == Approx(0.5));
  CHECK(b.model().perception().openness(kGuatemala, kChild) == Approx(0.5));
  b.begin(Date::from_ymd(2021, 2, 17));  // Title 42 exception for children: +0.2 for children
  CHECK(b.model().perception().openness(kGuatemala, kSingleAdult) == Approx(0.5));
  CHECK(b.model().perception().openness(kGuatemala, kChild) == Approx(0.7));
}

TEST_CASE("with perception switched off the departure factor is 1 and nothing moves it") {
  CorridorBench b({"corridor.perception.enabled=false", "corridor.perception.initial=0.9"});
  Perception::Params p = hand_parameters(b.params().perception);
  p.enabled = false;
  p.initial = 0.9;  // far from the reference: the factor would be exp(3 x 0.65) if on
  Perception per(p);
  per.announce(Date::from_ymd(2021, 1, 20));
  per.report(Date::from_ymd(2021, 1, 20), one(kHonduras, kChild, 100), one(kHonduras, kChild, 0));
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d)
      CHECK(per.departure_factor(static_cast<Nationality>(n), static_cast<Demographic>(d)) == 1.0);
  CHECK(per.openness(kHonduras, kChild) == 0.9);
  // The scenario switch reaches the model.
  CHECK_FALSE(b.params().perception.enabled);
  b.begin(Date::from_ymd(2021, 1, 20));
  CHECK(b.model().perception().departure_factor(kHonduras, kChild) == 1.0);
}

TEST_CASE("a checkpoint keeps the perception, and one with an openness outside 0..1 or a bad count is refused") {
  CorridorBench b({});
  const Perception::Params p = hand_parameters(b.params().perception);
  Perception per(p);
  per.report(Date::from_ymd(2020, 1, 1), one(kGuatemala, kSingleAdult, 100), one(kGuatemala, kSingleAdult, 40));
  const corridor::test::TempDir dir("perception-checkpoint");
  const auto file = dir / "ckpt.h5";
  {
    const h5::Handle f = h5::create_file(file.string());
    per.save(f);
  }
  Perception restored(p);
  {
    const h5::Handle f = h5::open_file_readonly(file.string());
    restored.load(f);
  }
  CHECK(restored.openness(kGuatemala, kSingleAdult) == per.openness(kGuatemala, kSingleAdult));
  const auto corrupt = [&](const std::string& column, double v) {
    std::vector<double> value(12, 0.3), enc(12, 1.0), in(12, 0.0);
    (column == "perception_value" ? value : column == "perception_encountered_window" ? enc : in)[5] = v;
    {
      const h5::Handle f = h5::create_file(file.string());
      h5::write_column<double>(f, "perception_value", value);
      h5::write_column<double>(f, "perception_encountered_window", enc);
      h5::write_column<double>(f, "perception_let_in_window", in);
    }
    Perception bad(p);
    const h5::Handle f = h5::open_file_readonly(file.string());
    bad.load(f);
  };
  CHECK_NOTHROW(corrupt("perception_value", 1.0));
  CHECK_THROWS_WITH(corrupt("perception_value", std::nan("")), Catch::Contains("perception value 5 is nan"));
  CHECK_THROWS_WITH(corrupt("perception_value", 1.5), Catch::Contains("expected an openness in [0, 1]"));
  CHECK_THROWS_WITH(corrupt("perception_encountered_window", -1), Catch::Contains("encountered window value 5"));
  CHECK_THROWS_WITH(corrupt("perception_let_in_window", INFINITY), Catch::Contains("let-in window value 5"));
}
