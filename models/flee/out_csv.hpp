#pragma once
// Flee's out.csv, column for column, so that existing Flee post-processing reads it:
//   Day,Date,<camp> sim,<camp> data,<camp> error,...,Total error,refugees in camps (UNHCR),
//   total refugees (simulation),raw UNHCR refugee count,refugees in camps (simulation),refugee_debt
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/calendar.hpp"

namespace corridor::flee {

/// Everything out.csv says about the run; [day][camp] tables are row-major.
struct OutTable {
  Date start;
  std::vector<std::string> camps;
  std::vector<std::int64_t> sim, data;  ///< [day][camp]
  std::vector<std::int64_t> total_agents, raw_count, debt;  ///< [day]
  std::size_t days() const { return total_agents.size(); }
};

std::vector<std::string> out_csv_header(const std::vector<std::string>& camps);

/// Writes the table through a temporary name and a rename; throws std::runtime_error naming the
/// file and the cause if it cannot be written.
void write_out_csv(const std::filesystem::path& file, const OutTable& t);

}  // namespace corridor::flee
