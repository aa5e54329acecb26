// The corridor model's frame (docs/model.md §1.3): the modules in the order they act on a day.
#include "models/corridor/corridor_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/corridor/event_kinds.hpp"

namespace corridor::cm {

namespace {
Section corridor_section(const ScenarioDoc& doc) { return doc.root().section("corridor"); }
}  // namespace

void Parameters::declare(Declarer& d, Parameters& p) {
  Departures::Params::declare(d, p.departures);
  Perception::Params::declare(d, p.perception);
  RouteChoice::Params::declare(d, p.route_choice);
  Travel::Params::declare(d, p.travel);
  Smuggling::Params::declare(d, p.smuggling);
  MexicanEnforcement::Params::declare(d, p.mexico);
  UsBorder::Params::declare(d, p.us);
  Aid::Params::declare(d, p.aid);
  Closures::Params::declare(d, p.closures);
  Retries::Params::declare(d, p.retries);
  EnforcementSections::Params::declare(d, p.sections);
  TripNews::Params::declare(d, p.news);
  Diaspora::Params::declare(d, p.diaspora);
  Households::Params::declare(d, p.households);
}

CorridorModel::CorridorModel(const Scenario& sc, const ScenarioDoc& doc, const Network& net)
    : p_(Parameters::read(corridor_section(doc))),
      push_(PushIndicators::read(corridor_section(doc).file("push_factors_table"))),
      roles_(net, sc.network.nodes, corridor_section(doc), p_.departures.origins, p_.mexico.asylum_node),
      aid_(p_.aid, push_),
      news_(p_.news),
      perception_(p_.perception, &news_),
      smuggling_(p_.smuggling),
      closures_(p_.closures, roles_),
      retries_(p_.retries),
      diaspora_(p_.diaspora, p_.departures.scale),
      households_(p_.households, perception_, p_.departures.base_per_day, mean_party_size(p_.departures, kFamily)),
      route_choice_(p_.route_choice, net, roles_, smuggling_, corridor_section(doc)),
      sections_(p_.sections, roles_, route_choice_, smuggling_),
      departures_(p_.departures, push_, roles_, route_choice_, smuggling_, perception_, aid_, closures_, news_,
                  diaspora_, households_),
      mexico_(p_.mexico, roles_, smuggling_, departures_, sections_, news_),
      travel_(p_.travel, net, route_choice_, smuggling_, mexico_),
      us_border_(p_.us, roles_, smuggling_, departures_, closures_, retries_, news_),
      outlook_(departures_.foresee(sc.calendar, doc.file())) {}

MemoryNeed CorridorModel::memory_need() const {
  MemoryNeed need;
  // Parties that finish leave the store (the engine compacts them), so the peak is lower; the
  // parties a run starts bound it from above (perception held at its initial value).
  need.peak_agents = static_cast<std::uint64_t>(std::ceil(outlook_.parties));
  // Route tables, logit tables and the perception's report window: small next to the parties.
  need.model_bytes = route_choice_.route_count() * 512 + roles_.network().node_count() * 256;
  need.basis = fmt::format("corridor: about {} parties set out over the run (departures foreseen day by day, "
                           "perception at its initial value), held as if none finished",
                           need.peak_agents);
  return need;
}

void CorridorModel::declare(ModelSetup& setup, AgentStore& store) {
  // Series, in the order result files have always had them; a new module's come last.
  auto& S = setup.series;
  departures_.declare_series(S);
  occupancy_ = S.add({"occupancy", "people", "people of active parties at each node at the end of the day",
                      {roles_.node_dim()}});
  mexico_.declare_series(S);
  us_border_.declare_series(S);
  travel_.declare_series(S);
  perception_.declare_series(S);
  smuggling_.declare_series(S);
  travel_.declare_edge_flows(S);
  closures_.declare_series(S);
  retries_.declare_series(S);
  sections_.declare_series(S);
  news_.declare_series(S);  // only with the news switched on
  diaspora_.declare_series(S);
  households_.declare_series(S);  // only with who-travels switched on
  // Event kinds and states: their numbers are the enums' (event_kinds.hpp, states.hpp).
  for (const EventKindInfo& k : kEventKinds)
    if (setup.add_event_kind(std::string(k.name)) != k.kind)
      throw std::logic_error("corridor: event kinds must be declared before any other");
  for (const StateInfo& s : kStates)
    if (setup.add_state(std::string(s.name), s.final) != s.state)
      throw std::logic_error("corridor: states must be declared before any other");
  PartyColumns::Limits limits{p_.departures.origins.size(), route_choice_.route_count(), 0};
  for (std::uint32_t r = 0; r < route_choice_.route_count(); ++r)
    limits.max_hops = std::max(limits.max_hops, route_choice_.route_nodes(r).size() - 1);
  columns_.declare(store, limits);
}

void CorridorModel::begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink) {
  // Today's tables: every party reads them, none writes them. Route choice weighs today's
  // interception risk; departures draw their routes from today's route choice and scale by
  // today's perception (announcements included) and aid.
  closures_.begin_day(ctx.date);
  mexico_.begin_day(ctx.date);
  sections_.begin_day(ctx.date);
  if (sections_.enabled())  // v2: the route's risk is its sections' (§3.13)
    route_choice_.begin_day_with_risk(
        [this](std::uint32_t r, int d, bool smuggled) { return sections_.route_risk(r, d, smuggled); });
  else
    route_choice_.begin_day([this](std::uint32_t node, int d) { return mexico_.probability(node, d); });
  us_border_.begin_day(ctx.date);
  perception_.announce(ctx.date);
  aid_.begin_day(ctx.date);
  departures_.begin_day(ctx, store, columns_, sink);
}

void CorridorModel::act(const DayContext& ctx, const Party& p, RandomStream& rng, ThreadSink& sink) const {
  // Closures hold a party that would move on from a stop, leave home again or try to cross
  // (no draw while they are off); a party that has just set out is not held at its start.
  switch (p.state()) {
    case kTravelling:
      if (p.hop() > 0 && p.progress() == 0 && closures_.hold_en_route(ctx, p, rng, sink)) break;
      travel_.move(ctx, p, rng, sink);
      break;
    case kDetainedMexico: mexico_.release(ctx, p, rng, sink); break;
    case kAsylumMexico:  // a trip started today is travelled today
      if (mexico_.asylum_ends(ctx, p, rng, sink)) travel_.move(ctx, p, rng, sink);
      break;
    case kHome:
      if (closures_.hold_at_home(ctx, p, rng, sink)) break;
      departures_.leave_home(ctx, p, rng, sink);
      travel_.move(ctx, p, rng, sink);
      break;
    case kAtBorder:
      if (closures_.hold_en_route(ctx, p, rng, sink)) break;
      us_border_.attempt_crossing(ctx, p, rng, sink);
      break;
    case kRemainInMexico: us_border_.hearing(ctx, p, rng, sink); break;
    case kUsCustody: us_border_.custody_ends(ctx, p, rng, sink); break;
    default: break;  // final states do not act
  }
}

void CorridorModel::step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end,
                         ThreadSink& sink) const {
  const PartyRows rows(store, columns_);
  std::int64_t* occupancy = sink.tally.data() + occupancy_.offset;
  std::int64_t* waiting = us_border_.waiting_cells(sink);
  for (std::size_t i = begin; i < end; ++i) {
    if (is_final_state(rows.state[i])) continue;
    if (rows.wait_until[i] <= ctx.day) {
      const Party p(rows, i, roles_.nationality(rows.origin[i]));
      RandomStream rng(ctx.seed, p.id, static_cast<std::uint32_t>(ctx.day), kPurposeDay);
      act(ctx, p, rng, sink);
    }
    if (is_final_state(rows.state[i])) continue;
    occupancy[rows.node[i]] += rows.size[i];
    us_border_.count_waiting(waiting, rows.node[i], rows.state[i], rows.size[i]);
  }
}

void CorridorModel::end_day(const DayContext& ctx, AgentStore&, Tally& totals) {
  // Returnees' reports: who was encountered today, and who got in (and joins the diaspora);
  // or (v2, switched on) the news of trips that ended news.delay_days ago, which the
  // perception then reads.
  news_.end_day(ctx, totals);
  const Perception::Reports reports = us_border_.reports(totals);
  perception_.end_day(ctx.date, reports, totals);
  diaspora_.end_day(reports.let_in, totals);
  households_.end_day(totals);
}

std::vector<std::string> CorridorModel::describe() const {
  std::vector<std::string> out;
  out.push_back(fmt::format("corridor: {} origins, {} border cities, {} sectors, {} candidate routes (k={})",
                            roles_.origin_count(), roles_.border_cities().size(), roles_.sector_count(),
                            route_choice_.route_count(), p_.route_choice.k));
  double total = 0;
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d) total += p_.departures.base_per_day[n][d];
  out.push_back(fmt::format("departures at reference conditions: {:.0f} people/day", total));
  out.push_back(fmt::format(
      "mechanisms: departures {}, perception {}, Mexican enforcement {}, Title 42 {}, MPP {}, aid {} ({:.3g} USD)",
      p_.departures.enabled ? "on" : "off", p_.perception.enabled ? "on" : "off",
      p_.mexico.policy.enabled ? "on" : "off", p_.us.title42.enabled ? "on" : "off",
      p_.us.mpp.enabled ? "on" : "off", p_.aid.enabled ? "on" : "off", p_.aid.amount_usd));
  out.push_back(fmt::format(
      "model v2 mechanisms: closures {}, retries wearing out {}, Mexican enforcement by section {}, trip news {}, "
      "diaspora {}, who travels {}",
      p_.closures.enabled ? "on" : "off", p_.retries.enabled ? "on" : "off", p_.sections.enabled ? "on" : "off",
      p_.news.enabled ? "on" : "off", p_.diaspora.enabled ? "on" : "off", p_.households.enabled ? "on" : "off"));
  return out;
}

}  // namespace corridor::cm
