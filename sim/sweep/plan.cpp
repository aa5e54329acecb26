#include "sim/sweep/plan.hpp"

#include <fmt/format.h>

#include <set>

#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/rng.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

struct Level {
  std::string name;
  std::vector<std::string> set;
};
struct Axis {
  std::string name;
  std::vector<Level> levels;
};

/// `set:` as --set assignments; a sweep never sets the seed (each run's comes from the sweep seed).
std::vector<std::string> read_set(const Section& sec, const std::string& key) {
  std::vector<std::string> out = sec.assignments(key);
  for (const auto& a : out)
    if (a.substr(0, a.find('=')) == "seed")
      sec.fail(key, "the seed of each run comes from the sweep's seed; do not set 'seed'");
  return out;
}

/// A path given in the sweep file at `key` of `sec`, relative to the file that wrote it, which must exist.
fs::path sweep_relative_file(const Section& sec, const std::string& key, const std::string& what) {
  const std::string rel = sec.text(key);
  fs::path p = (fs::path(sec.where(key).file).parent_path() / rel).lexically_normal();
  if (p.is_relative()) p = fs::absolute(p).lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) sec.fail(key, fmt::format("{} '{}' not found", what, p.string()));
  return p;
}

}  // namespace

std::uint64_t derive_seed(std::uint64_t sweep_seed, std::uint64_t index) {
  // Purpose kSweepSeed keeps these draws apart from every model's (sim/rng.hpp).
  RandomStream s(sweep_seed, index, 0, purpose::kSweepSeed);
  const std::uint64_t hi = s.next_u32();
  return ((hi << 32) | s.next_u32()) >> 1;  // 63 bits: fits every signed 64-bit reader
}

SweepPlan read_sweep(const fs::path& file_in) {
  SweepPlan plan;
  const ScenarioDoc doc = ScenarioDoc::load(file_in, "sweep file");
  plan.file = fs::absolute(file_in).lexically_normal();
  const Section root = doc.root();
  plan.name = root.text("name");
  plan.description = root.text("description", "");
  plan.base = sweep_relative_file(root, "base", "scenario file");
  if (!root.has("seed")) root.fail("seed", "is required (the sweep seed every run's seed derives from)");
  plan.seed = root.unsigned64("seed", 0);
  const std::string mode = root.text("seeds", "per_run");
  if (mode == "per_run") plan.seed_mode = SeedMode::kPerRun;
  else if (mode == "per_replicate") plan.seed_mode = SeedMode::kPerReplicate;
  else if (mode == "per_point") plan.seed_mode = SeedMode::kPerPoint;
  else root.fail("seeds", fmt::format("expected per_run, per_replicate or per_point, got '{}'", mode));
  plan.replicates = static_cast<int>(root.integer("replicates", 1, 1, 100000));
  const std::vector<std::string> common = read_set(root, "set");
  if (root.has("design") && root.has("sample")) root.fail("sample", "give either design (a CSV file) or sample, not both");
  if (root.has("design")) plan.design = read_design_csv(sweep_relative_file(root, "design", "design file"));
  if (root.has("sample")) plan.design = sample_design(root.section("sample"), plan.seed);

  // The grid: every combination of one level per axis, the last axis varying fastest.
  std::vector<Axis> axes;
  if (root.has("grid")) {
    const std::vector<Section> grid = root.list("grid");
    if (grid.empty()) root.fail("grid", "expected a non-empty list of axes");
    for (const Section& an : grid) {
      Axis axis;
      if (an.has("levels")) {
        if (an.has("key") || an.has("values")) an.fail_here("give either levels or key/values, not both");
        axis.name = an.text("axis");
        const std::vector<Section> levels = an.list("levels");
        if (levels.empty()) an.fail("levels", "expected a non-empty list of {name, set}");
        for (const Section& lv : levels) axis.levels.push_back(Level{lv.text("name"), read_set(lv, "set")});
      } else if (an.has("key") && an.has("values")) {
        const std::string key = an.text("key");
        if (key == "seed") an.fail("key", "the seed of each run comes from the sweep's seed");
        axis.name = an.text("axis", key);
        for (const auto& v : an.value_texts("values")) axis.levels.push_back(Level{v, {key + "=" + v}});
      } else {
        an.fail_here("expected {axis, levels: [{name, set}]} or {key, values: [...]}");
      }
      for (const auto& other : axes)
        if (other.name == axis.name) an.fail_here(fmt::format("axis '{}' appears twice", axis.name));
      std::set<std::string> names;
      for (const auto& l : axis.levels)
        if (!names.insert(l.name).second)
          an.fail_here(fmt::format("level '{}' appears twice in axis '{}'", l.name, axis.name));
      plan.axes.push_back(axis.name);
      axes.push_back(std::move(axis));
    }
  }
  struct Scen {
    std::string name;
    std::vector<std::string> set;
    std::map<std::string, std::string> levels;
    fs::path file;  ///< empty: the sweep's base
  };
  std::vector<Scen> scen;
  if (!axes.empty()) {
    std::vector<std::size_t> pick(axes.size(), 0);
    for (;;) {
      Scen s;
      for (std::size_t a = 0; a < axes.size(); ++a) {
        const Level& l = axes[a].levels[pick[a]];
        if (a) s.name += ',';
        s.name += axes[a].name;
        s.name += '=';
        s.name += l.name;
        s.set.insert(s.set.end(), l.set.begin(), l.set.end());
        s.levels[axes[a].name] = l.name;
      }
      scen.push_back(std::move(s));
      std::size_t a = axes.size();
      while (a > 0 && ++pick[a - 1] == axes[a - 1].levels.size()) pick[--a] = 0;
      if (a == 0) break;
    }
  }
  if (root.has("scenarios")) {
    const std::vector<Section> list = root.list("scenarios");
    if (list.empty()) root.fail("scenarios", "expected a non-empty list of {name, set}");
    for (const Section& e : list) {
      Scen s{e.text("name"), read_set(e, "set"), {}, {}};
      if (e.has("file")) {
        s.file = sweep_relative_file(e, "file", "scenario file");
        plan.own_files = true;
      }
      scen.push_back(std::move(s));
    }
  }
  doc.check_all_keys_used();
  if (scen.empty()) scen.push_back(Scen{"base", {}, {}, {}});  // replicates of the base scenario alone
  std::set<std::string> seen;
  for (const auto& s : scen) {
    if (!seen.insert(s.name).second)
      throw InputError(fmt::format("{}: scenario name '{}' appears twice (grid and scenarios must differ)",
                                   file_in.string(), s.name));
    plan.scenarios.push_back(s.name);
  }

  const std::size_t points = plan.design.empty() ? 1 : plan.design.points.size();
  const auto replicates = static_cast<std::uint64_t>(plan.replicates);
  for (const auto& s : scen)
    for (std::size_t p = 0; p < points; ++p)
      for (int k = 0; k < plan.replicates; ++k) {
        SweepRun run;
        run.index = plan.runs.size();
        run.id = fmt::format("r{:04d}", run.index);
        run.scenario = s.name;
        run.base = s.file.empty() ? plan.base : s.file;
        run.point = p;
        run.replicate = k;
        const auto kk = static_cast<std::uint64_t>(k);
        run.seed = derive_seed(plan.seed, plan.seed_mode == SeedMode::kPerRun         ? run.index
                                          : plan.seed_mode == SeedMode::kPerReplicate ? kk
                                                                                      : p * replicates + kk);
        run.overrides = common;
        if (!plan.design.empty()) {
          const auto row = plan.design.assignments(p);
          run.overrides.insert(run.overrides.end(), row.begin(), row.end());
        }
        run.overrides.insert(run.overrides.end(), s.set.begin(), s.set.end());
        run.levels = s.levels;
        plan.runs.push_back(std::move(run));
      }
  return plan;
}

}  // namespace corridor
