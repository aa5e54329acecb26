#pragma once
// models/markov: the verification model. Agents start at nodes in given numbers; each day an
// agent at node i moves to neighbour j with probability P[i][j] (the rest of row i stays at i).
// Nodes whose rows are zero on every day are absorbing: agents reaching them finish there.
// Its exact occupancy law is p_{t+1} = P(t)^T p_t, which tests/unit/test_markov_statistics.cpp
// checks the engine against. Scenario keys: docs/scenarios.md#markov.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/agents.hpp"
#include "sim/config.hpp"
#include "sim/edge_flows.hpp"
#include "sim/hdf5.hpp"
#include "sim/model.hpp"
#include "sim/network.hpp"
#include "sim/parameters.hpp"
#include "sim/scenario.hpp"
#include "sim/schedule.hpp"

namespace corridor::markov {

struct Transition {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  Schedule p;
};

struct Placement {
  std::uint32_t node = 0;
  std::uint64_t agents = 0;
};

/// At most `per_day` agents may move into `node` on one day (decision 4, docs/architecture.md: those with
/// the lowest rank_hash win; the others stay where they are that day).
struct Capacity {
  std::uint32_t node = 0;
  std::int64_t per_day = 0;
};

/// Everything the model needs, independent of where it came from (YAML or a generator).
struct MarkovSpec {
  std::vector<Placement> initial;
  std::vector<Transition> transitions;
  std::vector<Capacity> capacities;
};

/// Reads the `markov:` section (and a transitions CSV if named). Throws InputError.
MarkovSpec read_spec(const Section& section, const Network& net, const Calendar& cal);
/// The keys of the `markov:` section, for `corridor params markov`.
std::vector<ParameterDoc> parameter_docs();

/// Row-stochastic check: throws InputError naming node and date if a row sums above 1.
void check_rows(const MarkovSpec& spec, const Network& net, const Calendar& cal, const std::string& where);

class MarkovModel {
 public:
  MarkovModel(const Scenario& scenario, const ScenarioDoc& doc, const Network& net);
  MarkovModel(MarkovSpec spec, const Network& net, const Calendar& cal);

  void declare(ModelSetup& setup, AgentStore& store);
  void begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink);
  void step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end, ThreadSink& sink) const;
  void end_day(const DayContext& ctx, AgentStore& store, Tally& totals);
  std::vector<std::string> describe() const;

  /// Multi-rank runs (docs/hpc.md): begin_day writes only the rows it appends, in id order,
  /// and end_day reads only the totals.
  static constexpr bool kPartitionable = true;
  /// Checkpoints: the model's state outside the agent store (the alias tables are rebuilt
  /// from the date each day).
  void save_state(hid_t group) const;
  void load_state(hid_t group);
  /// Limited capacities (markov.capacities): a move into a capped node is a claim, settled
  /// by the engine after the step (sim/model.hpp, CapacityClaim).
  std::vector<std::int64_t> capacities(const DayContext&) const { return pool_capacity_; }
  void resolve(const DayContext& ctx, AgentStore& store, const CapacityClaim& claim, bool won, ThreadSink& sink);

  /// For the memory estimate (sim/memory_estimate.hpp): every agent is placed on day 0.
  MemoryNeed memory_need() const;

  /// P(t) as a dense matrix row-major [from][to] (for tests and the exact propagation).
  std::vector<double> dense_matrix(Date date) const;
  const MarkovSpec& spec() const { return spec_; }

  static constexpr std::uint16_t kMovePurpose = 1;

 private:
  // Alias tables (Vose), one per node over its outcomes {stay, neighbours...}: the node's
  // slots are slots_[offset, offset + count). One slot holds all a draw reads of it.
  struct AliasRow {
    std::uint32_t offset, count;
  };
  struct AliasSlot {
    std::uint64_t threshold;  ///< P(take the primary outcome) * 2^32
    std::uint32_t to[2];      ///< the primary outcome, the alternative
    std::uint32_t edge[2];    ///< the edge to each (edge_flows; kNoNode: staying)
  };

  void build_alias_tables(Date date);
  /// An outcome of the day's draw: the node, and the edge taken to it (kNoNode when staying).
  struct Step {
    std::uint32_t to;
    std::uint32_t edge;
  };
  /// The outcome that the first two numbers of the agent's stream pick at `from`: u_slot picks
  /// a slot of the node's alias table, u_coin its primary or alternative outcome (no branch).
  /// (On the tables' data: step() keeps the pointers in registers.)
  static Step outcome(const AliasRow* rows, const AliasSlot* slots, std::uint32_t from, std::uint32_t u_slot,
                      std::uint32_t u_coin) {
    const AliasRow row = rows[from];
    const AliasSlot& s = slots[row.offset + static_cast<std::uint32_t>((static_cast<std::uint64_t>(u_slot) * row.count) >> 32)];
    const int alt = u_coin < s.threshold ? 0 : 1;
    return Step{s.to[alt], s.edge[alt]};
  }
  Step outcome(std::uint32_t from, std::uint32_t u_slot, std::uint32_t u_coin) const {
    return outcome(alias_rows_.data(), slots_.data(), from, u_slot, u_coin);
  }
  /// Where the agent at `from` moves today (its one draw of the day, drawn alone).
  Step target(const DayContext& ctx, std::uint64_t id, std::uint32_t from) const;
  /// The agent at `row` moves from `from` as `step` says (tallies, event, absorption).
  void move(const DayContext& ctx, AgentStore& store, std::size_t row, std::uint32_t from, Step step,
            ThreadSink& sink) const;

  const Network& net_;
  Calendar cal_;
  MarkovSpec spec_;
  bool time_varying_ = false;
  std::vector<char> absorbing_;  ///< rows that are zero on every day
  /// Nodes whose entry is not a plain move: absorbing, or with a limited capacity.
  std::vector<std::uint8_t> special_;
  std::vector<AliasRow> alias_rows_;  ///< the alias tables (AliasRow, AliasSlot above)
  std::vector<AliasSlot> slots_;

  // Output handles.
  SeriesId occupancy_, arrivals_;
  EdgeFlows edge_flows_;  ///< agents moving along each edge (a move starts and ends the same day)
  std::uint16_t ev_spawn_ = 0, ev_move_ = 0;
  std::uint8_t st_active_ = 0, st_absorbed_ = 0;
  ColumnId<std::int32_t> absorbed_day_;
  std::vector<std::int64_t> absorbed_total_;  ///< finished agents per node so far
  std::vector<std::int32_t> pool_of_node_;    ///< capacity pool of a node, -1 if unlimited
  std::vector<std::int64_t> pool_capacity_;   ///< agents per day that may enter, per pool
};

}  // namespace corridor::markov
