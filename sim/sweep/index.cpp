#include "sim/sweep/index.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/hdf5.hpp"

namespace corridor {

namespace fs = std::filesystem;

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
  if (plan.own_files) out << ",file";
  if (!plan.design.empty()) out << ",point";
  for (const auto& a : plan.axes) out << "," << csv_field("axis." + a);
  for (const auto& k : plan.design.keys) out << "," << csv_field("param." + k);
  out << "\n";
  for (const auto& run : plan.runs) {
    const IndexRow& row = rows.at(run.index);
    out << run.id << "," << csv_field(run.scenario) << "," << run.replicate << "," << run.seed << "," << row.status
        << "," << csv_field(run.output()) << "," << fmt::format("{:.3f}", row.wall_s) << "," << row.exit_code << ","
        << csv_field(row.host) << "," << csv_field(joined_overrides(run));
    if (plan.own_files) out << "," << csv_field(run.base.string());
    if (!plan.design.empty()) out << "," << csv_field(plan.design.points[run.point]);
    for (const auto& a : plan.axes) {
      auto it = run.levels.find(a);
      out << "," << csv_field(it == run.levels.end() ? "" : it->second);
    }
    if (!plan.design.empty())
      for (const auto& v : plan.design.values[run.point]) out << "," << csv_field(v);
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
    if (plan.own_files) differs("file", row.text_or("file", ""), run.base.string());
    if (!plan.design.empty()) differs("point", row.text_or("point", ""), plan.design.points[run.point]);
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

std::string this_host() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

IndexKeeper::IndexKeeper(fs::path dir, const SweepPlan& plan, std::vector<IndexRow> rows)
    : dir_(std::move(dir)),
      plan_(plan),
      rows_(std::move(rows)),
      min_interval_s_(std::min(5.0, static_cast<double>(plan.runs.size()) / 2000.0)),
      last_write_(std::chrono::steady_clock::now() - std::chrono::hours(1)) {}

void IndexKeeper::save() {
  dirty_ = true;
  catch_up();
}

void IndexKeeper::catch_up() {
  if (!dirty_) return;
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_write_).count() < min_interval_s_) return;
  flush();
}

void IndexKeeper::flush() {
  write_index(dir_, plan_, rows_);
  last_write_ = std::chrono::steady_clock::now();
  dirty_ = false;
}

}  // namespace corridor
