#pragma once
// From a scenario file to a model ready to run: load and validate everything, pick the model
// from the registry, bind it. Shared by `corridor run`, `corridor validate`, `corridor bench`,
// the sweeps and the tests.
#include <filesystem>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "sim/config.hpp"
#include "sim/engine.hpp"
#include "sim/files.hpp"
#include "sim/memory_estimate.hpp"
#include "sim/network.hpp"
#include "sim/output.hpp"
#include "sim/registry.hpp"
#include "sim/scenario.hpp"

namespace corridor {

/// A model bound to its scenario, ready to run. The only virtual call is run() itself.
class ModelRunner {
 public:
  virtual ~ModelRunner() = default;
  virtual RunStats run(const RunOptions& options, RunOutput* out) = 0;
  virtual std::vector<std::string> describe() const = 0;
  /// The model's event kinds, in declaration order (the labels of events/kind).
  virtual const std::vector<std::string>& event_kinds() const = 0;
  /// The memory the run will hold (sim/memory_estimate.hpp); nullopt when the model gives no
  /// estimate of its agents (no `memory_need()` member).
  virtual std::optional<MemoryEstimate> memory_estimate(RunShape shape, MemoryNeed* need) const = 0;
  /// Files the model writes beside the result `out` (optional model member `extra_outputs`),
  /// so that their paths are checked with the result's before anything runs.
  virtual std::vector<std::filesystem::path> extra_outputs(const std::filesystem::path& out) const = 0;
};

template <class Model>
class RunnerFor final : public ModelRunner {
 public:
  RunnerFor(const Scenario& sc, const ScenarioDoc& doc, const Network& net)
      : scenario_(sc), model_(sc, doc, net), nodes_(static_cast<std::uint32_t>(net.node_count())) {
    // A declaration on scratch objects, so that the scenario's output keys can be checked
    // against the model's event kinds before anything runs (the engine declares again).
    ModelSetup scratch;
    AgentStore store;
    model_.declare(scratch, store);
    event_kinds_ = scratch.event_kinds;
    bytes_per_agent_ = store.bytes_per_row();
    series_cells_ = scratch.series.cells();
  }
  RunStats run(const RunOptions& o, RunOutput* out) override {
    RunOptions with_network = o;
    with_network.nodes = nodes_;  // a restart checks the stored node columns against it
    Engine<Model> engine(scenario_, model_, std::move(with_network));
    RunStats stats = engine.run(out);
    // Optional hook for models that write files of their own beside the HDF5 result
    // (e.g. Flee's out.csv) or record root attributes. Called before the HDF5 file is finished.
    if constexpr (requires(Model& m, RunOutput& r) { m.after_run(r); }) {
      if (out) model_.after_run(*out);
    }
    return stats;
  }
  std::vector<std::string> describe() const override { return model_.describe(); }
  const std::vector<std::string>& event_kinds() const override { return event_kinds_; }
  std::optional<MemoryEstimate> memory_estimate(RunShape shape, MemoryNeed* need) const override {
    if constexpr (requires(const Model& m) {
                    { m.memory_need() } -> std::convertible_to<MemoryNeed>;
                  }) {
      *need = model_.memory_need();
      shape.bytes_per_agent = bytes_per_agent_;
      shape.series_cells = series_cells_;
      return estimate_memory(*need, shape);
    } else {
      return std::nullopt;
    }
  }
  std::vector<std::filesystem::path> extra_outputs(const std::filesystem::path& out) const override {
    if constexpr (requires(const Model& m) { m.extra_outputs(out); }) {
      return model_.extra_outputs(out);
    } else {
      return {};
    }
  }
  Model& model() { return model_; }

 private:
  const Scenario& scenario_;
  Model model_;
  std::uint32_t nodes_;
  std::vector<std::string> event_kinds_;
  std::size_t bytes_per_agent_ = 0, series_cells_ = 0;
};

/// The registry's factory for a model class (models/registry.cpp): checks the model contract
/// of sim/model.hpp at compile time.
template <class M>
std::unique_ptr<ModelRunner> make_runner(const Scenario& sc, const ScenarioDoc& doc, const Network& net) {
  static_assert(ModelContract<M>, "not a model: see the contract in sim/model.hpp");
  return std::make_unique<RunnerFor<M>>(sc, doc, net);
}

/// A scenario loaded, validated and bound to its model.
struct LoadedScenario {
  /// Every file read to load it (the scenario, the files it extends, its tables, a model's
  /// own input files), for the output path checks (no output may overwrite one).
  std::vector<InputRecord> inputs;
  ScenarioDoc doc;
  Scenario scenario;
  std::unique_ptr<Network> network;
  std::unique_ptr<ModelRunner> runner;
};

/// Loads `file`, applies the --set overrides in order, reads the common keys and the network,
/// checks reachability, builds the model the registry names and rejects any unknown key.
/// Throws InputError.
std::unique_ptr<LoadedScenario> load_scenario(const ModelRegistry& models, const std::filesystem::path& file,
                                              const std::vector<std::string>& overrides);
/// The same for a document already in memory (e.g. one synthesized by a model's importer from
/// foreign inputs, `corridor run --flee`), so that both paths share one code path.
std::unique_ptr<LoadedScenario> load_scenario(const ModelRegistry& models, ScenarioDoc doc,
                                              const std::vector<std::string>& overrides);

}  // namespace corridor
