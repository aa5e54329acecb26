#pragma once
// The categories the corridor model counts by, with the labels CBP uses in its data
// (so that a run's monthly export joins CBP's tables directly). docs/model.md §1.2, §2.9.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/tally.hpp"

namespace corridor::cm {

enum Demographic : std::uint8_t { kSingleAdult = 0, kFamily = 1, kChild = 2 };
inline constexpr int kDemographics = 3;
/// Scenario keys for per-demographic parameters.
inline const std::array<std::string, kDemographics> kDemographicKeys = {"single_adult", "family", "child"};
/// CBP's names (cbp_swb_encounters_monthly.csv `demographic`).
inline const std::array<std::string, kDemographics> kDemographicLabels = {"Single Adults", "FMUA",
                                                                          "UC / Single Minors"};

enum Nationality : std::uint8_t { kMexico = 0, kGuatemala = 1, kHonduras = 2, kElSalvador = 3 };
inline constexpr int kNationalities = 4;
inline const std::array<std::string, kNationalities> kNationalityKeys = {"MX", "GT", "HN", "SV"};
inline const std::array<std::string, kNationalities> kNationalityLabels = {"Mexico", "Guatemala", "Honduras",
                                                                           "El Salvador"};
/// ISO3 codes used in push_factors_by_country_year.csv.
inline const std::array<std::string, kNationalities> kNationalityIso3 = {"MEX", "GTM", "HND", "SLV"};

enum Title : std::uint8_t { kTitle8 = 0, kTitle42 = 1 };
inline const std::array<std::string, 2> kTitleLabels = {"Title 8", "Title 42"};
enum Component : std::uint8_t { kBetweenPorts = 0, kAtPorts = 1 };
inline const std::array<std::string, 2> kComponentLabels = {"USBP", "OFO"};

/// Nationality groups for parameters that differ between Mexicans, who are returned to their own
/// country, and Central Americans, who are returned to a Mexican border city far from home.
enum NationalityGroup : std::uint8_t { kMexicanGroup = 0, kCentralAmericanGroup = 1 };
inline constexpr int kNationalityGroups = 2;
/// Scenario keys of the groups.
inline const std::array<std::string, kNationalityGroups> kNationalityGroupKeys = {"mexican", "central_american"};
inline constexpr NationalityGroup nationality_group(int n) { return n == kMexico ? kMexicanGroup : kCentralAmericanGroup; }

inline std::optional<Nationality> nationality_from_key(std::string_view key) {
  for (int n = 0; n < kNationalities; ++n)
    if (kNationalityKeys[n] == key) return static_cast<Nationality>(n);
  return std::nullopt;
}

/// The series dimensions of the categories, with CBP's labels.
inline Dimension nationality_dim() { return {"nationality", {kNationalityLabels.begin(), kNationalityLabels.end()}}; }
inline Dimension demographic_dim() { return {"demographic", {kDemographicLabels.begin(), kDemographicLabels.end()}}; }
inline Dimension title_dim() { return {"title", {kTitleLabels.begin(), kTitleLabels.end()}}; }
inline Dimension component_dim() { return {"component", {kComponentLabels.begin(), kComponentLabels.end()}}; }

}  // namespace corridor::cm
