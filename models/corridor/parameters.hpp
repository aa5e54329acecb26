#pragma once
// Every parameter of the corridor model, declared once with its default, unit, valid range
// and source (STYLE: structure apart from behaviour). The same declaration drives reading
// the scenario's `corridor:` section and the parameter table of docs/model.md
// (docs/model.md §3.9; `corridor params` prints it; a test checks the docs agree).
#include <array>
#include <map>
#include <string>
#include <vector>

#include "models/corridor/aid.hpp"
#include "models/corridor/categories.hpp"
#include "models/corridor/declarer.hpp"
#include "models/corridor/mexico_enforcement.hpp"
#include "models/corridor/travel.hpp"
#include "models/corridor/departures.hpp"
#include "models/corridor/perception.hpp"
#include "models/corridor/route_choice.hpp"
#include "models/corridor/smuggling.hpp"
#include "models/corridor/network_roles.hpp"
#include "sim/calendar.hpp"
#include "sim/config.hpp"
#include "sim/parameters.hpp"
#include "sim/schedule.hpp"

namespace corridor::cm {

struct Parameters {
  Departures::Params departures;
  Perception::Params perception;
  RouteChoice::Params route_choice;
  Travel::Params travel;
  Smuggling::Params smuggling;
  MexicanEnforcement::Params mexico;
  // 7. US border
  PerDemoNumber port_share{};
  Schedule encounter_probability;
  bool title42_on = true;
  Date title42_start, title42_end;
  PerDemo expel_share;
  /// Title 42 retries by nationality and demographic (declared per nationality group:
  /// Mexican, Central American; nationality_group()).
  std::array<PerDemoNumber, kNationalities> expelled_retry_share{}, expelled_retry_delay_days{};
  std::array<PerDemoNumber, kNationalities> removal_share{};
  double custody_days = 0, removed_retry_share = 0, removed_retry_delay_days = 0;
  bool mpp_on = true;
  std::vector<std::pair<Date, Date>> mpp_periods;
  PerDemoNumber mpp_share{};  ///< [kChild] is always 0: children are exempt by law (TVPRA)
  double mpp_hearing_days = 0, mpp_abandon_share = 0, mpp_recross_share = 0;
  double repeat_window_days = 365;
  Aid::Params aid;
};

/// Reads `corridor:` (all keys optional; defaults as declared). Throws InputError.
Parameters read_parameters(const Section& section);
/// The declared parameters, for docs (`corridor params`).
std::vector<ParameterDoc> parameter_docs();
/// Markdown table of parameter_docs().
std::string parameter_table_markdown();

}  // namespace corridor::cm
