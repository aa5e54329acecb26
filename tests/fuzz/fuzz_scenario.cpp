// libFuzzer harness: the scenario loader (sim/config.hpp, sim/runner.hpp). The input is a
// scenario document, optionally followed by a line "%%" and --set assignments, one a line.
// It is loaded as the file tests/cli/fixtures/fuzz.yaml, so that relative tables resolve to
// the fixtures (nodes.csv, edges.csv, ...) and the fuzzer reaches the models' readers. Bad
// input must be an InputError; anything else (a crash, another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "models/registry.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/runner.hpp"

#ifndef CORRIDOR_FUZZ_FIXTURES
#error "CORRIDOR_FUZZ_FIXTURES: the folder of the fixture tables"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  if (const auto cut = text.find("\n%%\n"); cut != std::string::npos) {
    std::istringstream sets(text.substr(cut + 4));
    for (std::string line; std::getline(sets, line);)
      if (!line.empty()) overrides.push_back(line);
    text.resize(cut + 1);
  }
  try {
    corridor::ScenarioDoc doc = corridor::ScenarioDoc::from_text(text, CORRIDOR_FUZZ_FIXTURES "/fuzz.yaml");
    (void)doc.effective_yaml();
    auto ls = corridor::load_scenario(corridor::models::registry(), std::move(doc), overrides);
    (void)ls->runner->describe();
    (void)ls->doc.effective_yaml();
  } catch (const corridor::InputError&) {
  }
  return 0;
}
