#include "models/flee/out_csv.hpp"

#include <fmt/format.h>

#include <span>
#include <stdexcept>

#include "models/flee/validation_metric.hpp"
#include "sim/output_paths.hpp"

namespace corridor::flee {

std::vector<std::string> out_csv_header(const std::vector<std::string>& camps) {
  std::vector<std::string> h{"Day", "Date"};
  for (const auto& c : camps) {
    h.push_back(c + " sim");
    h.push_back(c + " data");
    h.push_back(c + " error");
  }
  for (const char* c : {"Total error", "refugees in camps (UNHCR)", "total refugees (simulation)",
                        "raw UNHCR refugee count", "refugees in camps (simulation)", "refugee_debt"})
    h.emplace_back(c);
  return h;
}

void write_out_csv(const std::filesystem::path& file, const OutTable& t) {
  std::string out = fmt::format("{}\n", fmt::join(out_csv_header(t.camps), ","));
  const std::size_t nc = t.camps.size();
  for (std::size_t d = 0; d < t.days(); ++d) {
    const std::span<const std::int64_t> sim(t.sim.data() + d * nc, nc), data(t.data.data() + d * nc, nc);
    std::string line = fmt::format("{},{}", d, t.start.plus_days(static_cast<int>(d)).iso());
    std::int64_t sim_camps = 0, data_camps = 0;
    for (std::size_t c = 0; c < nc; ++c) {
      // Shortest round-trip form of the error, as Python prints floats.
      line += fmt::format(",{},{},{}", sim[c], data[c], camp_error(sim[c], data[c]));
      sim_camps += sim[c];
      data_camps += data[c];
    }
    line += fmt::format(",{},{},{},{},{},{}\n", relative_difference(sim, data), data_camps, t.total_agents[d],
                        t.raw_count[d], sim_camps, t.debt[d]);
    out += line;
  }
  // Through a temporary name and a rename: a reader never sees half a table.
  write_text_atomically(file, out);
}

}  // namespace corridor::flee
