#pragma once
// The corridor model's parameter declarer: the engine's (sim/parameters.hpp), plus the
// families of keys the model has by category: per demographic, and per nationality group and
// demographic. Each module declares its own parameters with it, next to the code that uses
// them (`static void declare(Declarer&, Params&)`); CorridorModel::Parameters::declare calls
// the modules in order, and `corridor params corridor` lists the result module by module.
#include <array>
#include <string>
#include <vector>

#include "models/corridor/categories.hpp"
#include "sim/parameters.hpp"
#include "sim/schedule.hpp"

namespace corridor::cm {

using PerDemo = std::array<Schedule, kDemographics>;
using PerDemoNumber = std::array<double, kDemographics>;

/// The source line of every model v2 mechanism's switch (issue 11): off by default, on in the
/// calibrated scenario through the v2 calibration's structure.
inline constexpr char kModelV2Switch[] =
    "mechanism switch; off by default (the v1 model), on in scenarios/calibrated.yaml since the v2 refit "
    "(issue 11 item 7, scenarios/calibration/structure_v2.yaml)";

class Declarer : public ParameterDeclarer {
 public:
  using ParameterDeclarer::ParameterDeclarer;

  /// `key`.single_adult, .family, .child.
  void per_demo(const std::string& key, PerDemoNumber& out, PerDemoNumber def, const std::string& unit,
                const Bounds& range, const std::string& source);
  void per_demo_schedule(const std::string& key, PerDemo& out, const std::array<std::string, kDemographics>& def,
                         const std::string& unit, const Bounds& range, const std::string& source);
  /// A number by nationality group (kNationalityGroupKeys) and demographic, one table row per
  /// group and demographic. In a scenario it is one number (everyone), or a map by group whose
  /// values are one number (the whole group) or a map by demographic; what is left out keeps its
  /// default. `out` is filled per nationality, from the nationality's group.
  void per_group_demo(const std::string& key, std::array<PerDemoNumber, kNationalities>& out,
                      const std::array<PerDemoNumber, kNationalityGroups>& def, const std::string& unit,
                      const Bounds& range, const std::string& source);

  /// Starts the declarations of a module (the heading of its part of the table): `title`, and
  /// where it is implemented and documented.
  void module(std::string title, std::string where) { group(std::move(title), std::move(where)); }
};

}  // namespace corridor::cm
