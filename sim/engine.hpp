#pragma once
// The day loop (decisions 4-5, docs/architecture.md): spawn (serial) -> step every agent (OpenMP over
// contiguous blocks of rows, thread-local tallies and events) -> reduce tallies once ->
// model's end of day -> write -> compact finished agents.
//
// Determinism: every draw is keyed by (seed, agent, day, purpose); tallies are integers;
// thread t steps rows [n*t/T, n*(t+1)/T) and event buffers are joined in thread order, so
// output is identical for any thread count.
//
// Several ranks (RunOptions::cluster, docs/hpc.md): each rank runs the serial start of day
// identically but stores only the agents it owns (id % ranks), steps them, and one
// MPI_Allreduce sums the day's tally, so that end_day sees the global totals everywhere.
// Rank 0 gathers events and finished agents and writes them in the order one process would.
// Checkpoints (RunOptions::checkpoint_every, sim/checkpoint.hpp) hold the store, the
// engine's counters and the model's own state; a restarted run continues bit for bit.
#include <fmt/format.h>
#include <omp.h>

#include <chrono>
#include <concepts>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include "sim/agents.hpp"
#include "sim/checkpoint.hpp"
#include "sim/cluster.hpp"
#include "sim/distributed.hpp"
#include "sim/error.hpp"
#include "sim/model.hpp"
#include "sim/output.hpp"
#include "sim/progress.hpp"
#include "sim/scenario.hpp"

namespace corridor {

/// How to run: threads, what to write, and (docs/hpc.md) ranks, checkpoints and stopping. One
/// type for every caller: `corridor run`, the benchmarks, the sweep's runs and the tests.
struct RunOptions {
  int threads = 1;
  bool write_agents = true;
  bool events = true;
  /// Called after each day (progress display, tests).
  std::function<void(const DayContext&, std::uint64_t active, std::uint64_t agent_steps)> on_day;
  /// Called with each day's reduced totals (tests, in-process analysis).
  std::function<void(const DayContext&, const Tally& totals)> on_totals;

  // ---- several ranks, checkpoints, stopping (docs/hpc.md) ----
  /// The ranks of a multi-rank run; null or one rank: a single process.
  Cluster* cluster = nullptr;
  /// Write a checkpoint to `checkpoint_path` after every this many days (0: never).
  int checkpoint_every = 0;
  std::filesystem::path checkpoint_path{};
  /// Provenance stored in checkpoints, so that `corridor run --restart` can reload the scenario.
  CheckpointProvenance provenance{};
  /// Continue from this checkpoint instead of day 0.
  const CheckpointReader* restart = nullptr;
  /// End after this day, writing a checkpoint (-1: run to the end). For wall-time slices and tests.
  int stop_after_day = -1;
  /// Polled after each day: a signal number when the run must stop (SIGTERM of a batch system).
  std::function<int()> stop_signal{};
  /// Called on every rank after a stop was requested and any checkpoint written; must throw.
  std::function<void(int signal, bool checkpointed)> on_stop{};
};

template <class Model>
class Engine {
 public:
  Engine(const Scenario& scenario, Model& model, RunOptions options)
      : scenario_(scenario), model_(model), opt_(std::move(options)) {
    if (opt_.threads < 1) opt_.threads = 1;
    model_.declare(setup_, store_);
    if (opt_.cluster && opt_.cluster->size() > 1) {
      if constexpr (!PartitionableModel<Model>)
        throw InputError(fmt::format("model '{}' cannot run on several ranks yet (docs/hpc.md); run it with one rank",
                                     scenario_.model));
      store_.set_partition(static_cast<std::uint32_t>(opt_.cluster->size()),
                           static_cast<std::uint32_t>(opt_.cluster->rank()));
    }
    if (opt_.checkpoint_every > 0 || opt_.restart || opt_.stop_after_day >= 0) {
      if constexpr (!CheckpointableModel<Model>)
        throw InputError(fmt::format("model '{}' has no checkpoint support yet (docs/hpc.md)", scenario_.model));
    }
  }

  const ModelSetup& setup() const { return setup_; }
  AgentStore& store() { return store_; }

  /// Runs the whole calendar; `out` may be null (nothing written). On several ranks only
  /// rank 0 passes an output; every rank must call run().
  RunStats run(RunOutput* out) {
    const auto t0 = std::chrono::steady_clock::now();
    out_ = out;
    cl_ = opt_.cluster && opt_.cluster->size() > 1 ? opt_.cluster : nullptr;
    const Calendar& cal = scenario_.calendar;
    const int first_day = start();
    for (int day = first_day; day < cal.days(); ++day) {
      const DayContext ctx{day, cal.date_of(day), cal.days(), scenario_.seed};
      begin_day(ctx);
      step(ctx);
      if constexpr (CapacityModel<Model>) resolve_capacities(ctx);
      const int signal = reduce(ctx);
      model_.end_day(ctx, store_, totals_);
      if (opt_.on_totals) opt_.on_totals(ctx, totals_);
      write_day(ctx);
      compact(ctx);
      stop_or_checkpoint(ctx, signal);
      if (opt_.on_day) opt_.on_day(ctx, global_size_ - global_pending_, stats_.agent_steps);
    }
    finish();
    stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats_;
  }

 private:
  // ---- the phases of a run, in order ----

  /// Declares the output, agrees over ranks whether anyone writes, sizes the sinks, and loads
  /// a restart. Returns the first day to simulate.
  int start() {
    if (out_) out_->declare(setup_, store_, scenario_.calendar);
    // Whether rank 0 writes (the other ranks must then take part in the gathers).
    writes_ = out_ != nullptr;
    if (cl_) {
      std::int64_t w = writes_ ? 1 : 0;
      cl_->allreduce_sum(&w, 1);
      writes_ = w > 0;
    }
    const std::uint64_t kinds = event_kind_mask(scenario_.output, setup_.event_kinds, scenario_.model);
    const auto prepare = [&](ThreadSink& s) {
      s.tally.resize(setup_.series.cells());
      s.events.set_enabled(opt_.events);
      s.events.set_kinds(kinds);
    };
    prepare(serial_);
    sinks_.assign(static_cast<std::size_t>(opt_.threads), ThreadSink{});
    for (auto& s : sinks_) prepare(s);
    prepare(resolved_);
    totals_.resize(setup_.series.cells());
    exchange_.assign(cl_ ? setup_.series.cells() + kCounters : 0, 0);
    stats_ = RunStats{};
    stats_.days = scenario_.calendar.days();
    if (!opt_.restart) return 0;
    const EngineState st = opt_.restart->engine_state();
    opt_.restart->load_store(store_);  // keeps only this rank's agents when partitioned
    if constexpr (CheckpointableModel<Model>) model_.load_state(opt_.restart->model_group());
    stats_.agent_steps = st.agent_steps;
    const std::uint8_t* state = store_.states();
    for (std::size_t i = 0; i < store_.size(); ++i) pending_final_ += setup_.is_final[state[i]] ? 1 : 0;
    return st.next_day;
  }

  /// Serial: the model's start of day (spawning, policies that change today).
  void begin_day(const DayContext& ctx) {
    serial_.clear();
    model_.begin_day(ctx, store_, serial_);
    pending_final_ += serial_.finished;
  }

  /// Parallel: thread t of T steps the contiguous rows [n*t/T, n*(t+1)/T) into its own sink.
  void step(const DayContext& ctx) {
    const std::size_t n = store_.size();
    day_steps_ = n - pending_final_;  // finished rows are skipped by step()
#pragma omp parallel num_threads(opt_.threads)
    {
      const int t = omp_get_thread_num();
      const int nt = omp_get_num_threads();
      ThreadSink& sink = sinks_[static_cast<std::size_t>(t)];
      sink.clear();
      const std::size_t begin = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(nt);
      const std::size_t end = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(nt);
      model_.step(ctx, store_, begin, end, sink);
    }
  }

  /// decision 4, docs/architecture.md: each pool's `capacity` lowest-ranked claims win, on any number of
  /// threads or ranks; the model then acts on every claim, in row (= agent) order.
  void resolve_capacities(const DayContext& ctx) {
    resolved_.clear();
    std::vector<const CapacityClaim*> claims;
    for (const auto& s : sinks_)
      for (const auto& c : s.claims) claims.push_back(&c);  // threads hold increasing row blocks
    const std::vector<std::int64_t> capacity = model_.capacities(ctx);
    const std::vector<char> won = decide_claims(claims, capacity, ctx.seed, ctx.day, cl_);
    for (std::size_t i = 0; i < claims.size(); ++i) model_.resolve(ctx, store_, *claims[i], won[i] != 0, resolved_);
  }

  /// Sums the day's sinks into the totals; on several ranks, exchanges them (one Allreduce of
  /// the tally and four counters), so that end_day sees the global totals everywhere. Returns
  /// the stop signal every rank agrees on (0: go on).
  int reduce(const DayContext&) {
    totals_.clear();
    totals_.accumulate(serial_.tally);
    for (auto& s : sinks_) {
      totals_.accumulate(s.tally);
      pending_final_ += s.finished;
    }
    if constexpr (CapacityModel<Model>) {
      totals_.accumulate(resolved_.tally);
      pending_final_ += resolved_.finished;
    }
    if (!cl_) {
      global_pending_ = pending_final_;
      global_size_ = store_.size();
      stats_.agent_steps += day_steps_;
      return 0;
    }
    return exchange();
  }

  int exchange() {
    const int local_stop = opt_.stop_signal ? opt_.stop_signal() : 0;
    std::copy(totals_.data(), totals_.data() + totals_.size(), exchange_.begin());
    std::int64_t* c = exchange_.data() + totals_.size();
    c[kSteps] = static_cast<std::int64_t>(day_steps_);
    c[kPending] = static_cast<std::int64_t>(pending_final_);
    c[kSize] = static_cast<std::int64_t>(store_.size());
    c[kStop] = local_stop;
    const auto r0 = std::chrono::steady_clock::now();
    cl_->allreduce_sum(exchange_.data(), exchange_.size());
    stats_.reduce_seconds += seconds_since(r0);
    std::copy(exchange_.begin(), exchange_.begin() + static_cast<std::ptrdiff_t>(totals_.size()), totals_.data());
    stats_.agent_steps += static_cast<std::uint64_t>(c[kSteps]);
    global_pending_ = static_cast<std::uint64_t>(c[kPending]);
    global_size_ = static_cast<std::uint64_t>(c[kSize]);
    // Every rank learns of a stop on the same day (a signal may reach the ranks at different times).
    return c[kStop] != 0 ? (local_stop != 0 ? local_stop : 15) : 0;
  }

  /// The day's totals and events to the output (events gathered on rank 0 in single-process order).
  void write_day(const DayContext& ctx) {
    if (out_) out_->append_day(ctx.day, totals_);
    if (!writes_ || !opt_.events) return;
    if (cl_) {
      const auto g0 = std::chrono::steady_clock::now();
      const auto merged = merge_day_events(cl_->gather(pack_day_events(serial_, sinks_, &resolved_)));
      stats_.gather_seconds += seconds_since(g0);
      if (out_) out_->append_events(std::span<const Event>(merged));
    } else if (out_) {
      out_->append_events(serial_.events);
      for (auto& s : sinks_) out_->append_events(s.events);
      out_->append_events(resolved_.events);
    }
  }

  /// Compacts when finished rows are a noticeable share (or at the end): O(n) work, amortised.
  /// On several ranks the decision uses the global counts, so that all ranks compact on the
  /// same days as one process would, and the agent table comes out in the same order.
  void compact(const DayContext& ctx) {
    if (global_pending_ == 0 || (global_pending_ * 8 < global_size_ && ctx.day + 1 != ctx.days)) return;
    if (writes_ && opt_.write_agents) {
      const auto rows = store_.final_rows(setup_.is_final);
      if (cl_) {
        const auto g0 = std::chrono::steady_clock::now();
        const AgentStore merged = gather_store(&rows);
        stats_.gather_seconds += seconds_since(g0);
        if (out_) out_->append_all_agents(merged);
      } else if (out_) {
        out_->append_agents(store_, rows);
      }
    }
    store_.compact(setup_.is_final);
    pending_final_ = 0;
    global_size_ -= global_pending_;
    global_pending_ = 0;
  }

  /// Writes the periodic checkpoint, and ends the run (through on_stop) on a signal or at
  /// --stop-after-day, with a checkpoint first where checkpoints are on.
  void stop_or_checkpoint(const DayContext& ctx, int signal) {
    if (!cl_) signal = opt_.stop_signal ? opt_.stop_signal() : 0;
    const bool last_day = ctx.day + 1 >= ctx.days;
    const bool stop_here = ctx.day == opt_.stop_after_day && !last_day;
    const bool periodic = opt_.checkpoint_every > 0 && (ctx.day + 1) % opt_.checkpoint_every == 0 && !last_day;
    const bool on_signal = signal != 0 && opt_.checkpoint_every > 0 && !last_day;
    const bool checkpoint = periodic || stop_here || on_signal;
    if (checkpoint) write_checkpoint_now(EngineState{ctx.day + 1, cl_ ? global_pending_ : pending_final_, stats_.agent_steps});
    if (signal == 0 && !stop_here) return;
    if (opt_.on_stop) opt_.on_stop(signal, checkpoint);
    throw std::logic_error("RunOptions::on_stop must throw");
  }

  /// The agents still in the store go to the agent table; waits for the background writes.
  void finish() {
    if (writes_ && opt_.write_agents) {
      if (cl_) {
        const AgentStore merged = gather_store(nullptr);
        if (out_) out_->append_all_agents(merged);
      } else if (out_) {
        out_->append_all_agents(store_);
      }
    }
    stats_.agents = store_.next_id();
    if (out_) out_->drain();  // the run's time includes the writes still under way in the background
  }

  // ---- helpers ----

  static double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  }

  /// Rows of every rank (all rows when `rows` is null) on rank 0, in id order.
  AgentStore gather_store(const std::vector<std::uint32_t>* rows) const {
    auto parts = cl_->gather(store_.pack(rows));
    if (!cl_->root()) return AgentStore{};
    std::vector<AgentStore> stores;
    for (const auto& bytes : parts) {
      stores.push_back(store_.empty_copy());
      stores.back().unpack_append(bytes);
    }
    return AgentStore::merge_by_id(stores);
  }

  void write_checkpoint_now(const EngineState& state) {
    std::function<void(hid_t)> save_model;
    if constexpr (CheckpointableModel<Model>) save_model = [this](hid_t g) { model_.save_state(g); };
    if (cl_) {
      // Rank 0 writes one checkpoint holding every rank's agents, in id order; it can be
      // restarted on any number of ranks.
      const AgentStore all = gather_store(nullptr);
      if (cl_->root()) write_checkpoint(opt_.checkpoint_path, out_, all, state, save_model, opt_.provenance);
      cl_->barrier();  // no rank goes on (or stops) before the checkpoint is in place
    } else {
      write_checkpoint(opt_.checkpoint_path, out_, store_, state, save_model, opt_.provenance);
    }
  }

  const Scenario& scenario_;
  Model& model_;
  RunOptions opt_;
  ModelSetup setup_;
  AgentStore store_;

  // The run in progress.
  RunOutput* out_ = nullptr;
  Cluster* cl_ = nullptr;  ///< null on one rank
  bool writes_ = false;    ///< rank 0 writes events and agents (every rank takes part in the gathers)
  ThreadSink serial_;      ///< begin_day's
  std::vector<ThreadSink> sinks_;  ///< one per thread
  ThreadSink resolved_;    ///< the resolution of limited capacities (CapacityModel)
  Tally totals_;
  RunStats stats_;
  std::uint64_t day_steps_ = 0;
  std::uint64_t pending_final_ = 0;  ///< finished agents still in this rank's store
  std::uint64_t global_pending_ = 0, global_size_ = 0;  ///< the same over all ranks
  /// Several ranks: the day's flat tally plus these counters, summed by one MPI_Allreduce.
  enum : std::size_t { kSteps, kPending, kSize, kStop, kCounters };
  std::vector<std::int64_t> exchange_;
};

}  // namespace corridor
