#include "sim/sweep.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/hdf5.hpp"
#include "sim/rng.hpp"

namespace corridor {

namespace fs = std::filesystem;

namespace {

/// Reading one sweep file with file:line in every message.
struct Reader {
  std::string file;

  [[noreturn]] void fail(const YAML::Node& n, const std::string& key, const std::string& msg) const {
    const int line = n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
    throw InputError(line > 0 ? fmt::format("{}:{}: key '{}': {}", file, line, key, msg)
                              : fmt::format("{}: key '{}': {}", file, key, msg));
  }

  void only_keys(const YAML::Node& map, const std::string& path, const std::set<std::string>& allowed) const {
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string k = it->first.Scalar();
      if (!allowed.count(k)) {
        std::string known;
        for (const auto& a : allowed) {
          if (!known.empty()) known += ", ";
          known += a;
        }
        fail(it->first, path.empty() ? k : path + "." + k, fmt::format("unknown key (known: {})", known));
      }
    }
  }

  std::string text(const YAML::Node& map, const std::string& key, const std::string& path) const {
    const YAML::Node n = map[key];
    if (!n || !n.IsScalar() || n.Scalar().empty()) fail(n ? n : map, path, "expected a non-empty text");
    return n.Scalar();
  }

  std::int64_t integer(const YAML::Node& n, const std::string& path, std::int64_t lo, std::int64_t hi) const {
    if (!n.IsScalar()) fail(n, path, fmt::format("expected an integer in [{}, {}]", lo, hi));
    const std::string& t = n.Scalar();
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(t.c_str(), &end, 10);
    if (t.empty() || *end != '\0' || errno != 0 || v < lo || v > hi)
      fail(n, path, fmt::format("expected an integer in [{}, {}], got '{}'", lo, hi, t));
    return v;
  }
};

/// A YAML value as the text of `--set key=value` (flow style, one line).
std::string value_text(const YAML::Node& v) {
  if (v.IsScalar()) return v.Scalar();
  YAML::Emitter e;
  e.SetSeqFormat(YAML::Flow);
  e.SetMapFormat(YAML::Flow);
  e << v;
  std::string s = e.c_str();
  for (char& c : s)
    if (c == '\n') c = ' ';
  return s;
}

/// `set:` as a map {key.path: value} or a list of "key.path=value" strings.
std::vector<std::string> read_set(const Reader& r, const YAML::Node& n, const std::string& path) {
  std::vector<std::string> out;
  if (!n) return out;
  auto check_key = [&](const YAML::Node& where, const std::string& key) {
    if (key == "seed") r.fail(where, path, "the seed of each run comes from the sweep's seed; do not set 'seed'");
  };
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      check_key(it->first, it->first.Scalar());
      out.push_back(it->first.Scalar() + "=" + value_text(it->second));
    }
  } else if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar() || n[i].Scalar().find('=') == std::string::npos || n[i].Scalar().front() == '=')
        r.fail(n[i], fmt::format("{}.{}", path, i), "expected key.path=value (as for --set)");
      check_key(n[i], n[i].Scalar().substr(0, n[i].Scalar().find('=')));
      out.push_back(n[i].Scalar());
    }
  } else if (!n.IsNull()) {
    r.fail(n, path, "expected a map {key.path: value} or a list of key.path=value");
  }
  return out;
}

struct Level {
  std::string name;
  std::vector<std::string> set;
};
struct Axis {
  std::string name;
  std::vector<Level> levels;
};

std::string read_file_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the sweep file", file.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

}  // namespace

std::uint64_t derive_seed(std::uint64_t sweep_seed, std::uint64_t index) {
  // Purpose kSweepSeed keeps these draws apart from every model's (sim/rng.hpp).
  RandomStream s(sweep_seed, index, 0, purpose::kSweepSeed);
  const std::uint64_t hi = s.next_u32();
  return ((hi << 32) | s.next_u32()) >> 1;  // 63 bits: fits every signed 64-bit reader
}

SweepPlan read_sweep(const fs::path& file_in) {
  std::error_code ec;
  if (!fs::is_regular_file(file_in, ec)) throw InputError(fmt::format("{}: sweep file not found", file_in.string()));
  SweepPlan plan;
  plan.file = fs::absolute(file_in).lexically_normal();
  Reader r{file_in.string()};
  YAML::Node root;
  try {
    root = YAML::Load(read_file_text(file_in));
  } catch (const YAML::ParserException& e) {
    throw InputError(fmt::format("{}:{}: YAML syntax error: {}", file_in.string(), e.mark.line + 1, e.msg));
  }
  if (!root.IsMap()) throw InputError(fmt::format("{}: expected a YAML map (name, base, seed, ...)", file_in.string()));
  r.only_keys(root, "", {"name", "description", "base", "seed", "seeds", "replicates", "set", "grid", "scenarios"});
  plan.name = r.text(root, "name", "name");
  if (root["description"]) plan.description = r.text(root, "description", "description");
  const std::string base = r.text(root, "base", "base");
  plan.base = (plan.file.parent_path() / base).lexically_normal();
  if (!fs::is_regular_file(plan.base, ec))
    r.fail(root["base"], "base", fmt::format("scenario file '{}' not found", plan.base.string()));
  if (!root["seed"]) r.fail(root, "seed", "is required (the sweep seed every run's seed derives from)");
  {
    const YAML::Node n = root["seed"];
    if (!n.IsScalar()) r.fail(n, "seed", "expected a non-negative 64-bit integer");
    char* end = nullptr;
    errno = 0;
    plan.seed = std::strtoull(n.Scalar().c_str(), &end, 10);
    if (n.Scalar().empty() || *end != '\0' || errno != 0 || n.Scalar().front() == '-')
      r.fail(n, "seed", fmt::format("expected a non-negative 64-bit integer, got '{}'", n.Scalar()));
  }
  if (root["seeds"]) {
    const std::string m = r.text(root, "seeds", "seeds");
    if (m == "per_run") plan.seed_mode = SeedMode::kPerRun;
    else if (m == "per_replicate") plan.seed_mode = SeedMode::kPerReplicate;
    else r.fail(root["seeds"], "seeds", fmt::format("expected per_run or per_replicate, got '{}'", m));
  }
  if (root["replicates"]) plan.replicates = static_cast<int>(r.integer(root["replicates"], "replicates", 1, 100000));
  const std::vector<std::string> common = read_set(r, root["set"], "set");

  // The grid: every combination of one level per axis, the last axis varying fastest.
  std::vector<Axis> axes;
  if (const YAML::Node g = root["grid"]) {
    if (!g.IsSequence() || g.size() == 0) r.fail(g, "grid", "expected a non-empty list of axes");
    for (std::size_t a = 0; a < g.size(); ++a) {
      const YAML::Node an = g[a];
      const std::string ap = fmt::format("grid.{}", a);
      if (!an.IsMap()) r.fail(an, ap, "expected a map: {axis, levels} or {key, values}");
      r.only_keys(an, ap, {"axis", "levels", "key", "values"});
      Axis axis;
      if (an["levels"]) {
        if (an["key"] || an["values"]) r.fail(an, ap, "give either levels or key/values, not both");
        axis.name = r.text(an, "axis", ap + ".axis");
        const YAML::Node lv = an["levels"];
        if (!lv.IsSequence() || lv.size() == 0) r.fail(lv, ap + ".levels", "expected a non-empty list of {name, set}");
        for (std::size_t l = 0; l < lv.size(); ++l) {
          const std::string lp = fmt::format("{}.levels.{}", ap, l);
          if (!lv[l].IsMap()) r.fail(lv[l], lp, "expected a map {name, set}");
          r.only_keys(lv[l], lp, {"name", "set"});
          axis.levels.push_back(Level{r.text(lv[l], "name", lp + ".name"), read_set(r, lv[l]["set"], lp + ".set")});
        }
      } else if (an["key"] && an["values"]) {
        const std::string key = r.text(an, "key", ap + ".key");
        if (key == "seed") r.fail(an["key"], ap + ".key", "the seed of each run comes from the sweep's seed");
        axis.name = an["axis"] ? r.text(an, "axis", ap + ".axis") : key;
        const YAML::Node vals = an["values"];
        if (!vals.IsSequence() || vals.size() == 0) r.fail(vals, ap + ".values", "expected a non-empty list of values");
        for (std::size_t v = 0; v < vals.size(); ++v)
          axis.levels.push_back(Level{value_text(vals[v]), {key + "=" + value_text(vals[v])}});
      } else {
        r.fail(an, ap, "expected {axis, levels: [{name, set}]} or {key, values: [...]}");
      }
      for (const auto& other : axes)
        if (other.name == axis.name) r.fail(an, ap, fmt::format("axis '{}' appears twice", axis.name));
      std::set<std::string> names;
      for (const auto& l : axis.levels)
        if (!names.insert(l.name).second)
          r.fail(an, ap, fmt::format("level '{}' appears twice in axis '{}'", l.name, axis.name));
      plan.axes.push_back(axis.name);
      axes.push_back(std::move(axis));
    }
  }
  struct Scen {
    std::string name;
    std::vector<std::string> set;
    std::map<std::string, std::string> levels;
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
  if (const YAML::Node list = root["scenarios"]) {
    if (!list.IsSequence() || list.size() == 0) r.fail(list, "scenarios", "expected a non-empty list of {name, set}");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string p = fmt::format("scenarios.{}", i);
      if (!list[i].IsMap()) r.fail(list[i], p, "expected a map {name, set}");
      r.only_keys(list[i], p, {"name", "set"});
      scen.push_back(Scen{r.text(list[i], "name", p + ".name"), read_set(r, list[i]["set"], p + ".set"), {}});
    }
  }
  if (scen.empty()) scen.push_back(Scen{"base", {}, {}});  // replicates of the base scenario alone
  std::set<std::string> seen;
  for (const auto& s : scen) {
    if (!seen.insert(s.name).second)
      throw InputError(fmt::format("{}: scenario name '{}' appears twice (grid and scenarios must differ)",
                                   file_in.string(), s.name));
    plan.scenarios.push_back(s.name);
  }

  for (const auto& s : scen)
    for (int k = 0; k < plan.replicates; ++k) {
      SweepRun run;
      run.index = plan.runs.size();
      run.id = fmt::format("r{:04d}", run.index);
      run.scenario = s.name;
      run.replicate = k;
      run.seed = derive_seed(plan.seed, plan.seed_mode == SeedMode::kPerRun ? run.index : static_cast<std::uint64_t>(k));
      run.overrides = common;
      run.overrides.insert(run.overrides.end(), s.set.begin(), s.set.end());
      run.levels = s.levels;
      plan.runs.push_back(std::move(run));
    }
  return plan;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c == '\n' ? ' ' : c;
  }
  return q + "\"";
}

namespace {
const std::vector<std::string> kIndexColumns = {"run_id", "scenario", "replicate", "seed",  "status",
                                                "output", "wall_s",   "exit_code", "host", "overrides"};
std::string joined_overrides(const SweepRun& r) {
  std::string s;
  for (const auto& o : r.overrides) {
    if (!s.empty()) s += " ; ";
    s += o;
  }
  return s;
}
}  // namespace

void write_index(const fs::path& dir, const SweepPlan& plan, const std::vector<IndexRow>& rows) {
  std::ostringstream out;
  for (std::size_t c = 0; c < kIndexColumns.size(); ++c) out << (c ? "," : "") << kIndexColumns[c];
  for (const auto& a : plan.axes) out << "," << csv_field("axis." + a);
  out << "\n";
  for (const auto& run : plan.runs) {
    const IndexRow& row = rows.at(run.index);
    out << run.id << "," << csv_field(run.scenario) << "," << run.replicate << "," << run.seed << "," << row.status
        << "," << csv_field(run.output()) << "," << fmt::format("{:.3f}", row.wall_s) << "," << row.exit_code << ","
        << csv_field(row.host) << "," << csv_field(joined_overrides(run));
    for (const auto& a : plan.axes) {
      auto it = run.levels.find(a);
      out << "," << csv_field(it == run.levels.end() ? "" : it->second);
    }
    out << "\n";
  }
  const fs::path final_path = dir / "index.csv";
  fs::path tmp = final_path;
  tmp += fmt::format(".tmp-{}", ::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(fmt::format("sweep directory {}: cannot write {}", dir.string(), tmp.string()));
    f << out.str();
    f.flush();
    if (!f) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, final_path);
}

std::vector<IndexRow> read_index(const fs::path& dir, const SweepPlan& plan) {
  const fs::path file = dir / "index.csv";
  const CsvTable t = CsvTable::read(file);
  t.require_columns(kIndexColumns);
  if (t.rows() != plan.runs.size())
    throw InputError(fmt::format("{}: {} runs, but the sweep {} has {}: this directory holds another sweep (use "
                                 "another --out)",
                                 file.string(), t.rows(), plan.file.string(), plan.runs.size()));
  std::vector<IndexRow> rows(plan.runs.size());
  for (std::size_t i = 0; i < t.rows(); ++i) {
    const CsvRow row = t.row(i);
    const SweepRun& run = plan.runs[i];
    auto differs = [&](const std::string& what, const std::string& have, const std::string& want) {
      if (have != want)
        throw InputError(fmt::format("{}:{}: run {}: {} is '{}' here but '{}' in the sweep {}: this directory holds "
                                     "another sweep, or the sweep file changed (use another --out)",
                                     file.string(), row.line(), run.id, what, have, want, plan.file.string()));
    };
    differs("run_id", row.text("run_id"), run.id);
    differs("scenario", row.text("scenario"), run.scenario);
    differs("seed", row.text("seed"), std::to_string(run.seed));
    differs("overrides", row.text_or("overrides", ""), joined_overrides(run));
    rows[i].status = row.text("status");
    rows[i].wall_s = row.number("wall_s");
    rows[i].exit_code = static_cast<int>(row.integer("exit_code"));
    rows[i].host = row.text_or("host", "");
  }
  return rows;
}

void update_index_locked(const fs::path& dir, const SweepPlan& plan, std::size_t index, const IndexRow& row) {
  const fs::path lock = dir / ".index.lock";
  const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0644);
  if (fd < 0) throw std::runtime_error("cannot open the lock file " + lock.string());
  struct Unlock {
    int fd;
    ~Unlock() {
      ::flock(fd, LOCK_UN);
      ::close(fd);
    }
  } unlock{fd};
  if (::flock(fd, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + lock.string());
  std::error_code ec;
  std::vector<IndexRow> rows = fs::exists(dir / "index.csv", ec) ? read_index(dir, plan)
                                                                 : std::vector<IndexRow>(plan.runs.size());
  rows.at(index) = row;
  write_index(dir, plan, rows);
}

bool result_complete(const fs::path& file, std::uint64_t seed) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return false;
  try {
    h5::Handle f = h5::open_file_readonly(file.string());
    if (h5::read_int_attribute(f, "complete") != 1) return false;
    return h5::read_string_attribute(f, "seed") == std::to_string(seed);
  } catch (const std::exception&) {
    return false;  // unreadable: a leftover, not a result
  }
}

std::string this_host() { return hostname(); }

}  // namespace corridor
