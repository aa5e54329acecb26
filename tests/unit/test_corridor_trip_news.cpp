// Corridor model v2, trip news with a delay (models/corridor/trip_news.*, docs/model.md §3.14).
// Hand-computed cases: the news of trips that ended on day t is seen on t + delay and not
// before, averaged over the window; the distortion multiplies the odds; no noise leaves the
// share exact; the noise is a log-normal factor on the odds (checked against its sample
// moments, tolerances from the sample size) drawn the same whatever the outcomes. Trips ended
// by parties placed by hand are counted by outcome; the perception relaxes toward the news with
// news.gamma; the queue survives a checkpoint and a bad one is refused; and switched off,
// nothing is declared.
#include <catch2/catch.hpp>
#include <hdf5.h>

#include <cmath>
#include <string>
#include <vector>

#include "corridor_support.hpp"
#include "models/corridor/perception.hpp"
#include "models/corridor/trip_news.hpp"
#include "sim/error.hpp"
#include "sim/hdf5.hpp"
#include "sim_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::CorridorBench;
using corridor::test::PartySpec;

namespace {

const std::string kOn = "corridor.news.enabled=true";

/// News switched on, one day of delay and window unless a test says otherwise, no noise,
/// no distortion.
TripNews::Params hand_parameters(int delay, int window) {
  TripNews::Params p;
  p.enabled = true;
  p.delay_days = delay;
  p.window_days = window;
  p.noise_sd = 0;
  p.distortion = Schedule(0.0);
  for (auto& row : p.gamma) row = {1.0, 2.0, 3.0};
  p.gamma[kMexico] = {0.5, 0.5, 0.5};
  return p;
}

/// Day `day` of a run starting 2020-01-01, seed 7.
DayContext day_of(int day, std::uint64_t seed = 7) {
  return DayContext{day, Date::from_ymd(2020, 1, 1).plus_days(day), 1000, seed};
}

TripNews::Day outcomes(Nationality n, Demographic d, std::int64_t arrived, std::int64_t sent_back,
                       std::int64_t gave_up) {
  TripNews::Day x{};
  x[n][d] = {arrived, sent_back, gave_up};
  return x;
}

double logit(double s) { return std::log(s / (1 - s)); }

}  // namespace

TEST_CASE("the distorted share multiplies the odds, and shares of 0 and 1 stay") {
  CHECK(shifted_share(0.5, std::log(3.0)) == Approx(0.75).epsilon(1e-14));   // odds 1 -> 3
  CHECK(shifted_share(0.25, std::log(3.0)) == Approx(0.5).epsilon(1e-14));   // odds 1/3 -> 1
  CHECK(shifted_share(0.75, -std::log(3.0)) == Approx(0.5).epsilon(1e-14));  // odds 3 -> 1
  CHECK(shifted_share(0.3, 0.0) == 0.3);                                     // no shift: exact
  CHECK(shifted_share(0.0, 5.0) == 0.0);
  CHECK(shifted_share(1.0, -5.0) == 1.0);
  // Extreme shifts neither overflow nor leave [0, 1].
  CHECK(shifted_share(0.5, 800.0) == 1.0);
  CHECK(shifted_share(0.5, -800.0) == 0.0);
}

TEST_CASE("news of trips that ended on day t is seen on day t + delay, not before") {
  const TripNews::Params p = hand_parameters(/*delay=*/2, /*window=*/1);
  TripNews news(p);
  // Day 0: 3 Guatemalan single adults arrived, 1 was sent back. Nobody knows yet.
  news.add_day(day_of(0), outcomes(kGuatemala, kSingleAdult, 3, 1, 0));
  CHECK_FALSE(news.has_news(kGuatemala, kSingleAdult));
  news.add_day(day_of(1), TripNews::Day{});
  CHECK_FALSE(news.has_news(kGuatemala, kSingleAdult));
  // Day 2: the news of day 0 arrives, 3 / 4.
  news.add_day(day_of(2), TripNews::Day{});
  REQUIRE(news.has_news(kGuatemala, kSingleAdult));
  CHECK(news.target(kGuatemala, kSingleAdult) == 0.75);
  // Other cells heard nothing.
  CHECK_FALSE(news.has_news(kGuatemala, kFamily));
  CHECK_FALSE(news.has_news(kHonduras, kSingleAdult));
  // Day 3: the window (one day) now holds day 1, when no trip ended: no news.
  news.add_day(day_of(3), TripNews::Day{});
  CHECK_FALSE(news.has_news(kGuatemala, kSingleAdult));
  CHECK(news.queue_days() == 3);
}

TEST_CASE("the news averages the trips of the window, people weighted") {
  const TripNews::Params p = hand_parameters(/*delay=*/0, /*window=*/3);
  TripNews news(p);
  news.add_day(day_of(0), outcomes(kHonduras, kFamily, 2, 2, 0));  // 2 of 4
  CHECK(news.target(kHonduras, kFamily) == 0.5);
  news.add_day(day_of(1), outcomes(kHonduras, kFamily, 6, 0, 2));  // window: 8 of 12
  CHECK(news.target(kHonduras, kFamily) == Approx(8.0 / 12.0).epsilon(1e-15));
  news.add_day(day_of(2), TripNews::Day{});  // window: days 0-2, still 8 of 12
  CHECK(news.target(kHonduras, kFamily) == Approx(8.0 / 12.0).epsilon(1e-15));
  news.add_day(day_of(3), outcomes(kHonduras, kFamily, 0, 0, 4));  // days 1-3: 6 of 12
  CHECK(news.target(kHonduras, kFamily) == 0.5);
  news.add_day(day_of(4), TripNews::Day{});  // days 2-4: 0 of 4
  CHECK(news.target(kHonduras, kFamily) == 0.0);
  news.add_day(day_of(5), TripNews::Day{});
  news.add_day(day_of(6), TripNews::Day{});  // days 4-6: nothing ended
  CHECK_FALSE(news.has_news(kHonduras, kFamily));
}

TEST_CASE("misinformation multiplies the odds of the news by exp(distortion) from its date") {
  TripNews::Params p = hand_parameters(0, 1);
  p.distortion = Schedule({{Date::from_ymd(2020, 1, 1), 0.0, false}, {Date::from_ymd(2020, 1, 3), std::log(3.0), false}});
  TripNews news(p);
  news.add_day(day_of(1), outcomes(kElSalvador, kChild, 1, 3, 0));  // 2020-01-02: 0.25, undistorted
  CHECK(news.target(kElSalvador, kChild) == 0.25);
  news.add_day(day_of(2), outcomes(kElSalvador, kChild, 1, 2, 1));  // 2020-01-03: odds 1/3 * 3 = 1
  CHECK(news.target(kElSalvador, kChild) == Approx(0.5).epsilon(1e-14));
}

TEST_CASE("the noise is a log-normal factor on the odds with sd noise_sd, the same for every outcome") {
  TripNews::Params p = hand_parameters(0, 1);
  p.noise_sd = 0.3;
  TripNews news(p), other(p);
  // Every cell has the share 0.5 (log-odds 0), so logit(news) / sd is the day's standard normal.
  TripNews::Day even{}, lopsided{};
  for (auto& row : even)
    for (auto& cell : row) cell = {5, 3, 2};
  for (auto& row : lopsided)
    for (auto& cell : row) cell = {90, 5, 5};
  const int days = 2000;
  double sum = 0, sum_sq = 0;
  std::size_t samples = 0;
  for (int t = 0; t < days; ++t) {
    news.add_day(day_of(t), even);
    other.add_day(day_of(t), lopsided);
    for (int n = 0; n < kNationalities; ++n)
      for (int d = 0; d < kDemographics; ++d) {
        const auto nn = static_cast<Nationality>(n);
        const auto dd = static_cast<Demographic>(d);
        const double z = logit(news.target(nn, dd)) / p.noise_sd;
        // The draw does not depend on the outcomes: the lopsided news (0.9) has the same factor.
        CHECK(logit(other.target(nn, dd)) == Approx(logit(0.9) + p.noise_sd * z).margin(1e-9));
        sum += z;
        sum_sq += z * z;
        ++samples;
      }
  }
  // Mean and variance of `samples` standard normals: within 5 standard errors (sd of the mean
  // 1/sqrt(N), of the sample variance about sqrt(2/N)); a fixed seed, so it passes or fails always.
  // With N = 24000 the variance is held to 1 +- 0.046: a wrong sd (0.2 for 0.3) would give 2.25.
  const double N = static_cast<double>(samples);
  const double mean = sum / N, var = sum_sq / N - mean * mean;
  INFO("mean " << mean << ", variance " << var << " over " << samples << " draws");
  CHECK(std::fabs(mean) <= 5 / std::sqrt(N));
  CHECK(std::fabs(var - 1) <= 5 * std::sqrt(2 / N));

  SECTION("the noise depends on seed and day only: another instance draws the same") {
    TripNews again(p);
    again.add_day(day_of(days - 1), even);
    CHECK(again.target(kGuatemala, kFamily) == news.target(kGuatemala, kFamily));
    TripNews seeded(p);
    seeded.add_day(day_of(days - 1, /*seed=*/8), even);
    CHECK(seeded.target(kGuatemala, kFamily) != news.target(kGuatemala, kFamily));
  }
}

TEST_CASE("with the news on, perception relaxes toward it, without misinformation, with news.gamma") {
  CorridorBench b({});
  Perception::Params pp = b.params().perception;
  pp.enabled = true;
  pp.initial = 0.3;
  pp.reference = 0.25;
  pp.relax_days = 10;
  pp.misinformation = Schedule(0.2);  // not used with the news on
  const TripNews::Params np = hand_parameters(0, 1);
  TripNews news(np);
  Perception per(pp, &news);
  news.add_day(day_of(0), outcomes(kGuatemala, kChild, 4, 1, 0));  // news 0.8
  // The encounter reports are ignored: 0.3 + (0.8 - 0.3) / 10 = 0.35.
  Perception::Cells enc{}, in{};
  enc[kGuatemala][kChild] = 100;
  per.report(Date::from_ymd(2020, 1, 1), enc, in);
  CHECK(per.openness(kGuatemala, kChild) == Approx(0.35).epsilon(1e-14));
  CHECK(per.openness(kGuatemala, kFamily) == 0.3);  // no news: holds
  // news.gamma by nationality: 3 for Guatemalan children, 0.5 for Mexicans.
  CHECK(per.departure_factor(kGuatemala, kChild) == Approx(std::exp(3.0 * (0.35 - 0.25))).epsilon(1e-14));
  CHECK(per.departure_factor(kMexico, kChild) == Approx(std::exp(0.5 * (0.3 - 0.25))).epsilon(1e-14));
  CHECK(per.max_departure_factor(kGuatemala, kChild) == Approx(std::exp(3.0 * 0.75)).epsilon(1e-14));
  CHECK(per.max_departure_factor(kMexico, kChild) == Approx(std::exp(0.5 * 0.75)).epsilon(1e-14));

  SECTION("switched off, the perception is the v1 one (reports plus misinformation, perception.gamma)") {
    TripNews::Params off = np;
    off.enabled = false;
    TripNews quiet(off);
    Perception v1(pp, &quiet);
    in[kGuatemala][kChild] = 50;
    v1.report(Date::from_ymd(2020, 1, 1), enc, in);  // 0.3 + (0.5 + 0.2 - 0.3) / 10 = 0.34
    CHECK(v1.openness(kGuatemala, kChild) == Approx(0.34).epsilon(1e-14));
    CHECK(v1.departure_factor(kGuatemala, kChild) ==
          Approx(std::exp(pp.gamma[kChild] * (0.34 - 0.25))).epsilon(1e-14));
  }
}

TEST_CASE("news.gamma defaults to perception.gamma's defaults for both nationality groups") {
  CorridorBench b({kOn});
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d)
      CHECK(b.params().news.gamma[n][d] == kPerceptionGammaDefault[d]);
  CorridorBench c({kOn, "corridor.news.gamma.central_american.child=4"});
  CHECK(c.params().news.gamma[kHonduras][kChild] == 4);
  CHECK(c.params().news.gamma[kMexico][kChild] == kPerceptionGammaDefault[kChild]);
}

TEST_CASE("trips are counted once, by how they end, where parties placed by hand end them") {
  // 2019-09-01: no Title 42; MPP in force. Salvadoran families of 2.
  CorridorBench b({kOn, "corridor.news.delay_days=0", "corridor.news.window_days=1", "corridor.news.noise_sd=0",
                   "corridor.news.distortion=0", "corridor.mexico.asylum_share=0.3",
                   "corridor.mexico.retry_share=0.6", "corridor.mexico.continue_share=0.5"});
  const DayContext ctx = b.begin(Date::from_ymd(2019, 9, 1));
  const std::size_t n = 2000;
  PartySpec p;
  p.origin = 3;  // SAL
  p.demo = kFamily;
  p.size = 2;
  p.wait_until = ctx.day;
  p.state = kDetainedMexico;  // detention ends: asylum (trip goes on) or returned (sent back)
  p.node = b.node("CHI");
  const std::size_t detained = b.add(n, p);
  p.state = kAsylumMexico;  // asylum wait ends: settles (gave up) or sets out north (same trip)
  p.node = b.node("TAP");
  const std::size_t in_asylum = b.add(n, p);
  p.state = kUsCustody;  // removed to the origin (sent back), whether it then retries or not
  p.node = b.node("USBP_ELC");
  const std::size_t custody = b.add(n, p);
  p.state = kAtBorder;  // crossing: undetected or released (arrived), or custody/MPP (trip goes on)
  p.node = b.node("CJS");
  const std::size_t at_border = b.add(n, p);
  b.step();

  const SeriesId& s = b.model().news().series().outcomes;
  const auto people = [](std::size_t parties) { return 2 * static_cast<std::int64_t>(parties); };
  const std::size_t returned = b.count_state(kHome, detained, detained + n) +
                               b.count_state(kStayedHome, detained, detained + n);
  const std::size_t removed =
      b.count_state(kHome, custody, custody + n) + b.count_state(kStayedHome, custody, custody + n);
  const std::size_t settled = b.count_state(kSettledMexico, in_asylum, in_asylum + n);
  const std::size_t arrived = b.count_state(kInUsReleased, at_border, at_border + n) +
                              b.count_state(kInUsUndetected, at_border, at_border + n);
  REQUIRE(removed == n);
  REQUIRE(returned > 0);
  REQUIRE(settled > 0);
  REQUIRE(arrived > 0);
  CHECK(b.sink.tally[s.at(kElSalvador, kFamily, TripNews::kSentBack)] == people(returned + removed));
  CHECK(b.sink.tally[s.at(kElSalvador, kFamily, TripNews::kGaveUp)] == people(settled));
  CHECK(b.sink.tally[s.at(kElSalvador, kFamily, TripNews::kArrived)] == people(arrived));
  CHECK(b.total(s) == people(returned + removed + settled + arrived));  // no other cell

  // end_day reads today's totals: with no delay and a one-day window the news is today's share.
  b.model().end_day(ctx, b.store, b.sink.tally);
  REQUIRE(b.model().news().has_news(kElSalvador, kFamily));
  CHECK(b.model().news().target(kElSalvador, kFamily) ==
        Approx(static_cast<double>(arrived) / static_cast<double>(returned + removed + settled + arrived))
            .epsilon(1e-14));
  CHECK_FALSE(b.model().news().has_news(kElSalvador, kChild));
}

TEST_CASE("an expelled party that does not try again, or one leaving MPP, gave up") {
  CorridorBench b({kOn, "corridor.us.port_share.single_adult=0", "corridor.us.encounter_probability=1",
                   "corridor.us.title42.expel_share.single_adult=1", "corridor.us.title42.retry_share=0"});
  b.begin(Date::from_ymd(2020, 6, 1));
  PartySpec p;
  p.origin = 1;  // SPS, Honduran
  p.state = kAtBorder;
  p.node = b.node("CJS");
  p.wait_until = b.ctx().day;
  b.add(500, p);
  b.step();
  REQUIRE(b.count_state(kStayedHome) == 500);
  const SeriesId& s = b.model().news().series().outcomes;
  CHECK(b.sink.tally[s.at(kHonduras, kSingleAdult, TripNews::kGaveUp)] == 500);
  CHECK(b.total(s) == 500);
}

TEST_CASE("switched off, trip news declares no series and counts nothing") {
  CorridorBench b({});
  CHECK_FALSE(b.params().news.enabled);
  for (const auto& spec : b.setup.series.specs()) CHECK(spec.name != "trip_outcomes");
  CorridorBench on({kOn});
  bool found = false;
  for (const auto& spec : on.setup.series.specs()) found = found || spec.name == "trip_outcomes";
  CHECK(found);
  CHECK(on.setup.series.cells() == b.setup.series.cells() + kNationalities * kDemographics * TripNews::kOutcomes);
}

TEST_CASE("the news queue survives a checkpoint, and a damaged one is refused") {
  test::TempDir dir("trip-news");
  const TripNews::Params p = hand_parameters(/*delay=*/1, /*window=*/2);
  TripNews news(p);
  news.add_day(day_of(0), outcomes(kMexico, kSingleAdult, 1, 1, 0));
  news.add_day(day_of(1), outcomes(kMexico, kSingleAdult, 3, 0, 1));
  news.add_day(day_of(2), outcomes(kMexico, kSingleAdult, 0, 5, 0));
  const std::string file = (dir / "ckpt.h5").string();
  {
    const hid_t f = H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    news.save(f);
    H5Fclose(f);
  }
  TripNews restored(p);
  {
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    restored.load(f);
    H5Fclose(f);
  }
  // The next day both hear of days 1 and 2 (delay 1, window 2): 3 arrived of 9.
  news.add_day(day_of(3), TripNews::Day{});
  restored.add_day(day_of(3), TripNews::Day{});
  CHECK(news.target(kMexico, kSingleAdult) == Approx(3.0 / 9.0).epsilon(1e-15));
  CHECK(restored.target(kMexico, kSingleAdult) == news.target(kMexico, kSingleAdult));

  const auto damaged = [&](const std::vector<std::int64_t>& values) {
    const std::string bad = (dir / "bad.h5").string();
    const hid_t f = H5Fcreate(bad.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    h5::write_column<std::int64_t>(f, "news_outcome_queue", values);
    H5Fclose(f);
    TripNews fresh(p);
    const hid_t g = H5Fopen(bad.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    std::string message;
    try {
      fresh.load(g);
    } catch (const InputError& e) {
      message = e.what();
    }
    H5Fclose(g);
    return message;
  };
  const std::size_t day = kNationalities * kDemographics * TripNews::kOutcomes;
  std::vector<std::int64_t> negative(day, 0);
  negative[5] = -3;
  CHECK_THAT(damaged(negative), Catch::Contains("news_outcome_queue") && Catch::Contains("-3") &&
                                    Catch::Contains("at least 0"));
  CHECK_THAT(damaged(std::vector<std::int64_t>(day + 1, 0)), Catch::Contains("whole days"));
  CHECK_THAT(damaged(std::vector<std::int64_t>(4 * day, 0)), Catch::Contains("at most"));
  CHECK(damaged(std::vector<std::int64_t>(3 * day, 1)).empty());
}
