#pragma once
// Readers of Flee's input files (docs/flee-rules.md "Files"). Each throws InputError naming the file,
// the line and the problem (unknown location, duplicate name, bad date, ...). What the
// reference reader accepts and ignores is accepted too and recorded in an InputNotes.
#include <filesystem>
#include <string>
#include <vector>

#include "models/flee/case.hpp"
#include "models/flee/input_notes.hpp"
#include "sim/calendar.hpp"

namespace corridor::flee {

struct SimPeriod {
  Date start;
  int length = 0;
};

/// locations.csv: name, region, country, x, y, location_type, conflict_date, population, extras.
std::vector<Location> read_locations(const std::filesystem::path& file);
/// Names of the extra columns of locations.csv (header fields after the eighth) and their values.
struct ExtraColumns {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> values;  ///< [column][row]
};
ExtraColumns read_location_extras(const std::filesystem::path& file);
/// routes.csv: name1, name2, distance_km, forced_redirection, extras (max_move_speed is read).
std::vector<Link> read_routes(const std::filesystem::path& file, const std::vector<Location>& locations);
/// conflicts.csv: `#Day,<loc>,...` then one row of intensities per day given. Noted and
/// ignored: empty header cells, columns for names that are not locations.
ConflictTable read_conflicts(const std::filesystem::path& file, const std::vector<Location>& locations,
                             InputNotes& notes);
/// closures.csv: type,name1,name2,start_day,end_day (end -1: never reopens). Noted and
/// ignored: `remove_forced_redirection` rows.
std::vector<Closure> read_closures(const std::filesystem::path& file, const std::vector<Location>& locations,
                                   const std::vector<Link>& links, InputNotes& notes);
/// sim_period.csv: StartDate,YYYY-MM-DD and Length,N.
SimPeriod read_sim_period(const std::filesystem::path& file);

/// The move chance a location type has under `s` (conflict zones outside a conflict act as towns).
double base_move_chance(LocationType t, const FleeSettings& s);
/// docs/flee-rules.md: a camp or IDP camp, or any location whose move chance is below 0.005.
bool counts_as_camp(LocationType t, double move_chance);

/// The validation folder: data_layout.csv (`total,<file>` then `<camp>,<file>`) and its files.
/// Every camp must be listed. A listed name that is not a camp or IDP camp of the network is
/// noted and kept in `uncompared` (its counts add to the daily arrivals, as in the reference).
ValidationData read_validation(const std::filesystem::path& dir, Date start, const std::vector<Location>& locations,
                               const FleeSettings& settings, InputNotes& notes);
/// registration_corrections.csv (`<camp>,<date>,normalize`): scales every count of that
/// data_layout.csv name (compared or not) before `date` by value(date) / value(previous date),
/// as the reference implementation does.
void apply_registration_corrections(const std::filesystem::path& file, Date start,
                                    const std::vector<Location>& locations, ValidationData& data);

}  // namespace corridor::flee
