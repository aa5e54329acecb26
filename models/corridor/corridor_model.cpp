// The corridor model's frame (docs/model.md §1.2, §1.3, §2.9, §3.1): network roles, the
// series, events, states and columns it declares, the day's tables, departures (§3.3) and
// the order in which a party's state is acted on.
#include "models/corridor/corridor_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/corridor/aid.hpp"
#include "models/corridor/departures.hpp"
#include "sim/error.hpp"

namespace corridor::cm {

namespace {
Dimension nationality_dim() { return {"nationality", {kNationalityLabels.begin(), kNationalityLabels.end()}}; }
Dimension demographic_dim() { return {"demographic", {kDemographicLabels.begin(), kDemographicLabels.end()}}; }
}  // namespace

CorridorModel::CorridorModel(const Scenario& sc, const ScenarioDoc& doc, const Network& net)
    : net_(net), cal_(sc.calendar) {
  const Section sec = doc.root().section("corridor");
  p_ = read_parameters(sec);
  push_ = PushIndicators::read(sec.file("push_factors_table"));

  const std::size_t n = net.node_count();
  border_slot_.assign(n, -1);
  sector_of_node_.assign(n, -1);
  node_role_.assign(n, 0);
  std::vector<char> avoid(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    const NodeInfo& node = net.node(i);
    if (node.kind == "sector") {
      sector_node_.push_back(i);
      sector_labels_.push_back(net.node_extra("sector", i).empty() ? node.id : net.node_extra("sector", i));
    }
    // Routes avoid the US and other border cities (RoutePlanner relaxes the latter only for
    // border cities that cannot be reached otherwise).
    if (node.kind == "border_city" || node.kind == "sector" || node.kind == "destination") avoid[i] = 1;
    if (node.kind == "crossing" && node.country.find("MX") != std::string::npos) node_role_[i] = 1;
    if (node.kind == "transit" && node.country == "MX") node_role_[i] = 2;
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    if (net.node(i).kind != "border_city") continue;
    border_slot_[i] = static_cast<int>(border_cities_.size());
    border_cities_.push_back(i);
    const std::string label = net.node_extra("sector", i);
    auto it = std::find(sector_labels_.begin(), sector_labels_.end(), label);
    if (it == sector_labels_.end())
      throw InputError(fmt::format("{}: border city '{}' names sector '{}', which is no node of kind 'sector'",
                                   sc.network.nodes.string(), net.node(i).id, label));
    sector_of_node_[i] = static_cast<int>(it - sector_labels_.begin());
  }
  if (border_cities_.empty() || sector_node_.empty())
    throw InputError(fmt::format("{}: the corridor model needs nodes of kind 'border_city' and 'sector'",
                                 sc.network.nodes.string()));

  // Start nodes: every origin, plus the asylum node (parties continuing north from Mexico).
  std::vector<std::uint32_t> starts;
  for (std::size_t o = 0; o < p_.origins.size(); ++o) {
    auto id = net.find(p_.origins[o].node);
    if (!id)
      sec.fail(fmt::format("departures.origins.{}.node", o),
               fmt::format("unknown node '{}' (not in the network)", p_.origins[o].node));
    origin_node_.push_back(*id);
    if (std::find(starts.begin(), starts.end(), *id) == starts.end()) starts.push_back(*id);
  }
  if (origin_node_.size() > 250) sec.fail("departures.origins", "at most 250 origins");
  auto asylum = net.find(p_.asylum_node);
  if (!asylum) sec.fail("mexico.asylum_node", fmt::format("unknown node '{}'", p_.asylum_node));
  asylum_node_ = *asylum;
  if (std::find(starts.begin(), starts.end(), asylum_node_) == starts.end()) starts.push_back(asylum_node_);
  planner_ = std::make_unique<RoutePlanner>(net, p_, starts, border_cities_, avoid);
  for (auto o : origin_node_) origin_start_.push_back(planner_->start_slot(o));
  asylum_start_ = planner_->start_slot(asylum_node_);
  for (std::size_t s = 0; s < planner_->start_count(); ++s)
    if (planner_->candidates(s).empty())
      throw InputError(fmt::format("corridor: no route from '{}' to any border city", net.node(starts[s]).id));
  for (const auto& [city, v] : p_.attraction) {
    auto id = net.find(city);
    if (!id || border_slot_[*id] < 0)
      sec.fail("route_choice.attraction." + city, "is not a node of kind 'border_city'");
  }

  arc_speed_.resize(net.arc_count());
  for (std::uint32_t a = 0; a < net.arc_count(); ++a) {
    const std::string& mode = net.edge(net.arc(a).edge).mode;
    arc_speed_[a] = static_cast<float>(mode == "foot" ? p_.speed_foot : mode == "train" ? p_.speed_train : p_.speed_road);
  }
  stop_mean_.assign(n, p_.stop_days_transit);
  for (std::uint32_t i = 0; i < n; ++i)
    if (net.node(i).kind == "crossing") stop_mean_[i] = p_.stop_days_crossing;
  perception_ = std::make_unique<Perception>(p_);
  fee_usd_ = std::llround(p_.smuggler_fee_usd);
  intercept_.assign(n * kDemographics, 0.0);
}

void CorridorModel::declare(ModelSetup& setup, AgentStore& store) {
  Dimension origin{"origin", {}};
  for (std::size_t o = 0; o < p_.origins.size(); ++o) origin.labels.push_back(p_.origins[o].node);
  Dimension node{"node", {}};
  for (const auto& nd : net_.nodes()) node.labels.push_back(nd.id);
  Dimension sector{"sector", sector_labels_};
  Dimension city{"border_city", {}};
  for (auto b : border_cities_) city.labels.push_back(net_.node(b).id);
  const Dimension nat = nationality_dim(), demo = demographic_dim();
  const Dimension title{"title", {kTitleLabels.begin(), kTitleLabels.end()}};
  const Dimension comp{"component", {kComponentLabels.begin(), kComponentLabels.end()}};
  auto& S = setup.series;
  s_departures_ = S.add({"departures", "people", "people leaving their origin for the first time", {origin, demo}});
  s_redepartures_ = S.add({"redepartures", "people", "people setting out again (after a return, or from asylum in Mexico)", {nat, demo}});
  s_occupancy_ = S.add({"occupancy", "people", "people of active parties at each node at the end of the day", {node}});
  s_mx_apprehensions_ = S.add({"mx_apprehensions", "people", "people intercepted by Mexican authorities", {nat, demo}});
  s_mx_returns_ = S.add({"mx_returns", "people", "people returned from Mexico to their origin", {nat, demo}});
  s_mx_asylum_ = S.add({"mx_asylum", "people", "intercepted people who seek asylum in Mexico", {nat, demo}});
  s_encounters_ = S.add({"encounters", "people", "US southwest border encounters (events, in people)", {sector, nat, demo, title, comp}});
  s_expulsions_ = S.add({"expulsions", "people", "Title 42 expulsions to Mexico", {nat, demo}});
  s_removals_ = S.add({"removals", "people", "Title 8 removals to the origin", {nat, demo}});
  s_releases_ = S.add({"releases", "people", "people released into the US (children: to care, then sponsors)", {nat, demo}});
  s_mpp_ = S.add({"mpp_returns", "people", "people returned to Mexico under Remain in Mexico", {nat, demo}});
  s_repeat_ = S.add({"repeat_encounters", "people", "encounters of people encountered within the repeat window", {nat, demo}});
  s_unique_ = S.add({"unique_encountered", "people", "people encountered for the first time", {nat, demo}});
  s_undetected_ = S.add({"undetected_entries", "people", "people who crossed without being encountered", {nat, demo}});
  s_waiting_ = S.add({"waiting_at_border", "people", "people waiting in each northern border city (to cross, expelled, or under MPP)", {city}});
  s_border_arrivals_ = S.add({"border_arrivals", "people", "people reaching a northern border city at the end of a trip", {nat}});
  s_transit_days_ = S.add({"transit_days", "person-days", "sum over border_arrivals of the days their trip took (mean = transit_days / border_arrivals)", {nat}});
  s_perceived_ = S.add({"perceived_openness", "ppm", "perceived openness of the US at origin, parts per million", {nat, demo}});
  s_fees_ = S.add({"smuggling_fees", "USD", "smugglers' fees paid: travel.smuggler_fee_usd per person of a smuggled party setting off on a trip or deciding to retry a crossing (after an expulsion, or from MPP)", {nat}});
  // Event kinds and states: their numbers are the enums' (event_kinds.hpp, states.hpp).
  for (const EventKindInfo& k : kEventKinds)
    if (setup.add_event_kind(std::string(k.name)) != k.kind)
      throw std::logic_error("corridor: event kinds must be declared before any other");
  for (const StateInfo& s : kStates)
    if (setup.add_state(std::string(s.name), s.final) != s.state)
      throw std::logic_error("corridor: states must be declared before any other");
  c_origin_ = store.add_column<std::uint8_t>("origin");
  c_demo_ = store.add_column<std::uint8_t>("demographic");
  c_size_ = store.add_column<std::uint8_t>("party_size");
  c_flags_ = store.add_column<std::uint8_t>("smuggler");
  c_route_ = store.add_column<std::uint32_t>("route");
  c_hop_ = store.add_column<std::uint8_t>("hop", false);
  c_progress_ = store.add_column<float>("progress_km", false);
  c_wait_until_ = store.add_column<std::int32_t>("wait_until", false);
  c_trip_start_ = store.add_column<std::int32_t>("trip_start", false);
  c_departure_day_ = store.add_column<std::int32_t>("departure_day");
  c_us_attempts_ = store.add_column<std::uint8_t>("us_attempts");
  c_mx_interceptions_ = store.add_column<std::uint8_t>("mx_interceptions");
  c_encounters_ = store.add_column<std::uint8_t>("encounters");
  c_last_encounter_ = store.add_column<std::int32_t>("last_encounter_day");
  c_final_day_ = store.add_column<std::int32_t>("final_day");
}

bool CorridorModel::mpp_in_force(Date d) const {
  if (!p_.mpp_on) return false;
  for (const auto& [a, b] : p_.mpp_periods)
    if (!(d < a) && d < b) return true;
  return false;
}

void CorridorModel::begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink) {
  // Today's policy tables: every party reads them, none writes them.
  for (std::uint32_t i = 0; i < net_.node_count(); ++i)
    for (int d = 0; d < kDemographics; ++d) {
      double p = 0;
      if (p_.mexico_on && node_role_[i] == 1) p = p_.intercept_crossing[d].at(ctx.date);
      if (p_.mexico_on && node_role_[i] == 2) p = p_.intercept_checkpoint[d].at(ctx.date);
      intercept_[i * kDemographics + d] = p;
    }
  planner_->update([&](std::uint32_t node, int d) { return intercept_[node * kDemographics + d]; });
  encounter_p_ = p_.encounter_probability.at(ctx.date);
  title42_today_ = title42_in_force(ctx.date);
  mpp_today_ = mpp_in_force(ctx.date);
  for (int d = 0; d < kDemographics; ++d) expel_today_[d] = p_.expel_share[d].at(ctx.date);
  perception_->announce(ctx.date);
  spawn(ctx, store, sink);
}

void CorridorModel::spawn(const DayContext& ctx, AgentStore& store, ThreadSink& sink) {
  // Total share per nationality, to split its departures over its origins.
  std::array<double, kNationalities> share_sum{};
  for (const auto& o : p_.origins) share_sum[o.nationality] += o.share;
  for (std::size_t o = 0; o < p_.origins.size(); ++o) {
    const OriginSpec& spec = p_.origins[o];
    if (share_sum[spec.nationality] <= 0) continue;
    for (int di = 0; di < kDemographics; ++di) {
      const auto d = static_cast<Demographic>(di);
      const double people = expected_departures(p_, push_, spec.nationality, d, ctx.date,
                                                perception_->departure_factor(spec.nationality, d),
                                                aid_factor(p_, push_, spec.nationality, ctx.date)) *
                            spec.share / share_sum[spec.nationality];
      RandomStream count_rng(ctx.seed, kDepartureStreamBase + o * kDemographics + di, static_cast<std::uint32_t>(ctx.day),
                             kPurposeDepartureCount);
      const std::uint64_t parties = count_rng.poisson(people / mean_party_size(p_, d));
      if (parties == 0) continue;
      const std::size_t first = store.append(parties);
      for (std::size_t i = first; i < store.size(); ++i) {
        Row r = row(store, i);
        RandomStream rng(ctx.seed, r.id, static_cast<std::uint32_t>(ctx.day), kPurposeSpawn);
        store.data(c_origin_)[i] = static_cast<std::uint8_t>(o);
        store.data(c_demo_)[i] = static_cast<std::uint8_t>(d);
        store.data(c_size_)[i] = static_cast<std::uint8_t>(draw_party_size(p_, d, rng.uniform()));
        store.data(c_flags_)[i] = rng.bernoulli(p_.smuggler_share[d]) ? kFlagSmuggler : 0;
        store.data(c_departure_day_)[i] = ctx.day;
        store.data(c_last_encounter_)[i] = -1;
        store.data(c_final_day_)[i] = -1;
        r = row(store, i);
        sink.tally.add(s_departures_.at(o, static_cast<std::size_t>(d)), r.size);
        start_trip(ctx, r, origin_node_[o], rng, sink);
      }
    }
  }
}

CorridorModel::Row CorridorModel::row(AgentStore& s, std::size_t i) const {
  Row r;
  r.id = s.ids()[i];
  r.node = s.nodes() + i;
  r.state = s.states() + i;
  r.origin = s.data(c_origin_)[i];
  r.demo = s.data(c_demo_)[i];
  r.size = s.data(c_size_)[i];
  r.flags = s.data(c_flags_)[i];
  r.route = s.data(c_route_) + i;
  r.hop = s.data(c_hop_) + i;
  r.progress = s.data(c_progress_) + i;
  r.wait_until = s.data(c_wait_until_) + i;
  r.trip_start = s.data(c_trip_start_) + i;
  r.us_attempts = s.data(c_us_attempts_) + i;
  r.mx_interceptions = s.data(c_mx_interceptions_) + i;
  r.encounters = s.data(c_encounters_) + i;
  r.last_encounter = s.data(c_last_encounter_) + i;
  r.final_day = s.data(c_final_day_) + i;
  r.nationality = r.origin < p_.origins.size() ? p_.origins[r.origin].nationality : kMexico;
  return r;
}

void CorridorModel::step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end,
                         ThreadSink& sink) const {
  const std::uint8_t* state = store.states();
  const std::int32_t* wait = store.data(c_wait_until_);
  const std::uint8_t* size = store.data(c_size_);
  const std::uint32_t* node = store.nodes();
  std::int64_t* occ = sink.tally.data() + s_occupancy_.offset;
  std::int64_t* waiting = sink.tally.data() + s_waiting_.offset;
  for (std::size_t i = begin; i < end; ++i) {
    if (is_final_state(state[i])) continue;
    if (wait[i] <= ctx.day) {
      Row r = row(store, i);
      RandomStream rng(ctx.seed, r.id, static_cast<std::uint32_t>(ctx.day), kPurposeDay);
      switch (*r.state) {
        case kTravelling: travel(ctx, r, rng, sink); break;
        case kDetainedMexico: mexico_release(ctx, r, rng, sink); break;
        case kAsylumMexico:
          if (rng.bernoulli(p_.mx_continue_share)) {
            sink.tally.add(s_redepartures_.at(r.nationality, r.demo), r.size);
            start_trip(ctx, r, asylum_node_, rng, sink);
            travel(ctx, r, rng, sink);
          } else {
            finish(ctx, r, kSettledMexico, sink);
          }
          break;
        case kHome:
          sink.tally.add(s_redepartures_.at(r.nationality, r.demo), r.size);
          start_trip(ctx, r, origin_node_[r.origin], rng, sink);
          travel(ctx, r, rng, sink);
          break;
        case kAtBorder: attempt_crossing(ctx, r, rng, sink); break;
        case kRemainInMexico: hearing(ctx, r, rng, sink); break;
        case kUsCustody: custody_ends(ctx, r, rng, sink); break;
        default: break;
      }
    }
    if (is_final_state(state[i])) continue;
    occ[node[i]] += size[i];
    const int slot = border_slot_[node[i]];
    if (slot >= 0 && (state[i] == kAtBorder || state[i] == kRemainInMexico)) waiting[slot] += size[i];
  }
}

void CorridorModel::end_day(const DayContext& ctx, AgentStore&, Tally& totals) {
  // Returnees' reports: who was encountered today, and who got in.
  std::array<std::array<double, kDemographics>, kNationalities> enc{}, in{};
  for (std::size_t s = 0; s < sector_labels_.size(); ++s)
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
  perception_->report(ctx.date, enc, in);
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d)
      totals[s_perceived_.at(n, d)] = std::llround(1e6 * perception_->openness(static_cast<Nationality>(n),
                                                                              static_cast<Demographic>(d)));
}

void CorridorModel::start_trip(const DayContext& ctx, Row& r, std::uint32_t from_node, RandomStream& rng,
                               ThreadSink& sink) const {
  const int start = from_node == asylum_node_ && r.nationality != kMexico ? asylum_start_ : planner_->start_slot(from_node);
  *r.route = planner_->draw(static_cast<std::size_t>(start), r.demo, r.flags & kFlagSmuggler, r.nationality == kMexico,
                            rng.uniform());
  *r.hop = 0;
  *r.progress = 0;
  *r.node = from_node;
  *r.state = kTravelling;
  *r.wait_until = ctx.day;
  *r.trip_start = ctx.day;
  sink.events.add(ctx.day, kEventDeparture, from_node, r.id, r.size);
  pay_smuggler(r, sink);
}

void CorridorModel::pay_smuggler(const Row& r, ThreadSink& sink) const {
  if (r.flags & kFlagSmuggler) sink.tally.add(s_fees_.at(r.nationality), fee_usd_ * r.size);
}

void CorridorModel::go_home_or_retry(const DayContext& ctx, Row& r, double retry_share, double delay_days,
                                     RandomStream& rng, ThreadSink& sink) const {
  *r.node = origin_node_[r.origin];
  if (rng.bernoulli(retry_share)) {
    *r.state = kHome;
    *r.wait_until = ctx.day + 1 + geometric_days(delay_days, rng);
  } else {
    sink.events.add(ctx.day, kEventGiveUp, *r.node, r.id, r.size);
    finish(ctx, r, kStayedHome, sink);
  }
}

void CorridorModel::finish(const DayContext& ctx, Row& r, State s, ThreadSink& sink) const {
  *r.state = s;
  *r.final_day = ctx.day;
  ++sink.finished;
}

std::int32_t CorridorModel::geometric_days(double mean, RandomStream& rng) {
  // Geometric on {0, 1, 2, ...} with the given mean: P(k) = (1 - q) q^k, q = mean / (1 + mean).
  if (mean <= 0) return 0;
  const double q = mean / (1.0 + mean);
  const double k = std::floor(std::log(rng.uniform_pos()) / std::log(q));
  return static_cast<std::int32_t>(std::min(k, 36500.0));
}

std::vector<std::string> CorridorModel::describe() const {
  std::vector<std::string> out;
  out.push_back(fmt::format("corridor: {} origins, {} border cities, {} sectors, {} candidate routes (k={})",
                            p_.origins.size(), border_cities_.size(), sector_labels_.size(), planner_->route_count(),
                            p_.routes_k));
  double total = 0;
  for (int n = 0; n < kNationalities; ++n)
    for (int d = 0; d < kDemographics; ++d) total += p_.base_per_day[n][d];
  out.push_back(fmt::format("departures at reference conditions: {:.0f} people/day", total));
  out.push_back(fmt::format("mechanisms: departures {}, perception {}, Mexican enforcement {}, Title 42 {}, MPP {}, aid {} ({:.3g} USD)",
                            p_.departures_on ? "on" : "off", p_.perception_on ? "on" : "off",
                            p_.mexico_on ? "on" : "off", p_.title42_on ? "on" : "off", p_.mpp_on ? "on" : "off",
                            p_.aid_on ? "on" : "off", p_.aid_usd));
  return out;
}

}  // namespace corridor::cm
