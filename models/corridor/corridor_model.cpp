// The corridor model's frame (docs/model.md §1.2, §1.3, §2.9, §3.1): network roles, the
// series, events, states and columns it declares, the day's tables, departures (§3.3) and
// the order in which a party's state is acted on.
#include "models/corridor/corridor_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/error.hpp"

namespace corridor::cm {

namespace {
Section corridor_section(const ScenarioDoc& doc) { return doc.root().section("corridor"); }
}  // namespace

CorridorModel::CorridorModel(const Scenario& sc, const ScenarioDoc& doc, const Network& net)
    : net_(net),
      p_(read_parameters(corridor_section(doc))),
      push_(PushIndicators::read(corridor_section(doc).file("push_factors_table"))),
      roles_(net, sc.network.nodes, corridor_section(doc), p_.departures.origins, p_.mexico.asylum_node),
      aid_(p_.aid, push_),
      perception_(p_.perception),
      smuggling_(p_.smuggling),
      route_choice_(p_.route_choice, net, roles_, smuggling_, corridor_section(doc)),
      departures_(p_.departures, push_, roles_, route_choice_, smuggling_, perception_, aid_),
      mexico_(p_.mexico, roles_, smuggling_, departures_),
      travel_(p_.travel, net, route_choice_, smuggling_, mexico_) {}

void CorridorModel::declare(ModelSetup& setup, AgentStore& store) {
  const Dimension origin = roles_.origin_dim(), node = roles_.node_dim(), sector = roles_.sector_dim(),
                  city = roles_.border_city_dim();
  const Dimension nat = nationality_dim(), demo = demographic_dim(), title = title_dim(), comp = component_dim();
  auto& S = setup.series;
  departures_.declare_series(S);
  s_occupancy_ = S.add({"occupancy", "people", "people of active parties at each node at the end of the day", {node}});
  mexico_.declare_series(S);
  s_encounters_ = S.add({"encounters", "people", "US southwest border encounters (events, in people)", {sector, nat, demo, title, comp}});
  s_expulsions_ = S.add({"expulsions", "people", "Title 42 expulsions to Mexico", {nat, demo}});
  s_removals_ = S.add({"removals", "people", "Title 8 removals to the origin", {nat, demo}});
  s_releases_ = S.add({"releases", "people", "people released into the US (children: to care, then sponsors)", {nat, demo}});
  s_mpp_ = S.add({"mpp_returns", "people", "people returned to Mexico under Remain in Mexico", {nat, demo}});
  s_repeat_ = S.add({"repeat_encounters", "people", "encounters of people encountered within the repeat window", {nat, demo}});
  s_unique_ = S.add({"unique_encountered", "people", "people encountered for the first time", {nat, demo}});
  s_undetected_ = S.add({"undetected_entries", "people", "people who crossed without being encountered", {nat, demo}});
  s_waiting_ = S.add({"waiting_at_border", "people", "people waiting in each northern border city (to cross, expelled, or under MPP)", {city}});
  travel_.declare_series(S);
  perception_.declare_series(S);
  smuggling_.declare_series(S);
  // Event kinds and states: their numbers are the enums' (event_kinds.hpp, states.hpp).
  for (const EventKindInfo& k : kEventKinds)
    if (setup.add_event_kind(std::string(k.name)) != k.kind)
      throw std::logic_error("corridor: event kinds must be declared before any other");
  for (const StateInfo& s : kStates)
    if (setup.add_state(std::string(s.name), s.final) != s.state)
      throw std::logic_error("corridor: states must be declared before any other");
  columns_.declare(store);
}

bool CorridorModel::mpp_in_force(Date d) const {
  if (!p_.mpp_on) return false;
  for (const auto& [a, b] : p_.mpp_periods)
    if (!(d < a) && d < b) return true;
  return false;
}

void CorridorModel::begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink) {
  // Today's policy tables: every party reads them, none writes them.
  mexico_.begin_day(ctx.date);
  route_choice_.begin_day([&](std::uint32_t node, int d) { return mexico_.probability(node, d); });
  encounter_p_ = p_.encounter_probability.at(ctx.date);
  title42_today_ = title42_in_force(ctx.date);
  mpp_today_ = mpp_in_force(ctx.date);
  for (int d = 0; d < kDemographics; ++d) expel_today_[d] = p_.expel_share[d].at(ctx.date);
  perception_.announce(ctx.date);
  aid_.begin_day(ctx.date);
  departures_.begin_day(ctx, store, columns_, sink);
}

void CorridorModel::step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end,
                         ThreadSink& sink) const {
  const PartyRows rows(store, columns_);
  std::int64_t* occ = sink.tally.data() + s_occupancy_.offset;
  std::int64_t* waiting = sink.tally.data() + s_waiting_.offset;
  for (std::size_t i = begin; i < end; ++i) {
    if (is_final_state(rows.state[i])) continue;
    if (rows.wait_until[i] <= ctx.day) {
      const Party p(rows, i, roles_.nationality(rows.origin[i]));
      RandomStream rng(ctx.seed, p.id, static_cast<std::uint32_t>(ctx.day), kPurposeDay);
      switch (p.state()) {
        case kTravelling: travel_.move(ctx, p, rng, sink); break;
        case kDetainedMexico: mexico_.release(ctx, p, rng, sink); break;
        case kAsylumMexico:
          if (mexico_.asylum_ends(ctx, p, rng, sink)) travel_.move(ctx, p, rng, sink);
          break;
        case kHome:
          departures_.leave_home(ctx, p, rng, sink);
          travel_.move(ctx, p, rng, sink);
          break;
        case kAtBorder: attempt_crossing(ctx, p, rng, sink); break;
        case kRemainInMexico: hearing(ctx, p, rng, sink); break;
        case kUsCustody: custody_ends(ctx, p, rng, sink); break;
        default: break;
      }
    }
    if (is_final_state(rows.state[i])) continue;
    occ[rows.node[i]] += rows.size[i];
    const int slot = roles_.border_slot(rows.node[i]);
    if (slot >= 0 && (rows.state[i] == kAtBorder || rows.state[i] == kRemainInMexico)) waiting[slot] += rows.size[i];
  }
}

void CorridorModel::end_day(const DayContext& ctx, AgentStore&, Tally& totals) {
  // Returnees' reports: who was encountered today, and who got in.
  Perception::Cells enc{}, in{};
  for (std::size_t s = 0; s < roles_.sector_count(); ++s)
    for (int n = 0; n < kNationalities; ++n)
      for (int d = 0; d < kDemographics; ++d)
        for (int t = 0; t < 2; ++t)
          for (int c = 0; c < 2; ++c)
            enc[n][d] += static_cast<double>(totals[s_encounters_.at(s, n, d, t, c)]);
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d) {
      in[n][d] = static_cast<double>(totals[s_releases_.at(n, d)] + totals[s_undetected_.at(n, d)]);
      enc[n][d] += static_cast<double>(totals[s_undetected_.at(n, d)]);  // crossers learn too
    }
  perception_.end_day(ctx.date, Perception::Reports{enc, in}, totals);
}

std::vector<std::string> CorridorModel::describe() const {
  std::vector<std::string> out;
  out.push_back(fmt::format("corridor: {} origins, {} border cities, {} sectors, {} candidate routes (k={})",
                            p_.departures.origins.size(), roles_.border_cities().size(), roles_.sector_count(), route_choice_.route_count(),
                            p_.route_choice.k));
  double total = 0;
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d) total += p_.departures.base_per_day[n][d];
  out.push_back(fmt::format("departures at reference conditions: {:.0f} people/day", total));
  out.push_back(fmt::format("mechanisms: departures {}, perception {}, Mexican enforcement {}, Title 42 {}, MPP {}, aid {} ({:.3g} USD)",
                            p_.departures.enabled ? "on" : "off", p_.perception.enabled ? "on" : "off",
                            p_.mexico.policy.enabled ? "on" : "off", p_.title42_on ? "on" : "off", p_.mpp_on ? "on" : "off",
                            p_.aid.enabled ? "on" : "off", p_.aid.amount_usd));
  return out;
}

}  // namespace corridor::cm

namespace corridor::cm {
void CorridorModel::save_state(hid_t group) const { perception_.save(group); }
void CorridorModel::load_state(hid_t group) { perception_.load(group); }
}  // namespace corridor::cm
