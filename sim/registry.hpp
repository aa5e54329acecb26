#pragma once
// The model registry: what the engine and the command line know of a model, by the name a
// scenario gives in `model:`. Only models/registry.cpp fills one (docs/architecture.md,
// "How to add a model"); the command line receives it from main() and asks it, so that no
// file under sim/ names a model.
//
// An entry carries what models differ in: how to build the model for a scenario, how to build
// its network when the scenario has no `network:` section, its declared parameter table
// (`corridor params NAME`), where its documentation is, its benchmark case (`corridor bench
// --model NAME`) and an importer from foreign inputs (e.g. Flee's case folders behind
// `corridor run --flee`).
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/output.hpp"
#include "sim/parameters.hpp"

namespace corridor {

class Cluster;
class ModelRunner;
class Network;
class ScenarioDoc;
struct Scenario;

/// An option a model adds to a subcommand (`corridor run --flee DIR`, `corridor bench --awareness 2`).
struct CliOption {
  std::string flag;  ///< with its dashes, e.g. "--flee-data"
  std::string help;
  bool takes_value = true;  ///< false: a flag, given as "true" when present
};

/// The options a model added to a subcommand, as the user gave them (flag -> value).
using GivenOptions = std::map<std::string, std::string>;

/// A scenario synthesized from foreign inputs.
struct ImportedScenario {
  std::string yaml;  ///< the scenario document
  std::string name;  ///< how messages name it, e.g. "<--flee cases/mali>"
};

struct Importer {
  /// options[0] selects the importer (e.g. --flee); the others refine it.
  std::vector<CliOption> options;
  ImportedScenario (*import)(const GivenOptions& given) = nullptr;
};

struct BenchRequest {
  std::uint64_t agents = 1'000'000;
  int days = 50;
  std::uint32_t nodes = 1000;
  int threads = 0;  ///< 0: default_threads (sim/cluster.hpp); resolved before the model's bench runs
  std::uint64_t seed = 1;
  bool events = false;
  std::filesystem::path out;  ///< where the run writes its result (the caller removes it unless `keep`)
  bool keep = false;          ///< false: the model removes any file of its own it wrote beside `out`
  std::string scenario;       ///< benchmark this scenario instead of the model's synthetic case
  GivenOptions options;       ///< the model's own bench options (BenchCase::options)
  Cluster* cluster = nullptr;  ///< null or one rank: a single process
};

/// What a benchmark measured; `corridor bench` prints it as key=value lines.
struct BenchReport {
  RunStats stats;
  std::string title;  ///< the first line, e.g. "model=markov agents=... days=..."
  std::vector<std::pair<std::string, std::string>> figures;  ///< model-specific lines after the rates
  std::size_t exchange_cells = 0;  ///< integers exchanged by the day's Allreduce (for its timing)
};

struct BenchCase {
  std::vector<CliOption> options;
  bool partitionable = false;  ///< may run under mpirun
  bool is_default = false;     ///< the case `corridor bench` runs without --model (the engine's own loop)
  BenchReport (*run)(const BenchRequest& request) = nullptr;
};

using ModelFactory = std::unique_ptr<ModelRunner> (*)(const Scenario&, const ScenarioDoc&, const Network&);
/// Builds the network from the model's own inputs when the scenario has no `network:` section.
using NetworkLoader = Network (*)(const Scenario&, const ScenarioDoc&);
using ParameterTable = std::vector<ParameterDoc> (*)();

struct ModelEntry {
  std::string name;      ///< the scenario's `model:`
  std::string summary;   ///< one line
  std::string docs;      ///< where it is documented, e.g. "docs/model.md"
  ModelFactory make = nullptr;
  NetworkLoader load_network = nullptr;  ///< null: the scenario must give `network:`
  ParameterTable parameters = nullptr;   ///< null: the model declares no parameters
  std::optional<BenchCase> bench;
  std::optional<Importer> importer;
};

class ModelRegistry {
 public:
  ModelRegistry() = default;
  explicit ModelRegistry(std::vector<ModelEntry> entries);
  /// Adds an entry; a second entry of the same name is a programming error (std::logic_error).
  void add(ModelEntry entry);
  const ModelEntry* find(std::string_view name) const;
  /// The entry named `name`, or an InputError "unknown model 'x' (known: a, b, c)" prefixed by `where`.
  const ModelEntry& at(std::string_view name, std::string_view where = {}) const;
  /// "unknown model 'x' (known: a, b, c)"
  std::string unknown(std::string_view name) const;
  std::vector<std::string> names() const;
  const std::vector<ModelEntry>& entries() const { return entries_; }

 private:
  std::vector<ModelEntry> entries_;  ///< in name order
};

}  // namespace corridor
