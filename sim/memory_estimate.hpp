#pragma once
// The up-front memory estimate (docs/reliability.md, "Memory"): before a run creates its
// output, the engine estimates the memory it will hold and refuses (exit 2, saying how much
// it needs, how much there is and why) a run that cannot fit, unless forced with
// --no-memory-check. Without it a scenario a thousand times too large runs until the kernel
// kills it.
//
// The model says how many agents it may hold at once (an optional model member,
//   MemoryNeed memory_need() const;   // sim/model.hpp
// ); the engine knows the rest from the model's declaration: bytes per agent row (every
// column of the agent store), the series cells of a day's tally, the threads and whether
// events are written. A model without the member gets no estimate (and no refusal).
#include <cstdint>
#include <optional>
#include <string>

namespace corridor {

/// What a model says about the memory of its run.
struct MemoryNeed {
  std::uint64_t peak_agents = 0;  ///< most agents in the store at once, over all ranks (an upper estimate)
  std::uint64_t model_bytes = 0;  ///< the model's own tables beyond the agent store
  std::string basis;              ///< how peak_agents was found, e.g. "markov.initial: 2 placements"
};

/// The run's shape as the engine knows it after the model's declaration.
struct RunShape {
  std::size_t bytes_per_agent = 0;  ///< sum of the agent store's column widths
  std::size_t series_cells = 0;     ///< cells of one day's tally
  int threads = 1;
  int ranks = 1;        ///< processes over which the agents are partitioned
  int local_ranks = 1;  ///< of them on this machine
  bool events = false;
};

struct MemoryEstimate {
  std::uint64_t bytes = 0;       ///< on this machine
  std::uint64_t agents_per_rank = 0;
  std::string breakdown;         ///< "agents: 2.1 GiB (50 000 000 x 21 B x 2), tallies: ..., events: ..."
};

/// What every process holds whatever the scenario: the program and its libraries (about
/// 30 MiB measured) and up to 64 MiB of writes queued in the output's write pipeline.
constexpr std::uint64_t kProcessBytes = 96ull << 20;

/// Rows of the agent store are 32-bit indices: at most this many agents per process.
constexpr std::uint64_t kMaxAgentsPerRank = 0xFFFFFFFFull;

MemoryEstimate estimate_memory(const MemoryNeed& need, const RunShape& shape);

/// Memory this process may still use: the least of MemAvailable (/proc/meminfo), the cgroup's
/// limit less its usage, and RLIMIT_AS; nullopt when none can be read.
std::optional<std::uint64_t> available_memory();

/// "12.3 GiB", "512 MiB", "40 KiB".
std::string human_bytes(std::uint64_t bytes);

/// Throws InputError when the estimate exceeds `available` (or a process would hold more than
/// kMaxAgentsPerRank agents, which no flag lifts), naming the need, the supply and the basis.
void check_memory(const MemoryNeed& need, const MemoryEstimate& estimate, std::optional<std::uint64_t> available,
                  bool force);

}  // namespace corridor
