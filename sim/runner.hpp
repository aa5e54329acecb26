#pragma once
// From a scenario file to a finished run: load and validate everything, pick the model,
// run it. Shared by `corridor run`, `corridor validate`, `corridor bench` and the tests.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/config.hpp"
#include "sim/engine.hpp"
#include "sim/network.hpp"
#include "sim/output.hpp"
#include "sim/scenario.hpp"

namespace corridor {

struct RunOptions {
  int threads = 1;
  bool write_agents = true;
  bool events = true;
  std::function<void(const DayContext&, std::uint64_t active, std::uint64_t agent_steps)> on_day;
  std::function<void(const DayContext&, const Tally& totals)> on_totals;
  // Several ranks, checkpoints and stopping: see EngineOptions (sim/engine.hpp), docs/hpc.md.
  Cluster* cluster = nullptr;
  int checkpoint_every = 0;
  std::filesystem::path checkpoint_path;
  CheckpointProvenance provenance;
  const CheckpointReader* restart = nullptr;
  int stop_after_day = -1;
  std::function<int()> stop_signal;
  std::function<void(int signal, bool checkpointed)> on_stop;
};

/// A model bound to its scenario, ready to run. The only virtual call is run() itself.
class ModelRunner {
 public:
  virtual ~ModelRunner() = default;
  virtual RunStats run(const RunOptions& options, RunOutput* out) = 0;
  virtual std::vector<std::string> describe() const = 0;
  /// The model's event kinds, in declaration order (the labels of events/kind).
  virtual const std::vector<std::string>& event_kinds() const = 0;
};

template <class Model>
class RunnerFor final : public ModelRunner {
 public:
  RunnerFor(const Scenario& sc, const ScenarioDoc& doc, const Network& net) : scenario_(sc), model_(sc, doc, net) {
    // A declaration on scratch objects, so that the scenario's output keys can be checked
    // against the model's event kinds before anything runs (the engine declares again).
    ModelSetup scratch;
    AgentStore store;
    model_.declare(scratch, store);
    event_kinds_ = scratch.event_kinds;
  }
  RunStats run(const RunOptions& o, RunOutput* out) override {
    EngineOptions eo{o.threads, o.write_agents, o.events, o.on_day, o.on_totals};
    eo.cluster = o.cluster;
    eo.checkpoint_every = o.checkpoint_every;
    eo.checkpoint_path = o.checkpoint_path;
    eo.provenance = o.provenance;
    eo.restart = o.restart;
    eo.stop_after_day = o.stop_after_day;
    eo.stop_signal = o.stop_signal;
    eo.on_stop = o.on_stop;
    Engine<Model> engine(scenario_, model_, std::move(eo));
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
  Model& model() { return model_; }

 private:
  const Scenario& scenario_;
  Model model_;
  std::vector<std::string> event_kinds_;
};

using ModelFactory = std::unique_ptr<ModelRunner> (*)(const Scenario&, const ScenarioDoc&, const Network&);
/// Builds the network from the model's own inputs when the scenario has no `network:` section.
using NetworkLoader = Network (*)(const Scenario&, const ScenarioDoc&);

struct ModelEntry {
  ModelFactory make = nullptr;
  NetworkLoader load_network = nullptr;  ///< null: the scenario must give `network:`
};

/// Every model the binary knows, by the name used in a scenario's `model:` key (models/registry.cpp).
const std::map<std::string, ModelEntry>& model_registry();

/// A scenario loaded, validated and bound to its model.
struct LoadedScenario {
  ScenarioDoc doc;
  Scenario scenario;
  std::unique_ptr<Network> network;
  std::unique_ptr<ModelRunner> runner;
};

/// Loads `file`, applies the --set overrides in order, reads the common keys and the network,
/// checks reachability, builds the model and rejects any unknown key. Throws InputError.
std::unique_ptr<LoadedScenario> load_scenario(const std::filesystem::path& file,
                                              const std::vector<std::string>& overrides);
/// The same for a document already in memory (e.g. one synthesized from a model's own input
/// folders by `corridor run --flee`), so that both paths share one code path.
std::unique_ptr<LoadedScenario> load_scenario(ScenarioDoc doc, const std::vector<std::string>& overrides);

}  // namespace corridor
