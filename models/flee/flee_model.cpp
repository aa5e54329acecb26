#include "models/flee/flee_model.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "models/flee/inputs.hpp"
#include "models/flee/load_case.hpp"
#include "models/flee/scores.hpp"
#include "sim/rng.hpp"

namespace corridor::flee {

FleeModel::FleeModel(const Scenario& sc, const ScenarioDoc& doc, const Network& net)
    : FleeModel(load_case(sc, doc), net, sc.calendar) {}

FleeModel::FleeModel(FleeCase c, const Network& net, const Calendar& cal)
    : case_(std::move(c)), net_(net), cal_(cal), conflicts_(case_), closures_(case_, net_) {
  init();
}

void FleeModel::init() {
  const std::size_t n = case_.locations.size();
  if (net_.node_count() != n || net_.edge_count() != case_.links.size())
    throw std::logic_error("flee: the network was not built from this case");
  const FleeSettings& s = case_.settings;
  foreign_.assign(n, 0);
  marker_.assign(n, 0);
  capacity_.assign(n, 0.0);
  population_.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const Location& l = case_.locations[i];
    // docs/flee-rules.md: foreign = another country than the first row of locations.csv.
    foreign_[i] = l.country != case_.locations[0].country;
    marker_[i] = l.type == LocationType::kMarker;
    if (l.type == LocationType::kCamp || l.type == LocationType::kIdpCamp) capacity_[i] = l.population;
    population_[i] = l.population;
  }
  arc_speed_.resize(net_.arc_count());
  for (std::uint32_t a = 0; a < net_.arc_count(); ++a) {
    const double own = case_.links[net_.arc(a).edge].max_move_speed;
    arc_speed_[a] = own > 0 ? own : s.max_move_speed;
  }
  paths_ = PathSet::enumerate(net_, marker_, s.awareness_level);
  if (case_.validation) spawner_.emplace(*case_.validation, s);
  move_thr_.assign(n, 0);
  drop_plan_.assign(n, 0);
  score_.assign(n, 1.0);
  cap_factor_.assign(n, 1.0);
  occ_start_.assign(n, 0);
  occ_end_.assign(n, 0);
  table_.start = cal_.start;
  if (case_.validation)
    for (std::uint32_t loc : case_.validation->camps) table_.camps.push_back(case_.locations[loc].name);
}

void FleeModel::declare(ModelSetup& setup, AgentStore& store) {
  Dimension location{"location", {}};
  for (const auto& l : case_.locations) location.labels.push_back(l.name);
  Dimension camp{"camp", table_.camps};
  occupancy_ = setup.series.add({"occupancy", "agents", "agents at each location at the end of the day", {location}});
  transit_ = setup.series.add({"in_transit", "agents", "agents on a link at the end of the day", {}});
  spawned_ = setup.series.add(
      {"spawned", "agents", "agents created that day (day 0: with the camps' day-0 counts)", {}});
  if (spawner_) {
    debt_ = setup.series.add({"refugee_debt", "agents", "Flee's refugee debt after the day's spawning", {}});
    camp_data_ = setup.series.add(
        {"camp_data", "agents", "UNHCR count of each camp (interpolated, corrected, divided by hasten)", {camp}});
  }
  closed_arcs_ = setup.series.add({"closed_links", "links", "directed links closed that day", {}});
  move_out_.edge_flows.declare(setup.series, net_, "agents");
  ev_spawn_ = setup.add_event_kind("spawn");
  move_out_.ev_depart = setup.add_event_kind("depart");
  move_out_.ev_arrive = setup.add_event_kind("arrive");
  move_out_.ev_return = setup.add_event_kind("return");
  move_out_.occupancy = occupancy_;
  move_out_.transit = transit_;
  setup.add_state("at_location");
  setup.add_state("travelling");
  home_ = store.add_column<std::uint32_t>("home");
  spawn_day_ = store.add_column<std::int32_t>("spawn_day");
  links_ = store.add_column<std::uint16_t>("links");
  arc_ = store.add_column<std::uint32_t>("arc", false);
  path_ = store.add_column<std::uint32_t>("path", false);
  link_km_ = store.add_column<float>("link_km", false);
  hop_ = store.add_column<std::uint8_t>("hop", false);
}

std::size_t FleeModel::add_agents(AgentStore& store, std::size_t n, int day) {
  const std::size_t first = store.append(n);
  std::uint32_t* arc = store.data(arc_);
  std::uint32_t* path = store.data(path_);
  std::int32_t* spawn_day = store.data(spawn_day_);
  for (std::size_t i = first; i < store.size(); ++i) {
    arc[i] = kNone;
    path[i] = kNone;
    spawn_day[i] = day;
  }
  return first;
}

void FleeModel::spawn(const DayContext& ctx, AgentStore& store, ThreadSink& sink) {
  const int day = ctx.day;
  auto place = [&](std::size_t first, std::uint32_t loc) {
    std::uint32_t* node = store.nodes();
    std::uint32_t* home = store.data(home_);
    for (std::size_t i = first; i < store.size(); ++i) {
      node[i] = home[i] = loc;
      ++occ_start_[loc];
      sink.events.add(day, ev_spawn_, loc, store.ids()[i]);
    }
  };
  if (day == 0) {
    for (const auto& [loc, count] : case_.initial_agents) {
      place(add_agents(store, count, day), loc);
      spawned_today_ += static_cast<std::int64_t>(count);
    }
    if (spawner_ && case_.settings.insert_day0) {
      const ValidationData& v = *case_.validation;
      for (std::size_t k = 0; k < v.camps.size(); ++k) {
        const std::int64_t count = v.series[k].at(0);
        if (count > 0) place(add_agents(store, static_cast<std::size_t>(count), day), v.camps[k]);
        spawned_today_ += std::max<std::int64_t>(count, 0);
      }
    }
  }
  if (!spawner_) return;
  // Weights of the day: population x intensity x decay over the conflict zones.
  const std::size_t n = case_.locations.size();
  std::vector<double> cum(n);
  double total = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (conflicts_.in_conflict(i)) total += population_[i] * conflicts_.intensity(i) * conflicts_.decay(i, day);
    cum[i] = total;
  }
  const std::int64_t new_agents = spawner_->advance(day, total > 0);
  if (new_agents <= 0) return;
  const std::size_t first = add_agents(store, static_cast<std::size_t>(new_agents), day);
  std::uint32_t* node = store.nodes();
  std::uint32_t* home = store.data(home_);
  const std::uint64_t* id = store.ids();
  for (std::size_t i = first; i < store.size(); ++i) {
    RandomStream rng(ctx.seed, id[i], static_cast<std::uint32_t>(day), kSpawnPurpose);
    const std::uint32_t loc = pick_spawn_location(cum, rng.uniform());
    node[i] = home[i] = loc;
    ++occ_start_[loc];
    sink.events.add(day, ev_spawn_, loc, id[i]);
  }
  if (case_.settings.take_from_population)
    for (std::size_t i = first; i < store.size(); ++i) population_[node[i]] = std::max(0.0, population_[node[i]] - 1.0);
  spawned_today_ += new_agents;
}

void FleeModel::rate_locations(int day) {
  const FleeSettings& s = case_.settings;
  for (std::uint32_t i = 0; i < case_.locations.size(); ++i) {
    const bool conflict = conflicts_.in_conflict(i);
    const LocationType eff = effective_type(case_.locations[i].type, conflict, closures_.camp_closed(i));
    const double p = move_chance(eff, s);
    const bool camp_like = counts_as_camp(eff, p);
    const bool has_capacity = eff == LocationType::kCamp || eff == LocationType::kIdpCamp;
    move_thr_[i] = move_threshold(p);
    cap_factor_[i] = has_capacity ? capacity_factor(capacity_[i], static_cast<double>(occ_start_[i]), s) : 1.0;
    score_[i] = location_score(s, foreign_[i], camp_like, conflict, conflicts_.intensity(i), conflicts_.decay(i, day));
    drop_plan_[i] = camp_like && cap_factor_[i] < 0.5;
  }
  routes_.compute(paths_, score_, cap_factor_, closures_.closed_arcs(), s);
}

void FleeModel::begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink) {
  // docs/flee-rules.md "Time and order of a day": (1) conflicts, (2) spawning, (3) closures,
  // (4) scores; occupancies are yesterday's plus today's new agents.
  conflicts_.advance_to(ctx.day);
  occ_start_ = occ_end_;
  spawned_today_ = 0;
  spawn(ctx, store, sink);
  closures_.apply(ctx.day);
  rate_locations(ctx.day);
}

void FleeModel::step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end,
                     ThreadSink& sink) const {
  const AgentColumns cols{store.ids(),          store.nodes(),         store.states(),         store.data(arc_),
                          store.data(link_km_), store.data(path_),     store.data(hop_),       store.data(links_)};
  const MoveWorld world{&paths_,
                        &routes_,
                        move_thr_.data(),
                        drop_plan_.data(),
                        closures_.closed_arcs().data(),
                        &net_.arc(0),
                        arc_speed_.data(),
                        case_.settings.max_walk_speed,
                        case_.settings.start_on_foot};
  move_agents(world, cols, begin, end, ctx.seed, ctx.day, move_out_, sink);
}

void FleeModel::end_day(const DayContext& ctx, AgentStore& store, Tally& totals) {
  for (std::uint32_t i = 0; i < occ_end_.size(); ++i) occ_end_[i] = totals[occupancy_.at(i)];
  totals[spawned_.offset] = spawned_today_;
  totals[closed_arcs_.offset] = static_cast<std::int64_t>(closures_.closed_arc_count());
  if (!spawner_) return;
  totals[debt_.offset] = spawner_->debt();
  const ValidationData& v = *case_.validation;
  for (std::size_t k = 0; k < v.camps.size(); ++k) {
    const std::int64_t data = v.series[k].at(ctx.day);
    totals[camp_data_.at(k)] = data;
    table_.sim.push_back(occ_end_[v.camps[k]]);
    table_.data.push_back(data);
  }
  table_.total_agents.push_back(static_cast<std::int64_t>(store.size()));
  table_.raw_count.push_back(spawner_->count(ctx.day));
  table_.debt.push_back(spawner_->debt());
}

ArdSummary FleeModel::ard() const { return averaged_relative_difference(table_.sim, table_.data, table_.camps.size()); }

std::filesystem::path FleeModel::out_csv_path(const std::filesystem::path& h5) {
  std::filesystem::path p = h5;
  if (p.extension() == ".h5") p.replace_extension();
  p += ".out.csv";
  return p;
}

void FleeModel::after_run(const RunOutput& out) {
  if (!case_.validation) return;
  const auto file = out_csv_path(out.path());
  write_out_csv(file, table_);
  const ArdSummary a = ard();
  std::fprintf(stderr, "flee: ARD %.4f (rescaled %.4f) over %zu days; out.csv: %s\n", a.mean_plain, a.mean_rescaled,
               table_.days(), file.string().c_str());
}

std::vector<std::string> FleeModel::describe() const {
  const FleeSettings& s = case_.settings;
  std::size_t camps = 0, conflict = 0;
  for (const auto& l : case_.locations) {
    camps += l.type == LocationType::kCamp || l.type == LocationType::kIdpCamp;
    conflict += l.type == LocationType::kConflictZone;
  }
  std::vector<std::string> lines;
  lines.push_back(fmt::format("flee: {} locations ({} camps, {} conflict zones), {} routes, from {}",
                              case_.locations.size(), camps, conflict, case_.links.size(),
                              case_.source.empty() ? "memory" : case_.source));
  lines.push_back(fmt::format("flee: awareness level {} gives {} candidate paths; conflicts.csv {} rows; {} closures",
                              s.awareness_level, paths_.size(), case_.conflicts.days.size(), case_.closures.size()));
  if (spawner_) {
    lines.push_back(fmt::format("flee: {} camps with UNHCR data, {} on day 0; insert_day0 {}; hasten {}",
                                case_.validation->camps.size(), spawner_->count(0), s.insert_day0 ? "on" : "off",
                                s.hasten));
    if (!case_.validation->uncompared.empty())
      lines.push_back(fmt::format("flee: {} more names of data_layout.csv add to the arrivals, not compared: {}",
                                  case_.validation->uncompared.size(),
                                  fmt::join(case_.validation->uncompared_names, ", ")));
  }
  lines.push_back(fmt::format("flee: max_move_speed {} km/day, conflict_weight {}, camp_weight {}, foreign_weight {}",
                              s.max_move_speed, s.conflict_weight, s.camp_weight, s.foreign_weight));
  return lines;
}

}  // namespace corridor::flee
