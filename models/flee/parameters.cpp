#include "models/flee/parameters.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/flee/settings.hpp"

namespace corridor::flee {

namespace {

std::string kind_of(SettingSpec::Kind k) {
  switch (k) {
    case SettingSpec::Kind::kNumber: return "number";
    case SettingSpec::Kind::kInteger: return "integer";
    case SettingSpec::Kind::kBoolean: return "flag";
    default: return "custom";
  }
}

std::string range_of(const SettingSpec& s) {
  if (!s.supported) return fmt::format("only {}", s.neutral && *s.neutral ? s.neutral : "absent");
  switch (s.kind) {
    case SettingSpec::Kind::kNumber:
    case SettingSpec::Kind::kInteger:
    case SettingSpec::Kind::kNumberList:
      return std::isfinite(s.max) ? fmt::format("[{:g}, {:g}]", s.min, s.max) : fmt::format("≥ {:g}", s.min);
    case SettingSpec::Kind::kBoolean: return "true/false";
    default: return "ignored";
  }
}

}  // namespace

std::vector<ParameterDoc> parameter_docs() {
  std::vector<ParameterDoc> out = {
      {"input", "text", "(required)", "folder", "", "Flee input folder: locations.csv, routes.csv, conflicts.csv, closures.csv, sim_period.csv, registration_corrections.csv (docs/flee.md)"},
      {"validation", "text", "(required)", "folder", "", "validation folder: data_layout.csv and the camp count files"},
      {"settings", "text", "(Flee's defaults)", "file", "", "simsetting.yml; its keys are listed below and may also be set under `flee:` by section"},
      {"registration_corrections", "flag", "true", "", "true/false", "apply input/registration_corrections.csv to the validation counts"},
      {"strict", "flag", "false", "", "true/false", "what Flee's reader ignores (and corridor warns about) is an error (`run --flee-strict`)"},
  };
  for (const SettingSpec& s : settings_table()) {
    ParameterDoc d{fmt::format("{}.{}", s.section, s.key), kind_of(s.kind), s.default_text, "", range_of(s), s.description};
    if (s.kind == SettingSpec::Kind::kNumber || s.kind == SettingSpec::Kind::kInteger) {
      d.lo = s.min;
      d.hi = s.max;
      if (s.kind == SettingSpec::Kind::kNumber) d.exact_default = std::strtod(s.default_text, nullptr);
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace corridor::flee
