// Unit tests for sim/registry (the model registry) and for the registry this binary carries
// (models/registry.cpp): what the command line asks of a model is there for every model.
#include <catch2/catch.hpp>

#include <filesystem>

#include "models/registry.hpp"
#include "sim/registry.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::ModelEntry;
using corridor::ModelRegistry;
using corridor::test::input_error_of;

TEST_CASE("a registry finds its models by name and lists them in name order") {
  ModelRegistry r;
  r.add(ModelEntry{.name = "zeta", .docs = "docs/z.md"});
  r.add(ModelEntry{.name = "alpha", .docs = "docs/a.md"});
  CHECK(r.names() == std::vector<std::string>{"alpha", "zeta"});
  REQUIRE(r.find("zeta") != nullptr);
  CHECK(r.find("zeta")->docs == "docs/z.md");
  CHECK(r.find("beta") == nullptr);
  CHECK(r.at("alpha").name == "alpha");
}

TEST_CASE("an unknown model is an input error naming the models there are") {
  const ModelRegistry r({ModelEntry{.name = "alpha"}, ModelEntry{.name = "beta"}});
  CHECK_THAT(input_error_of([&] { r.at("gamma", "scenario.yaml:3: "); }),
             Contains("scenario.yaml:3: unknown model 'gamma' (known: alpha, beta)"));
}

TEST_CASE("registering a model twice is a programming error") {
  ModelRegistry r;
  r.add(ModelEntry{.name = "alpha"});
  CHECK_THROWS_AS(r.add(ModelEntry{.name = "alpha"}), std::logic_error);
}

TEST_CASE("every model of this binary can be built, is documented and lists its parameters") {
  const ModelRegistry& models = corridor::models::registry();
  CHECK(models.names() == std::vector<std::string>{"corridor", "flee", "markov"});
  for (const ModelEntry& e : models.entries()) {
    INFO(e.name);
    CHECK(e.make != nullptr);
    CHECK_FALSE(e.summary.empty());
    CHECK(std::filesystem::is_regular_file(std::filesystem::path(CORRIDOR_SOURCE_DIR) / e.docs));
  }
  CHECK(models.at("corridor").parameters != nullptr);
  CHECK(models.at("markov").parameters != nullptr);
  REQUIRE(models.at("flee").parameters != nullptr);
  bool has_speed = false;
  for (const auto& row : models.at("flee").parameters()) has_speed = has_speed || row.key == "move_rules.max_move_speed";
  CHECK(has_speed);
  // Flee builds its network from its own case folders and imports them from the command line.
  CHECK(models.at("flee").load_network != nullptr);
  REQUIRE(models.at("flee").importer.has_value());
  CHECK(models.at("flee").importer->options.front().flag == "--flee");
  // The engine's own benchmark is the Markov model's, and it may run on several ranks.
  REQUIRE(models.at("markov").bench.has_value());
  CHECK(models.at("markov").bench->partitionable);
}
