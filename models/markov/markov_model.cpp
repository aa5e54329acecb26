#include "models/markov/markov_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <type_traits>

#include "sim/csv.hpp"
#include "sim/parameters.hpp"
#include "sim/rng.hpp"
#include "sim/rng_batch.hpp"

namespace corridor::markov {

namespace {

std::uint32_t node_of(const Section& s, const std::string& key, const Network& net) {
  const std::string id = s.text(key);
  auto n = net.find(id);
  if (!n) s.fail(key, fmt::format("unknown node '{}' (not in the network)", id));
  return *n;
}

/// The keys of the `markov:` section, each declared once: reading a scenario checks them here,
/// and `corridor params markov` lists them (the values are read below, by structure).
void declare(ParameterDeclarer& d) {
  std::string leaf;
  d.custom("initial", "(required)", "list of {node, agents}", "agents placed at day 0, by node", leaf);
  d.custom("transitions_file", "(none)", "CSV from,to,p",
           "constant move probabilities per edge; an inline transition for the same edge replaces the file's", leaf);
  d.custom("transitions", "(none)", "list of {from, to, p}",
           "move probability per day along an edge (p: a number or a schedule); each node's row sums to at most 1",
           leaf);
  d.custom("capacities", "(none)", "list of {node, per_day}",
           "at most per_day agents may enter the node on one day (claims ranked by rank_hash)", leaf);
}

}  // namespace

std::vector<ParameterDoc> parameter_docs() {
  ParameterDeclarer d(nullptr);
  declare(d);
  return d.docs();
}

MarkovSpec read_spec(const Section& sec, const Network& net, const Calendar& cal) {
  ParameterDeclarer keys(&sec);
  declare(keys);
  MarkovSpec spec;
  for (const Section& p : sec.list("initial")) {
    Placement pl;
    pl.node = node_of(p, "node", net);
    pl.agents = static_cast<std::uint64_t>(p.integer("agents", 0, 4'000'000'000LL));
    spec.initial.push_back(pl);
  }
  if (spec.initial.empty()) sec.fail("initial", "expected a non-empty list of {node, agents}");

  // The transitions file comes first; an inline transition for the same pair replaces the
  // file's (so that a scenario extending another can change one probability).
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::string, bool>> seen;  // where, inline?
  auto add = [&](Transition t, const std::string& where, bool is_inline) {
    if (!net.arc_between(t.from, t.to))
      throw InputError(fmt::format("{}: no edge {} -> {} in the network", where, net.node(t.from).id, net.node(t.to).id));
    auto key = std::make_pair(t.from, t.to);
    if (auto it = seen.find(key); it != seen.end()) {
      if (it->second.second == is_inline)
        throw InputError(fmt::format("{}: transition {} -> {} given twice (also at {})", where, net.node(t.from).id,
                                     net.node(t.to).id, it->second.first));
      for (auto& old : spec.transitions)
        if (old.from == t.from && old.to == t.to) old.p = t.p;
      it->second = {where, is_inline};
      return;
    }
    seen[key] = {where, is_inline};
    spec.transitions.push_back(std::move(t));
  };
  if (sec.has("transitions_file")) {
    const auto file = sec.file("transitions_file");
    const CsvTable table = CsvTable::read(file);
    table.require_columns({"from", "to", "p"});
    for (std::size_t r = 0; r < table.rows(); ++r) {
      const CsvRow row = table.row(r);
      Transition tr;
      for (const char* col : {"from", "to"}) {
        auto n = net.find(row.text(col));
        if (!n) row.fail(col, "a node id of the network");
        (std::string(col) == "from" ? tr.from : tr.to) = *n;
      }
      tr.p = Schedule(row.probability("p"));
      add(std::move(tr), fmt::format("{}:{}", table.file(), row.line()), false);
    }
  }
  for (const Section& t : sec.list("transitions")) {
    Transition tr;
    tr.from = node_of(t, "from", net);
    tr.to = node_of(t, "to", net);
    tr.p = t.schedule("p", Range::kProbability);
    add(std::move(tr), fmt::format("{}: key '{}'", t.where("from").str(), t.path()), true);
  }
  check_rows(spec, net, cal, sec.where("transitions").str() + ": key '" + sec.key_path("transitions") + "'");
  for (const Section& c : sec.list("capacities")) {
    Capacity cap{node_of(c, "node", net), c.integer("per_day", 0, 4'000'000'000LL)};
    for (const auto& other : spec.capacities)
      if (other.node == cap.node) c.fail("node", fmt::format("node '{}' has a capacity already", net.node(cap.node).id));
    spec.capacities.push_back(cap);
  }
  return spec;
}

void check_rows(const MarkovSpec& spec, const Network& net, const Calendar& cal, const std::string& where) {
  std::vector<std::vector<const Transition*>> rows(net.node_count());
  for (const auto& t : spec.transitions) rows[t.from].push_back(&t);
  for (std::uint32_t n = 0; n < rows.size(); ++n) {
    if (rows[n].empty()) continue;
    for (int d = 0; d < cal.days(); ++d) {
      double sum = 0;
      for (const auto* t : rows[n]) sum += t->p.at(cal.date_of(d));
      if (sum > 1.0 + 1e-9)
        throw InputError(fmt::format("{}: probabilities out of node '{}' sum to {:.6g} on {} (must be at most 1)",
                                     where, net.node(n).id, sum, cal.date_of(d).iso()));
    }
  }
}

MarkovModel::MarkovModel(const Scenario& sc, const ScenarioDoc& doc, const Network& net)
    : MarkovModel(read_spec(doc.root().section("markov"), net, sc.calendar), net, sc.calendar) {}

MarkovModel::MarkovModel(MarkovSpec spec, const Network& net, const Calendar& cal)
    : net_(net), cal_(cal), spec_(std::move(spec)) {
  absorbing_.assign(net.node_count(), 1);
  for (const auto& t : spec_.transitions) {
    if (t.p.max_value() > 0) absorbing_[t.from] = 0;
    if (!t.p.is_constant()) time_varying_ = true;
  }
  absorbed_total_.assign(net.node_count(), 0);
  pool_of_node_.assign(net.node_count(), -1);
  for (const auto& c : spec_.capacities) {
    pool_of_node_[c.node] = static_cast<std::int32_t>(pool_capacity_.size());
    pool_capacity_.push_back(c.per_day);
  }
  special_.assign(net.node_count(), 0);
  for (std::size_t n = 0; n < special_.size(); ++n) special_[n] = absorbing_[n] || pool_of_node_[n] >= 0 ? 1 : 0;
  build_alias_tables(cal_.start);
}

MemoryNeed MarkovModel::memory_need() const {
  MemoryNeed need;
  for (const auto& p : spec_.initial) need.peak_agents += p.agents;
  need.model_bytes = (slots_.size() + net_.node_count()) * 24 + spec_.transitions.size() * 64;
  need.basis = fmt::format("markov.initial: {} agents placed on day 0", need.peak_agents);
  return need;
}

void MarkovModel::declare(ModelSetup& setup, AgentStore& store) {
  Dimension node{"node", {}};
  for (const auto& n : net_.nodes()) node.labels.push_back(n.id);
  occupancy_ = setup.series.add({"occupancy", "agents", "agents at each node at the end of the day", {node}});
  arrivals_ = setup.series.add({"arrivals", "agents", "agents that moved into each node during the day", {node}});
  edge_flows_.declare(setup.series, net_, "agents");
  ev_spawn_ = setup.add_event_kind("spawn");
  ev_move_ = setup.add_event_kind("move");
  st_active_ = setup.add_state("active");
  st_absorbed_ = setup.add_state("absorbed", /*final=*/true);
  // The day the agent was absorbed, -1 while it is not (a restart checks the stored values).
  absorbed_day_ = store.add_column<std::int32_t>("absorbed_day", true, ColumnRange::past_day(/*never=*/true));
}

std::vector<double> MarkovModel::dense_matrix(Date date) const {
  const std::size_t n = net_.node_count();
  std::vector<double> m(n * n, 0.0);
  for (const auto& t : spec_.transitions) m[t.from * n + t.to] += t.p.at(date);
  for (std::size_t i = 0; i < n; ++i) {
    double out = 0;
    for (std::size_t j = 0; j < n; ++j) out += m[i * n + j];
    m[i * n + i] += 1.0 - out;
  }
  return m;
}

void MarkovModel::build_alias_tables(Date date) {
  const std::size_t n = net_.node_count();
  std::vector<std::vector<std::pair<std::uint32_t, double>>> rows(n);
  std::vector<std::vector<std::uint32_t>> edges(n);  // the edge to each outcome of rows (none: stay)
  for (std::size_t i = 0; i < n; ++i) {
    rows[i].push_back({static_cast<std::uint32_t>(i), 1.0});
    edges[i].push_back(kNoNode);
  }
  for (const auto& t : spec_.transitions) {
    const double p = t.p.at(date);
    rows[t.from].push_back({t.to, p});
    edges[t.from].push_back(net_.arc(*net_.arc_between(t.from, t.to)).edge);  // read_spec checked the arc
    rows[t.from][0].second -= p;
  }
  alias_rows_.assign(n, AliasRow{0, 0});
  slots_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    auto& row = rows[i];
    row[0].second = std::max(0.0, row[0].second);
    const std::size_t k = row.size();
    alias_rows_[i] = AliasRow{static_cast<std::uint32_t>(slots_.size()), static_cast<std::uint32_t>(k)};
    // Vose's alias method: scaled probabilities split into "small" and "large" work lists.
    std::vector<double> scaled(k);
    double total = 0;
    for (const auto& [to, p] : row) total += p;
    for (std::size_t j = 0; j < k; ++j) scaled[j] = row[j].second / total * static_cast<double>(k);
    std::vector<std::size_t> small, large;
    for (std::size_t j = 0; j < k; ++j) (scaled[j] < 1.0 ? small : large).push_back(j);
    std::vector<double> prob(k, 1.0);
    std::vector<std::size_t> alias(k);
    for (std::size_t j = 0; j < k; ++j) alias[j] = j;
    while (!small.empty() && !large.empty()) {
      const std::size_t s = small.back(), l = large.back();
      small.pop_back();
      prob[s] = scaled[s];
      alias[s] = l;
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (std::size_t j = 0; j < k; ++j)
      slots_.push_back(AliasSlot{static_cast<std::uint64_t>(std::llround(std::ldexp(std::min(prob[j], 1.0), 32))),
                                 {row[j].first, row[alias[j]].first},
                                 {edges[i][j], edges[i][alias[j]]}});
  }
}

void MarkovModel::begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink) {
  if (ctx.day > 0 && time_varying_) build_alias_tables(ctx.date);
  if (ctx.day != 0) return;
  std::uint64_t total = 0;
  for (const auto& p : spec_.initial) total += p.agents;
  store.reserve(store.size() + total);
  for (const auto& p : spec_.initial) {
    const std::size_t first = store.append(p.agents);
    std::uint32_t* node = store.nodes();
    std::int32_t* absorbed = store.data(absorbed_day_);
    const std::uint64_t* id = store.ids();
    for (std::size_t i = first; i < store.size(); ++i) {
      node[i] = p.node;
      absorbed[i] = -1;
      sink.events.add(ctx.day, ev_spawn_, p.node, id[i]);
    }
  }
}

MarkovModel::Step MarkovModel::target(const DayContext& ctx, std::uint64_t id, std::uint32_t from) const {
  RandomStream rng(ctx.seed, id, static_cast<std::uint32_t>(ctx.day), kMovePurpose);
  const std::uint32_t u_slot = rng.next_u32(), u_coin = rng.next_u32();
  return outcome(from, u_slot, u_coin);
}

void MarkovModel::move(const DayContext& ctx, AgentStore& store, std::size_t i, std::uint32_t from, Step step,
                       ThreadSink& sink) const {
  const std::uint32_t to = step.to;
  ++sink.tally[occupancy_.at(to)];
  if (to == from) return;
  store.nodes()[i] = to;
  ++sink.tally[arrivals_.at(to)];
  sink.tally.add(edge_flows_.id().at(step.edge), 1);
  sink.events.add(ctx.day, ev_move_, to, store.ids()[i], from);
  if (absorbing_[to]) {
    store.states()[i] = st_absorbed_;
    store.data(absorbed_day_)[i] = ctx.day;
    ++sink.finished;
  }
}

void MarkovModel::step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end,
                       ThreadSink& sink) const {
  // Blocks of rows: the day's draws of a whole block first (first_blocks: several agents per
  // vector instruction, the numbers target() draws one agent at a time), then the moves. A
  // plain move takes no branch on the random outcome (a mispredicted branch per agent costs
  // more than the rest of its step): staying counts as a move onto the same node whose arrival
  // and edge counts add 0. Absorbing and capped nodes go the long way.
  const std::uint64_t* id = store.ids();
  std::uint32_t* node = store.nodes();
  const std::uint8_t* state = store.states();
  std::int64_t* occupancy = sink.tally.data() + occupancy_.offset;
  std::int64_t* arrivals = sink.tally.data() + arrivals_.offset;
  // A stay adds 0 to edge cell 0; a network without edges has no moves, and adds its 0s to an
  // occupancy cell instead.
  std::int64_t* flows = net_.edge_count() > 0 ? sink.tally.data() + edge_flows_.id().offset : occupancy;
  // Locals, not members: the tally's stores could alias them, and they would be reloaded.
  const AliasRow* alias_rows = alias_rows_.data();
  const AliasSlot* slots = slots_.data();
  const std::uint8_t* special = special_.data();
  const std::uint8_t active = st_active_;
  FirstBlocks draws;
  // The loop twice, with and without the event log, so that no event test puts the branch back.
  const auto run = [&](auto with_events) {
    for (std::size_t b = begin; b < end; b += FirstBlocks::kCapacity) {
      const std::size_t n = std::min(FirstBlocks::kCapacity, end - b);
      first_blocks(id + b, n, ctx.seed, static_cast<std::uint32_t>(ctx.day), kMovePurpose, draws);
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = b + k;
        if (state[i] != active) continue;
        const std::uint32_t from = node[i];
        const Step step = outcome(alias_rows, slots, from, draws.word[0][k], draws.word[1][k]);
        const std::uint32_t moved = step.to != from ? 1 : 0;
        if ((moved & special[step.to]) != 0) {
          if (pool_of_node_[step.to] >= 0)
            sink.claim(static_cast<std::uint32_t>(pool_of_node_[step.to]), i, id[i]);  // settled in resolve()
          else
            move(ctx, store, i, from, step, sink);
          continue;
        }
        node[i] = step.to;
        ++occupancy[step.to];
        arrivals[step.to] += moved;
        flows[step.edge & (0u - moved)] += moved;  // edge 0 when staying
        if constexpr (decltype(with_events)::value)
          if (moved) sink.events.add(ctx.day, ev_move_, step.to, id[i], from);
      }
    }
  };
  if (sink.events.enabled())
    run(std::true_type{});
  else
    run(std::false_type{});
}

void MarkovModel::resolve(const DayContext& ctx, AgentStore& store, const CapacityClaim& claim, bool won,
                          ThreadSink& sink) {
  const std::uint32_t from = store.nodes()[claim.row];
  // The same draw as in step (counter-based): the node the agent wanted.
  const Step step = won ? target(ctx, claim.agent, from) : Step{from, kNoNode};
  move(ctx, store, claim.row, from, step, sink);
}

void MarkovModel::end_day(const DayContext&, AgentStore&, Tally& totals) {
  // Agents absorbed on earlier days are no longer stepped; add them back into the occupancy.
  for (std::size_t n = 0; n < absorbed_total_.size(); ++n) {
    totals[occupancy_.at(n)] += absorbed_total_[n];
    if (absorbing_[n]) absorbed_total_[n] += totals[arrivals_.at(n)];
  }
}

void MarkovModel::save_state(hid_t group) const {
  h5::write_column<std::int64_t>(group, "absorbed_total", absorbed_total_);
}

void MarkovModel::load_state(hid_t group) {
  auto v = h5::read_column<std::int64_t>(group, "absorbed_total");
  if (v.size() != absorbed_total_.size())
    throw InputError(fmt::format("checkpoint: markov state has {} nodes, the network {}", v.size(), absorbed_total_.size()));
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] < 0)
      throw InputError(fmt::format("checkpoint: markov state absorbed_total[{}] is {}, a count cannot be negative", i, v[i]));
  absorbed_total_ = std::move(v);
  // The day after the checkpoint rebuilds the alias tables from its date in begin_day.
}

std::vector<std::string> MarkovModel::describe() const {
  std::uint64_t agents = 0;
  for (const auto& p : spec_.initial) agents += p.agents;
  std::size_t absorbing = 0;
  for (char a : absorbing_) absorbing += a ? 1 : 0;
  return {fmt::format("markov: {} agents at {} start nodes, {} transitions{}, {} absorbing nodes", agents,
                      spec_.initial.size(), spec_.transitions.size(), time_varying_ ? " (time-varying)" : "",
                      absorbing)};
}

}  // namespace corridor::markov
