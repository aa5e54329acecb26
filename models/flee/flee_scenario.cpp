#include "models/flee/flee_scenario.hpp"

#include <fmt/format.h>

#include "models/flee/inputs.hpp"
#include "sim/error.hpp"

namespace corridor::flee {

namespace fs = std::filesystem;

namespace {

fs::path existing(const fs::path& p, const char* option, bool folder) {
  std::error_code ec;
  if (!fs::exists(p, ec)) throw InputError(fmt::format("{} '{}': not found", option, p.string()));
  if (folder != fs::is_directory(p, ec))
    throw InputError(fmt::format("{} '{}': expected a {}", option, p.string(), folder ? "folder" : "file"));
  return fs::absolute(p).lexically_normal();
}

/// A YAML double-quoted scalar: paths may hold ':' or '#'.
std::string yaml_quoted(const fs::path& p) {
  std::string out = "\"";
  for (char c : p.string()) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string scenario_yaml_for_folders(const fs::path& input, const fs::path& validation,
                                      const std::optional<fs::path>& settings, bool strict) {
  const fs::path in = existing(input, "--flee", true);
  const fs::path data = existing(validation, "--flee-data", true);
  const SimPeriod period = read_sim_period(in / "sim_period.csv");
  std::string name = in.filename().string();
  if (name.empty()) name = "flee";
  std::string y;
  y += fmt::format("name: {}\n", yaml_quoted(name));
  y += fmt::format("description: {}\n", yaml_quoted("Flee case from " + in.string()));
  y += "model: flee\nseed: 1\n";
  y += fmt::format("start: {}\nend: {}\n", period.start.iso(), period.start.plus_days(period.length - 1).iso());
  y += "flee:\n";
  y += fmt::format("  input: {}\n", yaml_quoted(in));
  y += fmt::format("  validation: {}\n", yaml_quoted(data));
  if (settings) y += fmt::format("  settings: {}\n", yaml_quoted(existing(*settings, "--flee-settings", false)));
  if (strict) y += "  strict: true\n";
  return y;
}

}  // namespace corridor::flee
