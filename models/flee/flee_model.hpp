#pragma once
// models/flee: Flee's default rule set (docs/flee-rules.md; docs/flee.md) on the corridor
// engine. This class only orders the rules of a day; each rule lives in its own file:
//   conflicts.hpp (1) conflict schedules   spawning.hpp (2) data-driven spawning
//   closures.hpp  (3) closures             scores.hpp   (4) move chance, score, capacity factor
//   route_choice.hpp candidates and weights  movement.hpp (5-6) decisions and travel (parallel)
//   out_csv.hpp, validation_metric.hpp (7) Flee's out.csv and the ARD
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/flee/case.hpp"
#include "models/flee/closures.hpp"
#include "models/flee/conflicts.hpp"
#include "models/flee/movement.hpp"
#include "models/flee/out_csv.hpp"
#include "models/flee/route_choice.hpp"
#include "models/flee/spawning.hpp"
#include "models/flee/validation_metric.hpp"
#include "sim/agents.hpp"
#include "sim/config.hpp"
#include "sim/model.hpp"
#include "sim/network.hpp"
#include "sim/output.hpp"
#include "sim/scenario.hpp"

namespace corridor::flee {

class FleeModel {
 public:
  FleeModel(const Scenario& scenario, const ScenarioDoc& doc, const Network& net);
  /// A case built in code (tests, the synthetic benchmark); `net` must be build_network(c).
  FleeModel(FleeCase c, const Network& net, const Calendar& cal);
  // Rule states refer to the case and the network: the model stays where it was built.
  FleeModel(const FleeModel&) = delete;
  FleeModel& operator=(const FleeModel&) = delete;

  void declare(ModelSetup& setup, AgentStore& store);
  void begin_day(const DayContext& ctx, AgentStore& store, ThreadSink& sink);
  void step(const DayContext& ctx, AgentStore& store, std::size_t begin, std::size_t end, ThreadSink& sink) const;
  void end_day(const DayContext& ctx, AgentStore& store, Tally& totals);
  std::vector<std::string> describe() const;
  /// Writes out.csv beside the HDF5 file and prints the ARD of the run.
  void after_run(const RunOutput& out);

  /// Where after_run writes out.csv for a result file: `<result without .h5>.out.csv`.
  static std::filesystem::path out_csv_path(const std::filesystem::path& h5);

  // Inspection, for tests and the benchmark.
  const FleeCase& flee_case() const { return case_; }
  const OutTable& out_table() const { return table_; }
  ArdSummary ard() const;
  const PathSet& paths() const { return paths_; }
  const DayRoutes& routes() const { return routes_; }
  double score(std::uint32_t loc) const { return score_[loc]; }
  double capacity_factor_today(std::uint32_t loc) const { return cap_factor_[loc]; }
  std::int64_t occupancy_at_start(std::uint32_t loc) const { return occ_start_[loc]; }
  std::int64_t spawned_today() const { return spawned_today_; }
  const ClosureState& closures() const { return closures_; }
  const ConflictState& conflicts() const { return conflicts_; }

 private:
  void init();
  void spawn(const DayContext& ctx, AgentStore& store, ThreadSink& sink);
  std::size_t add_agents(AgentStore& store, std::size_t n, int day);
  void rate_locations(int day);

  FleeCase case_;
  const Network& net_;
  Calendar cal_;
  ConflictState conflicts_;
  ClosureState closures_;
  std::optional<DataSpawner> spawner_;
  PathSet paths_;
  DayRoutes routes_;

  // Fixed per location / arc.
  std::vector<std::uint8_t> foreign_, marker_;
  std::vector<double> capacity_;    ///< (IDP) camps: population column; others 0 (no limit)
  std::vector<double> population_;  ///< spawn weight base (falls with take_from_population)
  std::vector<double> arc_speed_;

  // Today's tables (begin_day), read by the parallel step.
  std::vector<std::uint64_t> move_thr_;
  std::vector<std::uint8_t> drop_plan_;
  std::vector<double> score_, cap_factor_;
  std::vector<std::int64_t> occ_start_, occ_end_;
  std::int64_t spawned_today_ = 0;

  // Store columns, series and events.
  ColumnId<std::uint32_t> arc_, path_, home_;
  ColumnId<float> link_km_;
  ColumnId<std::uint8_t> hop_;
  ColumnId<std::uint16_t> links_;
  ColumnId<std::int32_t> spawn_day_;
  SeriesId occupancy_, transit_, spawned_, debt_, camp_data_, closed_arcs_;
  MoveOutput move_out_;
  std::uint16_t ev_spawn_ = 0;

  OutTable table_;
};

}  // namespace corridor::flee
