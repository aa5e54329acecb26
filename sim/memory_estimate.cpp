#include "sim/memory_estimate.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "sim/error.hpp"
#include "sim/events.hpp"

namespace corridor {

namespace {

/// a * b, saturating (an absurd scenario must give an absurd estimate, not a wrapped small one).
std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}
std::uint64_t add(std::uint64_t a, std::uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

std::optional<std::uint64_t> read_number_file(const char* path) {
  std::ifstream in(path);
  std::string s;
  if (!(in >> s) || s == "max") return std::nullopt;
  try {
    return std::stoull(s);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::uint64_t> mem_available() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream ss(line.substr(13));
    std::uint64_t kib = 0;
    if (ss >> kib) return kib * 1024;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> cgroup_room() {
  // cgroup v2, then v1.
  for (const auto& [limit, usage] : {std::pair{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
                                     std::pair{"/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                               "/sys/fs/cgroup/memory/memory.usage_in_bytes"}}) {
    const auto l = read_number_file(limit);
    if (!l || *l >= (1ull << 60)) continue;  // "max" or v1's "unlimited" (a huge number)
    const auto u = read_number_file(usage).value_or(0);
    return *l > u ? *l - u : 0;
  }
  return std::nullopt;
}

}  // namespace

std::string human_bytes(std::uint64_t b) {
  const double v = static_cast<double>(b);
  if (b >= (1ull << 30)) return fmt::format("{:.1f} GiB", v / (1ull << 30));
  if (b >= (1ull << 20)) return fmt::format("{:.0f} MiB", v / (1ull << 20));
  return fmt::format("{:.0f} KiB", v / 1024);
}

MemoryEstimate estimate_memory(const MemoryNeed& need, const RunShape& s) {
  MemoryEstimate e;
  const std::uint64_t ranks = static_cast<std::uint64_t>(std::max(1, s.ranks));
  e.agents_per_rank = need.peak_agents / ranks + (need.peak_agents % ranks ? 1 : 0);
  // Columns grow by doubling: up to twice the rows in use; compaction and the agent table's
  // writes take 8 more bytes per row for a moment.
  const std::uint64_t agents = mul(e.agents_per_rank, add(mul(s.bytes_per_agent, 2), 8));
  // One tally per thread, the serial and resolution sinks, the totals and the exchange: 8 B a cell.
  const std::uint64_t tallies = mul(mul(s.series_cells, 8), static_cast<std::uint64_t>(s.threads) + 4);
  // A day's events: about one per active agent, held by the sinks and once more by the writer.
  const std::uint64_t events = s.events ? mul(e.agents_per_rank, 2 * sizeof(Event)) : 0;
  const std::uint64_t per_rank = add(add(add(add(agents, tallies), events), need.model_bytes), kProcessBytes);
  e.bytes = mul(per_rank, static_cast<std::uint64_t>(std::max(1, s.local_ranks)));
  e.breakdown = fmt::format("agents {} ({} agents x ({} B a row x 2 + 8)), tallies {} ({} cells x {} threads), "
                            "events {}, model tables {}, program and output buffers {}",
                            human_bytes(agents), e.agents_per_rank, s.bytes_per_agent, human_bytes(tallies),
                            s.series_cells, s.threads, s.events ? human_bytes(events) : std::string("off"),
                            human_bytes(need.model_bytes), human_bytes(kProcessBytes));
  if (s.local_ranks > 1) e.breakdown += fmt::format(", times {} ranks on this machine", s.local_ranks);
  return e;
}

std::optional<std::uint64_t> available_memory() {
  std::optional<std::uint64_t> best = mem_available();
  auto take = [&](std::optional<std::uint64_t> v) {
    if (v) best = best ? std::min(*best, *v) : *v;
  };
  take(cgroup_room());
  rlimit rl{};
  if (::getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) take(static_cast<std::uint64_t>(rl.rlim_cur));
  return best;
}

void check_memory(const MemoryNeed& need, const MemoryEstimate& e, std::optional<std::uint64_t> available, bool force) {
  if (e.agents_per_rank > kMaxAgentsPerRank)
    throw InputError(fmt::format("the run would hold up to {} agents in one process ({}); at most {} fit (agent rows "
                                 "are 32-bit indices): make the scenario smaller or run it on more MPI ranks",
                                 e.agents_per_rank, need.basis, kMaxAgentsPerRank));
  if (force || !available || e.bytes <= *available) return;
  throw InputError(fmt::format("the run needs about {} of memory but {} is available: {}; estimated from {}. "
                               "Make the scenario smaller, run it where there is more memory, or pass "
                               "--no-memory-check to run anyway (docs/reliability.md)",
                               human_bytes(e.bytes), human_bytes(*available), e.breakdown, need.basis));
}

}  // namespace corridor
