// Corridor mechanism 7, the US border (models/corridor/us_border.cpp). Parties are placed in
// a northern border city (Ciudad Juarez) ready to cross on a chosen date, one day is stepped,
// and the outcomes are counted: the Title 42 window and switch, the exception for children,
// the MPP periods, the encounter probability, and what counts as a repeat encounter. Then a
// short run of defaults.yaml checks the same rules on every day of the real policy timeline.
// Frequencies are compared with Bernstein's inequality for binomial counts at delta = 1e-6 per
// check (about 5.4 standard deviations; corridor_support.hpp).
#include <catch2/catch.hpp>
#include <cmath>

#include "corridor_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::CorridorBench;
using corridor::test::PartySpec;
using corridor::test::within_binomial;

namespace {

/// Everyone crosses between ports (so the encounter probability applies) and is encountered,
/// unless a test says otherwise.
std::vector<std::string> with(std::vector<std::string> extra) {
  std::vector<std::string> o = {"corridor.us.port_share.single_adult=0", "corridor.us.port_share.family=0",
                                "corridor.us.port_share.child=0", "corridor.us.encounter_probability=1"};
  o.insert(o.end(), extra.begin(), extra.end());
  return o;
}

PartySpec at_border(CorridorBench& b, std::uint8_t origin, Demographic demo) {
  PartySpec p;
  p.origin = origin;
  p.demo = demo;
  p.size = demo == kFamily ? 3 : 1;
  p.state = kAtBorder;
  p.node = b.node("CJS");
  p.wait_until = b.ctx().day;
  return p;
}

struct Outcome {
  std::int64_t expulsions = 0, title42_encounters = 0, title8_encounters = 0, mpp = 0;
};

/// n parties of one kind attempt to cross on `date`; the day's Title 42 and MPP outcomes.
Outcome cross_on(const std::vector<std::string>& overrides, Date date, std::uint8_t origin, Demographic demo,
                 std::size_t n) {
  CorridorBench b(with(overrides));
  b.begin(date);
  b.add(n, at_border(b, origin, demo));
  b.step();
  const auto& a = b.model().us_border().series();
  Outcome o;
  o.expulsions = b.total(a.expulsions);
  o.title42_encounters = b.encounters(kTitle42);
  o.title8_encounters = b.encounters(kTitle8);
  o.mpp = b.total(a.mpp);
  std::int64_t expulsion_events = 0;
  for (const Event& e : b.sink.events.events()) expulsion_events += b.setup.event_kinds[e.kind] == "expulsion";
  CHECK(expulsion_events * (demo == kFamily ? 3 : 1) == o.expulsions);
  return o;
}

}  // namespace

TEST_CASE("there is no Title 42 outcome before its start, from its end date on, or when it is switched off") {
  // Baseline window: in force on days [2020-03-20, 2023-05-11) (policy_timeline.csv: "2023-05-11
  // Title 42 ends"). Single adults are expelled with share 0.9 while it is in force.
  const std::size_t n = 2000;
  for (Date d : {Date::from_ymd(2019, 6, 1), Date::from_ymd(2020, 3, 19), Date::from_ymd(2023, 5, 11),
                 Date::from_ymd(2023, 8, 1)}) {
    INFO("date " << d.iso());
    const Outcome o = cross_on({}, d, 0, kSingleAdult, n);
    CHECK(o.expulsions == 0);
    CHECK(o.title42_encounters == 0);
    CHECK(o.title8_encounters == static_cast<std::int64_t>(n));
  }
  for (Date d : {Date::from_ymd(2020, 3, 20), Date::from_ymd(2023, 5, 10)}) {
    INFO("date " << d.iso() << " (in force: the check above can see expulsions)");
    const Outcome o = cross_on({}, d, 0, kSingleAdult, n);
    within_binomial(static_cast<std::size_t>(o.expulsions), n, 0.9);
    CHECK(o.title42_encounters == o.expulsions);
  }
  const Outcome off = cross_on({"corridor.us.title42.enabled=false"}, Date::from_ymd(2021, 6, 1), 0, kSingleAdult, n);
  CHECK(off.expulsions == 0);
  CHECK(off.title42_encounters == 0);
  const Outcome moved = cross_on({"corridor.us.title42.start=2021-07-01"}, Date::from_ymd(2021, 6, 1), 0,
                                 kSingleAdult, n);
  CHECK(moved.expulsions == 0);
}

TEST_CASE("an unaccompanied child is never expelled from 2020-11-18 on, but may be before") {
  const std::size_t n = 2000;
  for (Date d : {Date::from_ymd(2020, 11, 18), Date::from_ymd(2021, 2, 1), Date::from_ymd(2022, 6, 1)}) {
    INFO("date " << d.iso());
    for (std::uint8_t origin : {0, 4}) {
      const Outcome o = cross_on({}, d, origin, kChild, n);
      CHECK(o.expulsions == 0);
      CHECK(o.title42_encounters == 0);
    }
  }
  // 2020-11-17: the child share is still 0.5 (the check above is not vacuous).
  const Outcome before = cross_on({}, Date::from_ymd(2020, 11, 17), 0, kChild, n);
  within_binomial(static_cast<std::size_t>(before.expulsions), n, 0.5);
}

TEST_CASE("MPP returns happen only within its periods, at the MPP share, and never to Mexicans or children") {
  // Baseline periods [2019-01-29, 2021-01-20) and [2021-12-06, 2022-08-08); share 0.12 for
  // single adults and families. On 2019-06-01 Title 42 is not yet in force: every encounter is Title 8.
  const std::size_t n = 20000;
  const Outcome in = cross_on({}, Date::from_ymd(2019, 6, 1), 0, kSingleAdult, n);
  CHECK(in.title8_encounters == static_cast<std::int64_t>(n));
  within_binomial(static_cast<std::size_t>(in.mpp), n, 0.12);
  const Outcome second = cross_on({}, Date::from_ymd(2021, 12, 6), 0, kFamily, n);
  CHECK(second.mpp > 0);
  // MPP applies to Title 8 cases only: mpp <= Title 8 encounters (families are expelled in part).
  CHECK(second.mpp <= second.title8_encounters);
  for (Date d : {Date::from_ymd(2019, 1, 28), Date::from_ymd(2021, 1, 20), Date::from_ymd(2021, 6, 1),
                 Date::from_ymd(2022, 8, 8), Date::from_ymd(2023, 6, 1)}) {
    INFO("date " << d.iso());
    CHECK(cross_on({}, d, 0, kSingleAdult, 2000).mpp == 0);
  }
  // Mexicans: never, even with an MPP share of 1 (and the control: Guatemalans all are).
  const std::vector<std::string> all = {"corridor.us.mpp.share.single_adult=1", "corridor.us.mpp.share.family=1"};
  CHECK(cross_on(all, Date::from_ymd(2019, 6, 1), 4, kSingleAdult, 2000).mpp == 0);
  CHECK(cross_on(all, Date::from_ymd(2019, 6, 1), 4, kFamily, 2000).mpp == 0);
  CHECK(cross_on(all, Date::from_ymd(2019, 6, 1), 0, kSingleAdult, 2000).mpp == 2000);
  // Children: the default MPP share for children is 0.
  CHECK(cross_on({}, Date::from_ymd(2019, 6, 1), 0, kChild, n).mpp == 0);
  // And with MPP switched off, nobody.
  CHECK(cross_on({"corridor.us.mpp.enabled=false"}, Date::from_ymd(2019, 6, 1), 0, kSingleAdult, n).mpp == 0);
}

TEST_CASE("crossings between ports are encountered with the encounter probability, port arrivals always") {
  const std::size_t n = 20000;
  CorridorBench b(with({"corridor.us.encounter_probability=0.7"}));
  b.begin(Date::from_ymd(2019, 6, 1));
  b.add(n, at_border(b, 1, kSingleAdult));
  b.step();
  const auto& a = b.model().us_border().series();
  const auto encountered = static_cast<std::size_t>(b.encounters(kTitle8) + b.encounters(kTitle42));
  within_binomial(encountered, n, 0.7);
  CHECK(static_cast<std::size_t>(b.total(a.undetected)) == n - encountered);
  CHECK(b.count_state(kInUsUndetected) == n - encountered);

  CorridorBench ports(with({"corridor.us.encounter_probability=0.7", "corridor.us.port_share.single_adult=1"}));
  ports.begin(Date::from_ymd(2019, 6, 1));
  ports.add(n, at_border(ports, 1, kSingleAdult));
  ports.step();
  CHECK(ports.total(ports.model().us_border().series().undetected) == 0);
  CHECK(ports.encounters(kTitle8) == static_cast<std::int64_t>(n));
}

TEST_CASE("a repeat encounter is counted only for a party encountered before within the repeat window") {
  // On 2020-01-15 (day 471 of defaults.yaml), before Title 42; everyone is encountered.
  CorridorBench b(with({}));
  b.begin(Date::from_ymd(2020, 1, 15));
  const int day = b.ctx().day;
  REQUIRE(b.params().us.repeat_window_days == 365);
  PartySpec p = at_border(b, 2, kFamily);  // TGU, Honduran families of 3
  const std::size_t first_time = b.add(100, p);
  p.encounters = 1;
  p.last_encounter = day - 100;
  const std::size_t recent = b.add(200, p);
  p.last_encounter = day - 365;  // the window's edge: still a repeat
  const std::size_t edge = b.add(300, p);
  p.last_encounter = day - 366;  // outside the window
  const std::size_t old = b.add(400, p);
  b.step();
  const auto& a = b.model().us_border().series();
  CHECK(b.sink.tally[a.repeat.at(kHonduras, kFamily)] == 3 * (200 + 300));
  CHECK(b.total(a.repeat) == 3 * (200 + 300));
  CHECK(b.sink.tally[a.unique.at(kHonduras, kFamily)] == 3 * 100);
  CHECK(b.encounters(kTitle8) == 3 * 1000);
  // Every encountered party now records today as its last encounter, and one more encounter.
  std::size_t wrong = 0;
  for (std::size_t i = first_time; i < old + 400; ++i) {
    if (b.store.data(b.columns().last_encounter)[i] != day) ++wrong;
    const int before = i < recent ? 0 : 1;
    if (b.store.data(b.columns().encounters)[i] != before + 1) ++wrong;
  }
  CHECK(wrong == 0);
  (void)edge;
}

TEST_CASE("in a run of defaults.yaml, the Title 42, child, MPP and repeat-encounter rules hold on every day") {
  // FY2019 to FY2021 at 5% scale (about 200,000 parties): Title 42 starts, the child injunction,
  // the first MPP period ends. Series are read in-process, one day at a time.
  auto ls = load_scenario(corridor::test::kDefaultsScenario, {"corridor.scale=0.05", "end=2021-09-30"});
  auto& model = dynamic_cast<RunnerFor<CorridorModel>&>(*ls->runner).model();
  const UsBorder::Series& a = model.us_border().series();
  const Calendar cal = ls->scenario.calendar;
  const int t42_start = cal.day_of(Date::from_ymd(2020, 3, 20));
  const int child_stop = cal.day_of(Date::from_ymd(2020, 11, 18));
  const int mpp_start = cal.day_of(Date::from_ymd(2019, 1, 29));
  const int mpp_end = cal.day_of(Date::from_ymd(2021, 1, 20));
  std::int64_t t42_before = 0, child_expelled_after = 0, child_expelled_before = 0, mpp_outside = 0;
  std::int64_t mpp_inside = 0, mpp_mexican_or_child = 0, repeat_over_total = 0, expelled_adults = 0;
  std::int64_t cum_unique = 0, cum_encounters = 0, unique_over_total = 0, repeats = 0;
  RunOptions opt;
  opt.threads = 1;
  opt.events = false;
  opt.write_agents = false;
  opt.on_totals = [&](const DayContext& ctx, const Tally& t) {
    std::int64_t t42 = 0, enc = 0, rep = 0, uniq = 0, mpp = 0;
    const SeriesId e = a.encounters;
    for (std::size_t s = 0; s < model.roles().sector_count(); ++s)
      for (int n = 0; n < kNationalities; ++n)
        for (int d = 0; d < kDemographics; ++d)
          for (int c = 0; c < 2; ++c) {
            t42 += t[e.at(s, n, d, kTitle42, c)];
            enc += t[e.at(s, n, d, kTitle42, c)] + t[e.at(s, n, d, kTitle8, c)];
          }
    for (int n = 0; n < kNationalities; ++n)
      for (int d = 0; d < kDemographics; ++d) {
        rep += t[a.repeat.at(n, d)];
        uniq += t[a.unique.at(n, d)];
        mpp += t[a.mpp.at(n, d)];
        if (n == kMexico || d == kChild) mpp_mexican_or_child += t[a.mpp.at(n, d)];
        if (d == kChild)
          (ctx.day >= child_stop ? child_expelled_after : child_expelled_before) += t[a.expulsions.at(n, d)];
        else expelled_adults += t[a.expulsions.at(n, d)];
      }
    if (ctx.day < t42_start) t42_before += t42;
    (ctx.day >= mpp_start && ctx.day < mpp_end ? mpp_inside : mpp_outside) += mpp;
    if (rep > enc) ++repeat_over_total;
    repeats += rep;
    cum_unique += uniq;
    cum_encounters += enc;
    if (cum_unique > cum_encounters) ++unique_over_total;
  };
  ls->runner->run(opt, nullptr);
  CHECK(t42_before == 0);
  CHECK(child_expelled_after == 0);
  CHECK(mpp_outside == 0);
  CHECK(mpp_mexican_or_child == 0);
  CHECK(repeat_over_total == 0);
  CHECK(unique_over_total == 0);
  // The run is large enough for every rule to have had the chance to be broken.
  CHECK(child_expelled_before > 0);
  CHECK(expelled_adults > 1000);
  CHECK(mpp_inside > 100);
  CHECK(repeats > 1000);
  CHECK(cum_unique < cum_encounters);
}

TEST_CASE("Title 42 retry share and delay read as one number, by nationality group, or by group and demographic") {
  auto group_values = [](const std::array<PerDemoNumber, kNationalities>& v) {
    // Every Central American nationality has the central_american group's values.
    for (int n : {kHonduras, kElSalvador})
      for (int d = 0; d < kDemographics; ++d) CHECK(v[n][d] == v[kGuatemala][d]);
    return std::pair{v[kMexico], v[kGuatemala]};
  };
  SECTION("the defaults are today's single numbers, 0.6 and 10 days, for everyone") {
    CorridorBench b({});
    for (int n = 0; n < kNationalities; ++n)
      for (int d = 0; d < kDemographics; ++d) {
        CHECK(b.params().us.expelled_retry_share[n][d] == 0.6);
        CHECK(b.params().us.expelled_retry_delay_days[n][d] == 10);
      }
  }
  SECTION("one number applies to every group and demographic") {
    CorridorBench b({"corridor.us.title42.retry_share=0.3", "corridor.us.title42.retry_delay_days=4"});
    for (int n = 0; n < kNationalities; ++n)
      for (int d = 0; d < kDemographics; ++d) {
        CHECK(b.params().us.expelled_retry_share[n][d] == 0.3);
        CHECK(b.params().us.expelled_retry_delay_days[n][d] == 4);
      }
  }
  SECTION("a map by group, each a number or a map by demographic; what is left out keeps its default") {
    CorridorBench b(
        {"corridor.us.title42.retry_share={mexican: 0.8, central_american: {single_adult: 0.5, family: 0.2}}",
         "corridor.us.title42.retry_delay_days={central_american: 25}"});
    const auto [mx, ca] = group_values(b.params().us.expelled_retry_share);
    CHECK(mx == PerDemoNumber{0.8, 0.8, 0.8});
    CHECK(ca == PerDemoNumber{0.5, 0.2, 0.6});
    const auto [mx_days, ca_days] = group_values(b.params().us.expelled_retry_delay_days);
    CHECK(mx_days == PerDemoNumber{10, 10, 10});
    CHECK(ca_days == PerDemoNumber{25, 25, 25});
  }
  SECTION("a dotted key reaches one group and demographic") {
    CorridorBench b({"corridor.us.title42.retry_share.mexican.family=0.1"});
    const auto [mx, ca] = group_values(b.params().us.expelled_retry_share);
    CHECK(mx == PerDemoNumber{0.6, 0.1, 0.6});
    CHECK(ca == PerDemoNumber{0.6, 0.6, 0.6});
  }
  SECTION("bad keys and values are input errors that name the key") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_WITH(CorridorBench({"corridor.us.title42.retry_share={guatemalan: 0.5}"}),
                      Contains("key 'corridor.us.title42.retry_share.guatemalan': unknown nationality group "
                               "'guatemalan' (expected mexican or central_american"));
    CHECK_THROWS_WITH(CorridorBench({"corridor.us.title42.retry_delay_days={mexican: {adult: 3}}"}),
                      Contains("key 'corridor.us.title42.retry_delay_days.mexican.adult': unknown demographic 'adult' "
                               "(expected single_adult, family or child"));
    CHECK_THROWS_WITH(CorridorBench({"corridor.us.title42.retry_share={central_american: {child: 1.2}}"}),
                      Contains("key 'corridor.us.title42.retry_share.central_american.child': expected a probability "
                               "in [0,1], got '1.2'"));
    CHECK_THROWS_WITH(CorridorBench({"corridor.us.title42.retry_share=[0.5, 0.6]"}),
                      Contains("key 'corridor.us.title42.retry_share': expected a probability in [0,1]"));
    CHECK_THROWS_AS(CorridorBench({"corridor.us.title42.retry_delay_days={mexican: -2}"}), InputError);
  }
}

TEST_CASE("expelled parties retry with their nationality group's and demographic's share, after its delay") {
  // 2021-06-01: Title 42 in force; every single adult and family is expelled (expel share 1).
  // Mexicans never retry, Central American single adults with 0.7 after 20 days on average,
  // Central American families with 0.25 after 5.
  const std::vector<std::string> o = with(
      {"corridor.us.title42.expel_share.single_adult=1", "corridor.us.title42.expel_share.family=1",
       "corridor.us.title42.retry_share={mexican: 0, central_american: {single_adult: 0.7, family: 0.25}}",
       "corridor.us.title42.retry_delay_days={central_american: {single_adult: 20, family: 5}}"});
  CorridorBench b(o);
  b.begin(Date::from_ymd(2021, 6, 1));
  const int day = b.ctx().day;
  const std::size_t n = 20000;
  struct Case {
    std::uint8_t origin;
    Demographic demo;
    double share, delay;
  };
  const std::vector<Case> cases = {{4, kSingleAdult, 0.0, 10}, {5, kFamily, 0.0, 10}, {0, kSingleAdult, 0.7, 20},
                                   {2, kSingleAdult, 0.7, 20}, {3, kFamily, 0.25, 5}};
  std::vector<std::size_t> first;
  for (const Case& c : cases) first.push_back(b.add(n, at_border(b, c.origin, c.demo)));
  b.step();
  REQUIRE(b.total(b.model().us_border().series().expulsions) == static_cast<std::int64_t>(n * (3 + 2 * 3)));
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    INFO("origin " << int(c.origin) << ", " << kDemographicKeys[c.demo] << ": share " << c.share);
    const std::size_t retry = b.count_state(kAtBorder, first[k], first[k] + n);
    CHECK(retry + b.count_state(kStayedHome, first[k], first[k] + n) == n);
    if (c.share == 0) {
      CHECK(retry == 0);
      continue;
    }
    within_binomial(retry, n, c.share);
    // Days until the next attempt: 1 + G(delay). Normal approximation, 6 standard errors.
    double days = 0;
    for (std::size_t i = first[k]; i < first[k] + n; ++i)
      if (b.store.states()[i] == kAtBorder) days += b.store.data(b.columns().wait_until)[i] - day - 1;
    const double mean = days / static_cast<double>(retry);
    const double tol = 6 * std::sqrt(c.delay * (1 + c.delay) / static_cast<double>(retry));
    INFO("mean delay " << mean << ", expected " << c.delay << " +- " << tol);
    CHECK(std::fabs(mean - c.delay) <= tol);
  }
}

TEST_CASE("unaccompanied children are never placed in Remain in Mexico, and a scenario cannot set their share") {
  using Catch::Matchers::Contains;
  CorridorBench b({});
  CHECK(b.params().us.mpp_share[kChild] == 0);
  for (const char* v : {"0", "0.5"})
    CHECK_THROWS_WITH(CorridorBench({std::string("corridor.us.mpp.share.child=") + v}),
                      Contains("key 'corridor.us.mpp.share.child': unaccompanied children are exempt from Remain in "
                               "Mexico by law (TVPRA"));
  // With the adults' and families' shares at 1, Guatemalan children are still never returned
  // under MPP (the control: Guatemalan single adults all are).
  const std::vector<std::string> all = {"corridor.us.mpp.share.single_adult=1", "corridor.us.mpp.share.family=1"};
  const Outcome children = cross_on(all, Date::from_ymd(2019, 6, 1), 0, kChild, 2000);
  CHECK(children.mpp == 0);
  CHECK(children.title8_encounters == 2000);
  CHECK(cross_on(all, Date::from_ymd(2019, 6, 1), 0, kSingleAdult, 2000).mpp == 2000);
}

TEST_CASE("Title 42 is in force from its start date up to, not including, its end date, and never when off") {
  CorridorBench b({});
  const Title42& t42 = b.params().us.title42;
  // policy_timeline.csv: 2020-03-20 Title 42 begins; 2023-05-11 Title 42 ends.
  REQUIRE(t42.start == Date::from_ymd(2020, 3, 20));
  REQUIRE(t42.end == Date::from_ymd(2023, 5, 11));
  CHECK_FALSE(t42.in_force(Date::from_ymd(2020, 3, 19)));
  CHECK(t42.in_force(Date::from_ymd(2020, 3, 20)));
  CHECK(t42.in_force(Date::from_ymd(2023, 5, 10)));
  CHECK_FALSE(t42.in_force(Date::from_ymd(2023, 5, 11)));
  Title42 off = t42;
  off.enabled = false;
  CHECK_FALSE(off.in_force(Date::from_ymd(2021, 6, 1)));
  CHECK_FALSE(
      CorridorBench({"corridor.us.title42.enabled=false"}).params().us.title42.in_force(Date::from_ymd(2021, 6, 1)));
}

TEST_CASE("Remain in Mexico is in force within its periods, their ends excluded, and never when off") {
  CorridorBench b({});
  const RemainInMexico& mpp = b.params().us.mpp;
  // policy_timeline.csv: MPP 1.0 2019-01-29 to 2021-01-20, MPP 2.0 2021-12-06 to 2022-08-08.
  REQUIRE(mpp.periods.size() == 2);
  for (const auto& [date, expected] : std::vector<std::pair<Date, bool>>{{Date::from_ymd(2019, 1, 28), false},
                                                                        {Date::from_ymd(2019, 1, 29), true},
                                                                        {Date::from_ymd(2021, 1, 19), true},
                                                                        {Date::from_ymd(2021, 1, 20), false},
                                                                        {Date::from_ymd(2021, 12, 5), false},
                                                                        {Date::from_ymd(2021, 12, 6), true},
                                                                        {Date::from_ymd(2022, 8, 7), true},
                                                                        {Date::from_ymd(2022, 8, 8), false}}) {
    INFO(date.iso());
    CHECK(mpp.in_force(date) == expected);
  }
  RemainInMexico off = mpp;
  off.enabled = false;
  CHECK_FALSE(off.in_force(Date::from_ymd(2019, 6, 1)));
  // A scenario's periods replace the default ones.
  CorridorBench moved({"corridor.us.mpp.periods=[{start: 2020-01-01, end: 2020-02-01}]"});
  CHECK_FALSE(moved.params().us.mpp.in_force(Date::from_ymd(2019, 6, 1)));
  CHECK(moved.params().us.mpp.in_force(Date::from_ymd(2020, 1, 31)));
  CHECK_FALSE(moved.params().us.mpp.in_force(Date::from_ymd(2020, 2, 1)));
}
