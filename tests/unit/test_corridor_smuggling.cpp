// Smugglers (models/corridor/smuggling.*, Smuggling; docs/model.md §3.5): a new party hires a
// smuggler with its demographic's share, and each person of a smuggled party pays
// travel.smuggler_fee_usd for every trip it sets off on (first departure, departure again from
// home, continuing north from asylum in Mexico) and every crossing it decides to retry (after a
// Title 42 expulsion, or from MPP). The series smuggling_fees (USD, by nationality) must equal
// fee x those people exactly, and the fee must change no flow. (What a smuggler changes on the
// way is tested with travel, route choice and Mexican enforcement.)
#include <catch2/catch.hpp>

#include "corridor_support.hpp"

using namespace corridor;
using namespace corridor::cm;
using corridor::test::CorridorBench;
using corridor::test::PartySpec;
using corridor::test::within_binomial;

namespace {

std::int64_t fees(const CorridorBench& b, int n) { return b.sink.tally[b.model().smuggling().series().fees.at(n)]; }

/// People of smuggled parties among rows [first, last) of nationality n.
std::int64_t smuggled_people(const CorridorBench& b, std::size_t first, std::size_t last, int n) {
  std::int64_t people = 0;
  for (std::size_t i = first; i < last; ++i)
    if ((b.store.data(b.columns().flags)[i] & kFlagSmuggler) &&
        b.params().departures.origins[b.store.data(b.columns().origin)[i]].nationality == n)
      people += b.store.data(b.columns().size)[i];
  return people;
}

}  // namespace

TEST_CASE("new parties hire a smuggler with their demographic's share") {
  // 2019-04-21 at scale 20: about 40,000 new parties. Shares 0.4, 0.5, 0.7 (docs/model.md §3.9).
  CorridorBench b({"corridor.scale=20"}, /*departures=*/true);
  REQUIRE(b.params().smuggling.share == PerDemoNumber{0.4, 0.5, 0.7});
  b.begin(Date::from_ymd(2019, 4, 21));
  std::array<std::size_t, kDemographics> parties{}, smuggled{};
  for (std::size_t i = 0; i < b.store.size(); ++i) {
    const int d = b.store.data(b.columns().demographic)[i];
    ++parties[d];
    smuggled[d] += (b.store.data(b.columns().flags)[i] & kFlagSmuggler) != 0;
  }
  for (int d = 0; d < kDemographics; ++d) {
    INFO(kDemographicKeys[d]);
    REQUIRE(parties[d] > 2000);
    within_binomial(smuggled[d], parties[d], b.params().smuggling.share[d]);
  }
}

TEST_CASE("a smuggler multiplies speed and interception for smuggled parties only") {
  Smuggling::Params p;
  p.speed = 2;
  p.interception = 0.4;
  const Smuggling s(p);
  CHECK(s.speed_factor(true) == 2.0);
  CHECK(s.speed_factor(false) == 1.0);
  CHECK(s.interception_factor(true) == 0.4);
  CHECK(s.interception_factor(false) == 1.0);
}

TEST_CASE("smuggling fees of a day's departures are the fee times the smuggled people departing") {
  // 2019-04-21 at scale 5: about 10,000 new parties, about half with a smuggler.
  for (const char* fee : {"7000", "6500"}) {
    CorridorBench b({"corridor.scale=5", std::string("corridor.travel.smuggler_fee_usd=") + fee}, /*departures=*/true);
    b.begin(Date::from_ymd(2019, 4, 21));
    REQUIRE(b.store.size() > 5000);
    std::int64_t all = 0;
    for (int n = 0; n < kNationalities; ++n) {
      const std::int64_t people = smuggled_people(b, 0, b.store.size(), n);
      INFO(kNationalityKeys[n] << ": " << people << " smuggled people departing at " << fee << " USD");
      CHECK(people > 0);
      CHECK(fees(b, n) == std::stoll(fee) * people);
      all += people;
    }
    CHECK(b.total(b.model().smuggling().series().fees) == std::stoll(fee) * all);
  }
}

TEST_CASE("smuggled parties pay again when they set off from home, from asylum in Mexico, or retry a crossing") {
  // Everyone acts today: parties at home leave again, asylum seekers in Tapachula all continue,
  // every expelled party retries, every MPP party crosses again. Half of each kind is smuggled.
  CorridorBench b({"corridor.mexico.continue_share=1", "corridor.us.title42.expel_share.single_adult=1",
                   "corridor.us.title42.expel_share.family=1", "corridor.us.title42.retry_share=1",
                   "corridor.us.mpp.abandon_share=0", "corridor.us.mpp.recross_share=1",
                   "corridor.us.port_share.single_adult=0", "corridor.us.port_share.family=0",
                   "corridor.us.encounter_probability=1"});
  b.begin(Date::from_ymd(2021, 6, 1));  // Title 42 in force
  const int day = b.ctx().day;
  const std::size_t n = 1000;
  const std::size_t first = b.store.size();
  for (bool smuggled : {false, true}) {
    PartySpec home;  // Hondurans at home in San Pedro Sula, families of 3
    home.origin = 1;
    home.demo = kFamily;
    home.size = 3;
    home.smuggler = smuggled;
    home.state = kHome;
    home.node = b.node("SPS");
    home.wait_until = day;
    b.add(n, home);
    PartySpec asylum = home;  // Guatemalan single adults in Tapachula
    asylum.origin = 0;
    asylum.demo = kSingleAdult;
    asylum.size = 1;
    asylum.state = kAsylumMexico;
    asylum.node = b.node("TAP");
    b.add(n, asylum);
    PartySpec border = asylum;  // Mexican single adults in Ciudad Juarez, expelled today
    border.origin = 4;
    border.state = kAtBorder;
    border.node = b.node("CJS");
    b.add(n, border);
    PartySpec mpp = border;  // Salvadoran families under MPP, at their hearing today
    mpp.origin = 3;
    mpp.demo = kFamily;
    mpp.size = 2;
    mpp.state = kRemainInMexico;
    b.add(n, mpp);
  }
  b.step();
  const std::size_t last = b.store.size();
  // Everyone set off or retried: the Mexicans were expelled and wait to retry, the others travel
  // or wait at the border to cross tomorrow.
  CHECK(b.total(b.model().us_border().series().expulsions) == static_cast<std::int64_t>(2 * n));
  CHECK(b.count_state(kStayedHome, first, last) == 0);
  CHECK(b.count_state(kSettledMexico, first, last) == 0);
  const std::int64_t fee = 7000;
  CHECK(fees(b, kHonduras) == fee * 3 * static_cast<std::int64_t>(n));
  CHECK(fees(b, kGuatemala) == fee * static_cast<std::int64_t>(n));
  CHECK(fees(b, kMexico) == fee * static_cast<std::int64_t>(n));
  CHECK(fees(b, kElSalvador) == fee * 2 * static_cast<std::int64_t>(n));
  for (int k = 0; k < kNationalities; ++k) CHECK(fees(b, k) == fee * smuggled_people(b, first, last, k));
}

TEST_CASE("the smuggler's fee changes no flow: a run with another fee differs only in smuggling_fees") {
  // FY2020 at 2% scale: departures, Mexican enforcement, Title 42 from March, MPP.
  auto totals_of = [](const std::string& fee) {
    auto ls = load_scenario(corridor::test::kDefaultsScenario,
                            {"corridor.scale=0.02", "start=2019-10-01", "end=2020-09-30",
                             "corridor.travel.smuggler_fee_usd=" + fee});
    auto& model = dynamic_cast<RunnerFor<CorridorModel>&>(*ls->runner).model();
    std::vector<std::int64_t> other, paid;
    RunOptions opt;
    opt.threads = 1;
    opt.events = false;
    opt.write_agents = false;
    opt.on_totals = [&](const DayContext&, const Tally& t) {
      const SeriesId f = model.smuggling().series().fees;  // declared when the run starts
      for (std::size_t c = 0; c < t.size(); ++c)
        (c >= f.offset && c < f.offset + f.cells ? paid : other).push_back(t[c]);
    };
    ls->runner->run(opt, nullptr);
    return std::pair{other, paid};
  };
  const auto [other_a, paid_a] = totals_of("7000");
  const auto [other_b, paid_b] = totals_of("0");
  REQUIRE(other_a.size() > 1000);
  CHECK(other_a == other_b);
  std::int64_t total_a = 0, total_b = 0;
  for (auto v : paid_a) total_a += v;
  for (auto v : paid_b) total_b += v;
  CHECK(total_a > 0);
  CHECK(total_a % 7000 == 0);
  CHECK(total_b == 0);
}
