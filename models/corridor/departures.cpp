// Mechanism 3, departures (docs/model.md §3.3): the equations are in departures.hpp.
#include "models/corridor/departures.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "models/corridor/event_kinds.hpp"
#include "models/corridor/limits.hpp"
#include "sim/error.hpp"

namespace corridor::cm {

void Departures::Params::declare(Declarer& d, Params& p) {
  d.module("Departures", "`Departures` in `departures.cpp`, §3.3");
  d.flag("departures.enabled", p.enabled, true, "mechanism switch");
  d.number("scale", p.scale, 1.0, "fraction", positive_at_most(kMaxScale),
           "sampling fraction for quick runs (calibration, tests): departures are multiplied by it and the output "
           "is NOT rescaled; stored as the root attribute model_scale so that analysis scripts can divide by it");
  const std::array<PerDemoNumber, kNationalities> base = {{
      {600, 40, 35},    // MX
      {230, 380, 100},  // GT
      {170, 430, 75},   // HN
      {60, 140, 40},    // SV
  }};
  for (int n = 0; n < kNationalities; ++n)
    d.per_demo("departures.base_per_day." + kNationalityKeys[n], p.base_per_day[n], base[n], "people/day",
               non_negative_at_most(kMaxBasePerDay),
               "departures per day under reference-year push, reference perception, no aid; order of magnitude from "
               "FY2019 CBP encounters by citizenship x demographic; fitted by calibration");
  d.integer("departures.reference_year", p.reference_year, 2019, 2015, 2022, "year",
            "push indicators enter relative to this year, so base_per_day keeps its meaning");
  d.number("departures.beta_homicide", p.beta_homicide, 0.01, "per homicide/100k", symmetric(kMaxPushCoefficient),
           "violence push; homicide rates from UNODC/WDI (data/push_factors_by_country_year.csv)");
  d.number("departures.beta_gdp", p.beta_gdp, 0.03, "per % GDP/capita loss", symmetric(kMaxPushCoefficient),
           "economic push: % fall of GDP per capita (PPP) below the reference year (the 2020 COVID-19 shock), WDI");
  d.number("departures.beta_hurricane", p.beta_hurricane, 1.0, "per share affected", symmetric(kMaxHurricaneCoefficient),
           "share of the population affected by Eta and Iota (national disaster agencies), decaying");
  d.date("departures.hurricane_date", p.hurricane_date, "2020-11-03", "Eta's landfall (policy_timeline.csv)");
  d.number("departures.hurricane_decay_days", p.hurricane_decay_days, 180, "days", positive_at_most(kMaxTimeConstantDays),
           "e-folding time of the hurricane shock; assumption (recovery over about a year)");
  d.number("departures.beta_governance", p.beta_governance, 0.05, "per CPI point below the 4-country mean",
           symmetric(kMaxPushCoefficient),
           "constant per country: Transparency International CPI 2019 (MX 29, GT 26, HN 26, SV 34), relative to "
           "their mean 28.75; constant in time, so it shifts levels between countries only");
  d.number("departures.season_amplitude", p.season_amplitude, 0.15, "relative", Bounds::between(0, 1),
           "spring peak of crossings seen every year in CBP monthly data; assumption, calibrated");
  d.number("departures.season_peak_day", p.season_peak_day, 110, "day of year", Bounds::between(0, 366),
           "late April peak (CBP monthly data, FY2014-FY2019 pattern)");
  d.schedule("departures.mobility", p.mobility,
             "2018-10-01:1, 2020-03-16:1, 2020-04-01~0.35, 2020-07-01~0.9, 2020-12-01~1", "multiplier",
             non_negative_at_most(kMaxFactor),
             "COVID-19 movement restrictions: borders of GT/HN/SV closed mid-March 2020, reopened gradually from "
             "September 2020 (national decrees); shape is an assumption");
  {
    const std::array<double, 5> def{0.45, 0.30, 0.15, 0.07, 0.03};
    for (int s = 0; s < 5; ++s)
      d.number(fmt::format("departures.family_size.{}", s + 2), p.family_size_weights[s], def[s], "weight",
               non_negative_at_most(kMaxFactor),
               "relative frequency of family units of this size; assumption (mostly one parent with one or two "
               "children; CBP counts FMUA as individuals)");
    double sum = 0;
    for (double w : p.family_size_weights) sum += w;
    std::string leaf;
    if (auto s = d.parent("departures.family_size", leaf); s && !(sum > 0))
      s->fail(leaf, "the weights of family sizes 2-6 must not all be zero");
  }
  {
    std::string leaf;
    auto s = d.custom("departures.origins", "see docs/model.md §3.3", "list of {node, nationality, share}",
                      "where each nationality enters the network; Mexican origins stand for the sending states of "
                      "central and western Mexico", leaf);
    p.origins = {{"GUA", kGuatemala, 1.0}, {"SPS", kHonduras, 0.6}, {"TGU", kHonduras, 0.4},
                 {"SAL", kElSalvador, 1.0}, {"MEX", kMexico, 0.4}, {"GDL", kMexico, 0.3},
                 {"IRA", kMexico, 0.3}};
    if (s && s->has(leaf)) {
      p.origins.clear();
      for (const Section& o : s->list(leaf)) {
        OriginSpec spec;
        spec.node = o.text("node");
        const std::string nat = o.text("nationality");
        auto n = nationality_from_key(nat);
        if (!n) o.fail("nationality", fmt::format("expected one of MX, GT, HN, SV, got '{}'", nat));
        spec.nationality = *n;
        spec.share = o.number("share", 1.0, non_negative_at_most(kMaxFactor));
        p.origins.push_back(spec);
      }
    }
  }
}

Departures::Departures(const Params& p, const PushIndicators& push, const NetworkRoles& roles,
                       const RouteChoice& routes, const Smuggling& smuggling, const Perception& perception,
                       const Aid& aid, const Closures& closures, const TripNews& news, const Diaspora& diaspora,
                       const Households& households)
    : p_(p),
      push_(push),
      roles_(roles),
      routes_(routes),
      smuggling_(smuggling),
      perception_(perception),
      aid_(aid),
      closures_(closures),
      news_(news),
      diaspora_(diaspora),
      households_(households) {}

DepartureOutlook Departures::foresee(const Calendar& cal, const std::filesystem::path& file) const {
  DepartureOutlook out;
  std::array<double, kNationalities> share_sum{};
  for (const auto& o : p_.origins) share_sum[o.nationality] += o.share;
  for (int day = 0; day < cal.days(); ++day) {
    const Date date = cal.date_of(day);
    // Each nationality's expectation once a day, then split over its origins: a scenario of a
    // century is validated in a fraction of a second (the fuzzer's slow unit, tests/fuzz).
    std::array<PerDemoNumber, kNationalities> expected{};
    for (int n = 0; n < kNationalities; ++n) {
      if (share_sum[n] <= 0) continue;
      const auto nat = static_cast<Nationality>(n);
      const double aid = aid_.factor_on(nat, date);
      for (int di = 0; di < kDemographics; ++di)
        expected[n][di] = expected_departures(p_, push_, nat, static_cast<Demographic>(di), date, 1.0, aid);
    }
    for (std::size_t o = 0; o < p_.origins.size(); ++o) {
      const OriginSpec& spec = p_.origins[o];
      if (share_sum[spec.nationality] <= 0) continue;
      const double share = spec.share / share_sum[spec.nationality];
      PerDemoNumber neutral = expected[spec.nationality];
      for (double& x : neutral) x *= share;
      for (int di = 0; di < kDemographics; ++di) {
        const auto d = static_cast<Demographic>(di);
        const double base = neutral[di];
        // With the v2 households on, the whole pool may choose d (§3.16).
        const double people = households_.enabled()
                                  ? households_.max_people(spec.nationality, d, neutral)
                                  : base * perception_.max_departure_factor(spec.nationality, d);
        const double peak = people * diaspora_.max_departure_factor();
        if (!(peak <= kMaxPeoplePerDay))  // NaN too
          throw InputError(fmt::format(
              "{}: corridor: departures would reach {} people a day ({} {} from {} on {}), more than the {:g} "
              "the model allows from one origin in one demographic; lower corridor.scale, "
              "corridor.departures.base_per_day, the departures.beta_*, perception.gamma (news.gamma with the "
              "trip news on) or diaspora.max_pull (docs/reliability.md)",
              file.string(), std::isfinite(peak) ? fmt::format("{:.3g}", peak) : std::string("an unbounded number of"),
              kNationalityKeys[spec.nationality], kDemographicKeys[di], spec.node, date.iso(), kMaxPeoplePerDay));
        if (peak > out.peak_people) {
          out.peak_people = peak;
          out.peak_date = date;
          out.peak_origin = o;
          out.peak_demographic = d;
        }
        out.parties += base * perception_.departure_factor(spec.nationality, d) / mean_party_size(p_, d);
      }
    }
  }
  return out;
}

void Departures::declare_series(SeriesLayout& S) {
  series_.departures = S.add({"departures", "people", "people leaving their origin for the first time",
                              {roles_.origin_dim(), demographic_dim()}});
  series_.redepartures = S.add({"redepartures", "people",
                                "people setting out again (after a return, or from asylum in Mexico)",
                                {nationality_dim(), demographic_dim()}});
}

void Departures::begin_day(const DayContext& ctx, AgentStore& store, const PartyColumns& columns,
                           ThreadSink& sink) const {
  // Total share per nationality, to split its departures over its origins.
  std::array<double, kNationalities> share_sum{};
  for (const auto& o : p_.origins) share_sum[o.nationality] += o.share;
  for (std::size_t o = 0; o < p_.origins.size(); ++o) {
    const OriginSpec& spec = p_.origins[o];
    if (share_sum[spec.nationality] <= 0) continue;
    // With the v2 households on, the neutral departures (perception factor 1): the households
    // choose who goes (§3.16).
    PerDemoNumber people_by_demo{};
    for (int di = 0; di < kDemographics; ++di) {
      const auto d = static_cast<Demographic>(di);
      const double perception = households_.enabled() ? 1.0 : perception_.departure_factor(spec.nationality, d);
      people_by_demo[di] = expected_departures(p_, push_, spec.nationality, d, ctx.date, perception,
                                               aid_.factor(spec.nationality)) *
                           spec.share / share_sum[spec.nationality] * closures_.pass(roles_.origin_node(o)) *
                           diaspora_.departure_factor(spec.nationality);
    }
    if (households_.enabled()) people_by_demo = households_.people(spec.nationality, people_by_demo);
    for (int di = 0; di < kDemographics; ++di) {
      const auto d = static_cast<Demographic>(di);
      const double people = people_by_demo[di];
      RandomStream count_rng(ctx.seed, kDepartureStreamBase + o * kDemographics + di,
                             static_cast<std::uint32_t>(ctx.day), kPurposeDepartureCount);
      const std::uint64_t parties = count_rng.poisson(people / mean_party_size(p_, d));
      if (parties == 0) continue;
      const double smuggler_share = diaspora_.smuggler_share(spec.nationality, smuggling_.share(d));
      const std::size_t first = store.append(parties);
      const PartyRows rows(store, columns);
      for (std::size_t i = first; i < store.size(); ++i) {
        RandomStream rng(ctx.seed, rows.id[i], static_cast<std::uint32_t>(ctx.day), kPurposeSpawn);
        rows.origin[i] = static_cast<std::uint8_t>(o);
        rows.demographic[i] = static_cast<std::uint8_t>(d);
        rows.size[i] = static_cast<std::uint8_t>(draw_party_size(p_, d, rng.uniform()));
        rows.flags[i] = rng.bernoulli(smuggler_share) ? kFlagSmuggler : 0;
        rows.departure_day[i] = ctx.day;
        rows.last_encounter[i] = -1;
        rows.final_day[i] = -1;
        const Party p(rows, i, spec.nationality);
        sink.tally.add(series_.departures.at(o, static_cast<std::size_t>(d)), p.size);
        start_trip(ctx, p, roles_.origin_node(o), rng, sink);
      }
    }
  }
}

void Departures::start_trip(const DayContext& ctx, const Party& p, std::uint32_t from_node, RandomStream& rng,
                            ThreadSink& sink) const {
  const int start = routes_.start_slot(from_node);
  p.route() =
      routes_.draw(static_cast<std::size_t>(start), p.demo, p.smuggled, p.nationality == kMexico, rng.uniform());
  p.hop() = 0;
  p.progress() = 0;
  p.node() = from_node;
  p.state() = kTravelling;
  p.wait_until() = ctx.day;
  p.trip_start() = ctx.day;
  sink.events.add(ctx.day, kEventDeparture, from_node, p.id, p.size);
  smuggling_.pay(p, sink);
}

void Departures::set_out_again(const DayContext& ctx, const Party& p, std::uint32_t from_node, RandomStream& rng,
                               ThreadSink& sink) const {
  sink.tally.add(series_.redepartures.at(p.nationality, p.demo), p.size);
  start_trip(ctx, p, from_node, rng, sink);
}

void Departures::go_home_or_retry(const DayContext& ctx, const Party& p, double retry_share, double delay_days,
                                  RandomStream& rng, ThreadSink& sink) const {
  news_.count(p, TripNews::kSentBack, sink);
  if (rng.bernoulli(retry_share)) {
    p.node() = roles_.origin_node(p.origin);
    p.state() = kHome;
    p.wait_until() = ctx.day + 1 + geometric_days(delay_days, rng);
  } else {
    stay_home(ctx, p, sink);
  }
}

void Departures::give_up(const DayContext& ctx, const Party& p, ThreadSink& sink) const {
  news_.count(p, TripNews::kGaveUp, sink);
  stay_home(ctx, p, sink);
}

void Departures::stay_home(const DayContext& ctx, const Party& p, ThreadSink& sink) const {
  p.node() = roles_.origin_node(p.origin);
  sink.events.add(ctx.day, kEventGiveUp, p.node(), p.id, p.size);
  p.finish(ctx.day, kStayedHome, sink);
}

double push_exponent(const Departures::Params& p, const PushIndicators& push, Nationality n, Date date) {
  const double hom = push.homicide_rate(n, date) - push.homicide_rate_year(n, p.reference_year);
  const double gdp_loss = 100.0 * (1.0 - push.gdp_per_capita(n, date) / push.gdp_per_capita_year(n, p.reference_year));
  double hurricane = 0;
  if (!(date < p.hurricane_date))
    hurricane = push.hurricane_affected(n) / push.population(n, p.hurricane_date) *
                std::exp(-static_cast<double>(date - p.hurricane_date) / p.hurricane_decay_days);
  const double cpi_mean = std::accumulate(kCpi2019.begin(), kCpi2019.end(), 0.0) / kNationalities;
  return p.beta_homicide * hom + p.beta_gdp * gdp_loss + p.beta_hurricane * hurricane +
         p.beta_governance * (cpi_mean - kCpi2019[n]);
}

double seasonality(const Departures::Params& p, Date date) {
  const double doy = static_cast<double>(date - Date::from_ymd(date.year(), 1, 1));
  return 1.0 + p.season_amplitude * std::cos(2.0 * M_PI * (doy - p.season_peak_day) / 365.25);
}

double expected_departures(const Departures::Params& p, const PushIndicators& push, Nationality n, Demographic d,
                           Date date, double perception_factor, double aid_factor) {
  if (!p.enabled) return 0.0;
  return p.scale * p.base_per_day[n][d] * std::exp(push_exponent(p, push, n, date)) * perception_factor * aid_factor *
         std::max(0.0, seasonality(p, date)) * p.mobility.at(date);
}

double mean_party_size(const Departures::Params& p, Demographic d) {
  if (d != kFamily) return 1.0;
  double w = 0, s = 0;
  for (int k = 0; k < 5; ++k) {
    w += p.family_size_weights[k];
    s += p.family_size_weights[k] * (k + 2);
  }
  return s / w;
}

int draw_party_size(const Departures::Params& p, Demographic d, double u) {
  if (d != kFamily) return 1;
  double total = 0;
  for (double w : p.family_size_weights) total += w;
  double acc = 0;
  for (int k = 0; k < 5; ++k) {
    acc += p.family_size_weights[k] / total;
    if (u < acc) return k + 2;
  }
  return 6;
}

}  // namespace corridor::cm
