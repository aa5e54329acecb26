// `corridor bench --model NAME`: the model's benchmark case (its registry entry), run through
// the same code paths as a real run, and the figures every benchmark prints (docs/benchmarks.md).
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "sim/cli/commands.hpp"
#include "sim/cluster.hpp"
#include "sim/error.hpp"
#include "sim/output_paths.hpp"

namespace corridor {

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
}

namespace {

/// The day's exchange alone (no stepping, so no waiting for a slower rank): an Allreduce of
/// `cells` integers, 10 times to warm up, then timed 200 times; returns the median and the
/// mean in microseconds (a mean would mostly measure the other work preempting a rank).
std::pair<double, double> time_allreduce(Cluster& cluster, std::size_t cells) {
  std::vector<std::int64_t> buf(cells, 1);
  for (int k = 0; k < 10; ++k) cluster.allreduce_sum(buf.data(), buf.size());
  std::vector<double> us;
  for (int k = 0; k < 200; ++k) {
    cluster.barrier();
    const auto t0 = std::chrono::steady_clock::now();
    cluster.allreduce_sum(buf.data(), buf.size());
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  double mean = 0;
  for (double u : us) mean += u / static_cast<double>(us.size());
  std::nth_element(us.begin(), us.begin() + static_cast<std::ptrdiff_t>(us.size() / 2), us.end());
  return {us[us.size() / 2], mean};
}

const ModelEntry& bench_entry(const ModelRegistry& models, const std::string& name) {
  if (!name.empty()) {
    const ModelEntry& entry = models.at(name);
    if (!entry.bench) throw InputError(fmt::format("model '{}' has no benchmark case", name));
    return entry;
  }
  for (const auto& e : models.entries())
    if (e.bench && e.bench->is_default) return e;
  throw InputError("give --model: no model offers the default benchmark");
}

}  // namespace

int bench_command(const ModelRegistry& models, const BenchArgs& a) {
  const ModelEntry& entry = bench_entry(models, a.model);
  if (!a.options_model.empty() && a.options_model != entry.name)
    throw InputError(fmt::format("those options belong to model '{}', not to '{}' (give --model {})", a.options_model,
                                 entry.name, a.options_model));
  Cluster& cluster = world();
  const bool multi = cluster.size() > 1;
  if (multi && !entry.bench->partitionable)
    throw InputError(fmt::format("corridor bench --model {} runs on one rank (the model cannot be partitioned yet)",
                                 entry.name));
  BenchRequest r = a.request;
  r.threads = default_threads(r.threads, cluster);
  r.cluster = multi ? &cluster : nullptr;
  r.keep = !a.out.empty();
  r.out = r.keep ? std::filesystem::path(a.out)
                 : std::filesystem::temp_directory_path() / fmt::format("corridor-bench-{}.h5", ::getpid());
  if (r.keep) {
    std::vector<std::filesystem::path> inputs;
    if (!r.scenario.empty()) inputs.push_back(r.scenario);
    check_output_targets({{r.out, "--out"}}, inputs);  // before the benchmark runs (sim/output_paths.hpp)
  }
  const BenchReport report = entry.bench->run(r);
  std::pair<double, double> allreduce{0, 0};
  if (multi) allreduce = time_allreduce(cluster, report.exchange_cells);
  const std::uint64_t rss = peak_rss_bytes();
  if (!r.keep && cluster.root()) {
    std::error_code ec;
    std::filesystem::remove(r.out, ec);
  }
  if (!cluster.root()) return 0;
  const RunStats& s = report.stats;
  fmt::print("{}\n", report.title);
  fmt::print("agent_steps={}\n", s.agent_steps);
  fmt::print("seconds={:.3f}\n", s.seconds);
  fmt::print("agent_steps_per_s={:.0f}\n", s.agent_steps_per_s());
  fmt::print("peak_rss_bytes={}\n", rss);
  if (s.agents > 0) fmt::print("bytes_per_agent={:.1f}\n", static_cast<double>(rss) / static_cast<double>(s.agents));
  for (const auto& [k, v] : report.figures) fmt::print("{}={}\n", k, v);
  if (multi) {
    fmt::print("ranks={}\n", cluster.size());
    fmt::print("reduce_seconds={:.4f}\n", s.reduce_seconds);
    fmt::print("gather_seconds={:.4f}\n", s.gather_seconds);
    fmt::print("allreduce_cells={}\n", report.exchange_cells);
    fmt::print("allreduce_us={:.1f}\n", allreduce.first);
    fmt::print("allreduce_mean_us={:.1f}\n", allreduce.second);
  }
  if (r.keep) fmt::print("out={}\n", r.out.string());
  return 0;
}

}  // namespace corridor
