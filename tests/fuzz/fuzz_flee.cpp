// libFuzzer harness: Flee's readers (models/flee/). The input is a case folder written as
// sections "%% NAME" followed by the file's lines (locations.csv, routes.csv, conflicts.csv,
// closures.csv, sim_period.csv, registration_corrections.csv, data_layout.csv, the count
// files it names, simsetting.yml). The files are written to a scratch folder and the case is
// loaded as `corridor run --flee DIR --flee-data DIR` loads it, through every reader and the
// model's construction. Bad input must be an InputError.
#include <unistd.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "models/flee/flee_scenario.hpp"
#include "models/registry.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/runner.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path& scratch() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "corridor-fuzz-flee-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) std::abort();
    return fs::path(tmpl);
  }();
  return dir;
}

/// A file name the harness may write: plain, in the scratch folder.
bool plain_name(const std::string& n) {
  if (n.empty() || n.size() > 64 || n[0] == '.') return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path& dir = scratch();
  for (const auto& e : fs::directory_iterator(dir)) fs::remove_all(e.path());
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::ofstream out;
  bool settings = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("%% ", 0) == 0) {
      out.close();
      const std::string name = line.substr(3);
      if (!plain_name(name)) continue;
      settings = settings || name == "simsetting.yml";
      out.open(dir / name, std::ios::binary | std::ios::trunc);
      continue;
    }
    if (out.is_open()) out << line << '\n';
  }
  out.close();
  try {
    const std::optional<fs::path> settings_file =
        settings ? std::optional<fs::path>(dir / "simsetting.yml") : std::nullopt;
    const std::string yaml = corridor::flee::scenario_yaml_for_folders(dir, dir, settings_file, false);
    auto ls = corridor::load_scenario(corridor::models::registry(),
                                      corridor::ScenarioDoc::from_text(yaml, "<fuzz flee case>"), {});
    (void)ls->runner->describe();
  } catch (const corridor::InputError&) {
  }
  return 0;
}
