#pragma once
// The subcommands of `corridor` that need more than a call (the others call the engine
// directly from cli.cpp); each returns the process exit code.
#include <cstdint>
#include <string>

#include "sim/registry.hpp"

namespace corridor {

struct ValidateArgs {
  std::string scenario;
  std::vector<std::string> overrides;
  int threads = 0;  ///< for the memory estimate; 0: default_threads
  bool no_memory_check = false;
};

struct ParamsArgs {
  std::string model;
  bool json = false;
};

struct BenchArgs {
  std::string model;  ///< empty: the registry's default benchmark (BenchCase::is_default)
  BenchRequest request;
  std::string options_model;  ///< the model whose own bench options were given (empty: none)
  std::string out;  ///< keep the result here (default: a temporary file, removed)
};

int validate_command(const ModelRegistry& models, const ValidateArgs& args);
int bench_command(const ModelRegistry& models, const BenchArgs& args);
int params_command(const ModelRegistry& models, const ParamsArgs& args);

/// Peak resident memory of this process in bytes.
std::uint64_t peak_rss_bytes();

}  // namespace corridor
