// Corridor mechanism 3, departures (models/corridor/departures.*): the push exponent,
// seasonality and expected departures against values computed by hand from
// data/push_factors_by_country_year.csv and the documented defaults; the party-size law; and
// the spawn step (party counts Poisson around the expected value, the departures series equal
// to the sum of the party sizes spawned).
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "corridor_support.hpp"
#include "models/corridor/aid.hpp"
#include "models/corridor/departures.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::bernstein_bound;
using corridor::test::CorridorBench;

namespace {

const std::string kPushTable = std::string(CORRIDOR_SOURCE_DIR) + "/data/push_factors_by_country_year.csv";

// Rows of data/push_factors_by_country_year.csv used below (indicator, year: value).
// Honduras (HND): intentional_homicide_rate 2019 41.011166, 2020 35.702849, 2021 38.202597;
//   gdp_per_capita_ppp 2019 6264.019, 2020 5603.264, 2021 6202.981;
//   population_total 2020 10119640, 2021 10289877; eta_iota_people_affected 3900000.
// Mexico (MEX): intentional_homicide_rate 2019 29.150867, 2020 29.001005, 2021 27.967503;
//   gdp_per_capita_ppp 2019 21704.186, 2020 19728.482, 2021 20782.588; no hurricane row.
// Annual values stand at mid-year (t = year + day_of_year / 365.25 - 0.5), linear in between.
double mid_year_weight(int day_of_year) { return day_of_year / 365.25 - 0.5; }

}  // namespace

TEST_CASE("the push exponent equals the hand-computed violence, economic, hurricane and governance terms") {
  CorridorBench b({});
  const Departures::Params& p = b.params().departures;
  const PushIndicators push = PushIndicators::read(kPushTable);
  // Documented defaults (docs/model.md): beta_homicide 0.01, beta_gdp 0.03, beta_hurricane 1,
  // beta_governance 0.05, reference year 2019, hurricane 2020-11-03 decaying over 180 days.
  REQUIRE(p.reference_year == 2019);
  REQUIRE(p.beta_homicide == 0.01);
  REQUIRE(p.beta_gdp == 0.03);
  REQUIRE(p.beta_hurricane == 1.0);
  REQUIRE(p.beta_governance == 0.05);
  const double cpi_mean = (29.0 + 26 + 26 + 34) / 4;  // 28.75

  SECTION("Honduras on 2020-12-01, four weeks after Eta") {
    const double f = mid_year_weight(335);  // 2020-12-01 is day 335 of the leap year 2020
    const double hom = (1 - f) * 35.702849 + f * 38.202597 - 41.011166;
    const double gdp_loss = 100 * (1 - ((1 - f) * 5603.264 + f * 6202.981) / 6264.019);
    const double fh = mid_year_weight(307);  // population on the landfall date 2020-11-03 (day 307)
    const double pop = (1 - fh) * 10119640 + fh * 10289877;
    const double hurricane = 3.9e6 / pop * std::exp(-28.0 / 180.0);
    const double expected = 0.01 * hom + 0.03 * gdp_loss + 1.0 * hurricane + 0.05 * (cpi_mean - 26);
    CHECK(push_exponent(p, push, kHonduras, Date::from_ymd(2020, 12, 1)) == Approx(expected).epsilon(1e-12));
    // The hurricane term alone is large (a third of the population affected).
    CHECK(hurricane == Approx(0.33).margin(0.02));
  }
  SECTION("Honduras the day before and on the day of landfall") {
    const double fh = mid_year_weight(307);
    const double pop = (1 - fh) * 10119640 + fh * 10289877;
    const double f_before = mid_year_weight(306);
    const double before = 0.01 * ((1 - f_before) * 35.702849 + f_before * 38.202597 - 41.011166) +
                          0.03 * 100 * (1 - ((1 - f_before) * 5603.264 + f_before * 6202.981) / 6264.019) +
                          0.05 * (cpi_mean - 26);
    CHECK(push_exponent(p, push, kHonduras, Date::from_ymd(2020, 11, 2)) == Approx(before).epsilon(1e-12));
    const double on_day = 0.01 * ((1 - fh) * 35.702849 + fh * 38.202597 - 41.011166) +
                          0.03 * 100 * (1 - ((1 - fh) * 5603.264 + fh * 6202.981) / 6264.019) + 3.9e6 / pop +
                          0.05 * (cpi_mean - 26);
    CHECK(push_exponent(p, push, kHonduras, Date::from_ymd(2020, 11, 3)) == Approx(on_day).epsilon(1e-12));
  }
  SECTION("Mexico, which has no hurricane row, on 2020-12-01") {
    const double f = mid_year_weight(335);
    const double expected = 0.01 * ((1 - f) * 29.001005 + f * 27.967503 - 29.150867) +
                            0.03 * 100 * (1 - ((1 - f) * 19728.482 + f * 20782.588) / 21704.186) +
                            0.05 * (cpi_mean - 29);
    CHECK(push_exponent(p, push, kMexico, Date::from_ymd(2020, 12, 1)) == Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("seasonality peaks at the documented day of the year and troughs half a year later") {
  CorridorBench b({"corridor.departures.season_amplitude=0.2", "corridor.departures.season_peak_day=110"});
  const Departures::Params& p = b.params().departures;
  // 2019-04-21 is day 110 of 2019 (31 + 28 + 31 + 20): the peak, 1 + A.
  CHECK(seasonality(p, Date::from_ymd(2019, 4, 21)) == Approx(1.2).epsilon(1e-12));
  // 2019-10-20 is day 292: 182 days after the peak.
  CHECK(seasonality(p, Date::from_ymd(2019, 10, 20)) ==
        Approx(1 + 0.2 * std::cos(2 * M_PI * 182 / 365.25)).epsilon(1e-12));
  CHECK(seasonality(p, Date::from_ymd(2019, 10, 20)) < 0.81);
  // 2020-01-01 is day 0: 110 days before the peak.
  CHECK(seasonality(p, Date::from_ymd(2020, 1, 1)) == Approx(1 + 0.2 * std::cos(2 * M_PI * 110 / 365.25)));
}

TEST_CASE("expected departures multiply scale, base rate, push, perception, aid, season and mobility") {
  CorridorBench b({"corridor.scale=0.5"}, /*departures=*/true);
  const Departures::Params& p = b.params().departures;
  const PushIndicators push = PushIndicators::read(kPushTable);
  const Date d = Date::from_ymd(2020, 5, 1);
  // Mobility on 2020-05-01: the default schedule ramps from 0.35 (2020-04-01) to 0.9 (2020-07-01),
  // 30 of 91 days along.
  const double mobility = 0.35 + 0.55 * 30.0 / 91.0;
  const double season = 1 + 0.15 * std::cos(2 * M_PI * (121 - 110) / 365.25);  // day 121 of 2020
  REQUIRE(p.base_per_day[kHonduras][kFamily] == 430);
  const double expected = 0.5 * 430 * std::exp(push_exponent(p, push, kHonduras, d)) * 1.3 * 0.9 * season * mobility;
  CHECK(expected_departures(p, push, kHonduras, kFamily, d, 1.3, 0.9) == Approx(expected).epsilon(1e-12));

  SECTION("and are zero when the mechanism is switched off") {
    CorridorBench off({"corridor.scale=0.5"}, /*departures=*/false);
    CHECK(off.params().departures.enabled == false);
    CHECK(expected_departures(off.params().departures, push, kHonduras, kFamily, d, 1.3, 0.9) == 0.0);
  }
}

TEST_CASE("party sizes follow the family-size weights and are 1 for single adults and children") {
  CorridorBench b({"corridor.departures.family_size.2=1", "corridor.departures.family_size.3=2",
                   "corridor.departures.family_size.4=0", "corridor.departures.family_size.5=1",
                   "corridor.departures.family_size.6=0"});
  const Departures::Params& p = b.params().departures;
  // Weights 1, 2, 0, 1, 0 (sum 4): mean (2 + 6 + 5) / 4 = 3.25.
  CHECK(mean_party_size(p, kFamily) == Approx(3.25));
  CHECK(mean_party_size(p, kSingleAdult) == 1.0);
  CHECK(mean_party_size(p, kChild) == 1.0);
  // On an even grid of u the inverse CDF reproduces the weights exactly (to the grid step).
  std::map<int, int> count;
  const int grid = 100000;
  int not_one = 0;
  for (int i = 0; i < grid; ++i) {
    const double u = (i + 0.5) / grid;
    ++count[draw_party_size(p, kFamily, u)];
    not_one += draw_party_size(p, kSingleAdult, u) != 1;
    not_one += draw_party_size(p, kChild, u) != 1;
  }
  CHECK(not_one == 0);
  CHECK(count[2] == grid / 4);
  CHECK(count[3] == grid / 2);
  CHECK(count[4] == 0);
  CHECK(count[5] == grid / 4);
  CHECK(count[6] == 0);
}

TEST_CASE("spawned party counts are Poisson around the expected departures, and the departures series is the sum "
          "of their sizes") {
  // One day, 2019-04-21, at scale 60: about 120,000 parties. Perception starts at its reference
  // (factor 1) and defaults.yaml has no aid, so the expected people per origin and demographic is
  // expected_departures(...) x share / (sum of the nationality's shares).
  CorridorBench b({"corridor.scale=60"}, /*departures=*/true);
  const Departures::Params& p = b.params().departures;
  const PushIndicators push = PushIndicators::read(kPushTable);
  const Date date = Date::from_ymd(2019, 4, 21);
  b.begin(date);
  REQUIRE(b.store.size() > 100000);

  std::array<double, kNationalities> share_sum{};
  for (const auto& o : p.origins) share_sum[o.nationality] += o.share;
  // parties and people per origin x demographic, from the store
  std::vector<std::array<std::int64_t, kDemographics>> parties(p.origins.size()), people(p.origins.size());
  std::array<std::int64_t, 7> family_sizes{};
  std::size_t bad_size = 0, bad_start = 0;
  std::vector<std::uint32_t> origin_node;
  for (const auto& o : p.origins) origin_node.push_back(b.node(o.node));
  for (std::size_t i = 0; i < b.store.size(); ++i) {
    const int o = b.store.data(b.columns().origin)[i], d = b.store.data(b.columns().demographic)[i],
              s = b.store.data(b.columns().size)[i];
    ++parties[o][d];
    people[o][d] += s;
    const bool size_ok = d == kFamily ? (s >= 2 && s <= 6) : s == 1;
    if (!size_ok) ++bad_size;
    else if (d == kFamily) ++family_sizes[s];
    if (b.store.states()[i] != kTravelling || b.store.nodes()[i] != origin_node[o] ||
        b.store.data(b.columns().departure_day)[i] != b.ctx().day)
      ++bad_start;
  }
  CHECK(bad_size == 0);   // families 2-6 people, everyone else 1
  CHECK(bad_start == 0);  // every new party travels from its origin node, departing today
  for (std::size_t o = 0; o < p.origins.size(); ++o)
    for (int d = 0; d < kDemographics; ++d) {
      const Nationality n = p.origins[o].nationality;
      const double perception = b.model().perception().departure_factor(n, static_cast<Demographic>(d));
      REQUIRE(perception == Approx(1.0));  // initial perception = reference perception
      const double mean = expected_departures(p, push, n, static_cast<Demographic>(d), date, perception,
                                              aid_factor(b.params().aid, push, n, date)) *
                          p.origins[o].share / share_sum[n] / mean_party_size(p, static_cast<Demographic>(d));
      INFO("origin " << p.origins[o].node << ", demographic " << kDemographicKeys[d] << ": expected " << mean
                     << " parties, spawned " << parties[o][d]);
      // Poisson: variance = mean; Bernstein bound at delta 1e-6 (about 5.4 sigma; 21 checks).
      CHECK(std::fabs(parties[o][d] - mean) <= bernstein_bound(mean));
      // The departures series counts people, exactly the sum of the party sizes.
      CHECK(b.sink.tally[b.model().departures().series().departures.at(o, d)] == people[o][d]);
    }

  SECTION("and family sizes follow the weights 0.45, 0.30, 0.15, 0.07, 0.03 of sizes 2-6") {
    const std::array<double, 5> w{0.45, 0.30, 0.15, 0.07, 0.03};
    std::int64_t n = 0, sum = 0;
    for (int s = 2; s <= 6; ++s) {
      n += family_sizes[s];
      sum += s * family_sizes[s];
    }
    REQUIRE(n > 20000);
    for (int s = 2; s <= 6; ++s) {
      // The count of each size is Binomial(n, w): Bernstein bound at delta 1e-6.
      const double mu = n * w[s - 2], var = n * w[s - 2] * (1 - w[s - 2]);
      INFO("size " << s << ": " << family_sizes[s] << " of " << n << ", expected " << mu);
      CHECK(std::fabs(family_sizes[s] - mu) <= bernstein_bound(var));
    }
    // Mean size 2.93, variance 9.73 - 2.93^2 = 1.1451. (size - 2) / 4 lies in [0, 1], so Bernstein
    // applies to the sum of (size - 2) / 4 with variance n x 1.1451 / 16; the mean's tolerance is
    // 4 b / n (about 0.03 at n = 35,000).
    const double tol = 4 * bernstein_bound(n * 1.1451 / 16) / static_cast<double>(n);
    INFO("mean family size " << static_cast<double>(sum) / n << " +- " << tol);
    CHECK(std::fabs(static_cast<double>(sum) / n - 2.93) <= tol);
    CHECK(mean_party_size(p, kFamily) == Approx(2.93));
  }
}

TEST_CASE("the run's departures are foreseen day by day: expected parties over the run, and the peak day") {
  // The sum, over every day of the baseline's calendar, origin and demographic, of
  // expected_departures x share / mean party size (perception at its initial value = the
  // reference, so its factor is 1; no aid in the baseline).
  CorridorBench b({}, /*departures=*/true);
  const Departures::Params& p = b.params().departures;
  const PushIndicators push = PushIndicators::read(kPushTable);
  const Calendar& cal = b.scenario().calendar;
  std::array<double, kNationalities> share_sum{};
  for (const auto& o : p.origins) share_sum[o.nationality] += o.share;
  double parties = 0, peak = 0;
  for (int day = 0; day < cal.days(); ++day)
    for (const auto& o : p.origins)
      for (int d = 0; d < kDemographics; ++d) {
        const auto demo = static_cast<Demographic>(d);
        const double people = expected_departures(p, push, o.nationality, demo, cal.date_of(day), 1.0,
                                                  aid_factor(b.params().aid, push, o.nationality, cal.date_of(day))) *
                              o.share / share_sum[o.nationality];
        parties += people / mean_party_size(p, demo);
        peak = std::max(peak, people * b.model().perception().max_departure_factor(o.nationality, demo));
      }
  const DepartureOutlook seen = b.model().departures().foresee(cal, "defaults.yaml");
  CHECK(seen.parties == Approx(parties).epsilon(1e-9));
  CHECK(seen.peak_people == Approx(peak).epsilon(1e-12));
  // Perception's most favourable factor: openness 1 for a positive gamma, exp(gamma (1 - ref)).
  const auto& per = b.params().perception;
  CHECK(b.model().perception().max_departure_factor(kGuatemala, kFamily) ==
        Approx(std::exp(per.gamma[kFamily] * (1 - per.reference))).epsilon(1e-12));

  SECTION("the memory estimate holds every party the run starts") {
    const MemoryNeed need = b.model().memory_need();
    CHECK(need.peak_agents == static_cast<std::uint64_t>(std::ceil(parties)));
    CHECK_THAT(need.basis, Catch::Matchers::Contains("parties set out over the run"));
  }
}

TEST_CASE("departures that could not be held are refused when the model is built, each factor in range or not") {
  // 1e5 a day at reference conditions, times the perception's and the season's factors, is
  // more than 1e7 people a day only with a scale: 1e5 x 1000 x ... > 1e7.
  auto load = [](std::vector<std::string> sets) { CorridorBench b(std::move(sets), /*departures=*/true); };
  CHECK_NOTHROW(load({"corridor.scale=1000"}));
  try {
    load({"corridor.scale=1000", "corridor.departures.base_per_day.HN.family=1e5"});
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains("corridor: departures would reach"));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("people a day (HN family from SPS on"));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("more than the 1e+07"));
  }
  // A coefficient at its end: exp(60 x 0.7) on 40 families a day.
  CHECK_THROWS_AS(load({"corridor.perception.gamma.family=60"}), InputError);
  // Switched off, departures are none, whatever their factors.
  CHECK_NOTHROW(load({"corridor.perception.gamma.family=60", "corridor.departures.enabled=false"}));
}

TEST_CASE("geometric waiting times stay within 0 to 36500 days for any mean, huge or not a number") {
  RandomStream rng(1, 2, 3, 4);
  for (double mean : {0.0, -1.0, 1e-300, 3650.0, 1e15, 1e300, std::numeric_limits<double>::infinity(),
                      std::numeric_limits<double>::quiet_NaN()})
    for (int i = 0; i < 100; ++i) {
      const std::int32_t k = geometric_days(mean, rng);
      INFO("mean " << mean << ": " << k);
      CHECK(k >= 0);
      CHECK(k <= 36500);
    }
}
